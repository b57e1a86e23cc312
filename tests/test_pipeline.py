"""The pipeline with a fake model: spans, labels, counts, second techniques."""

from __future__ import annotations

from dataclasses import replace

from propscan.article import Article
from propscan.model.bundle import Model
from propscan.pipeline import analyze, classify

TEXT = "Brave patriots rise\n\nThe corrupt elites lied. The corrupt elites always lie."


def test_analyze_labels_every_detected_span(fake_model: Model) -> None:
    analysis = analyze(Article("a1", TEXT), fake_model)
    assert [(TEXT[s.start : s.end], s.technique) for s in analysis.spans] == [
        ("corrupt elites", "Loaded_Language"),
        ("corrupt elites", "Loaded_Language"),
    ]
    assert analysis.counts == {"Loaded_Language": 2}
    assert analysis.model == "fake"
    first = analysis.spans[0]
    assert 0 < first.score < 0.9  # span confidence times technique probability


def test_second_technique_when_nearly_as_likely(fake_model: Model) -> None:
    model = replace(fake_model, second_label_ratio=0.4)  # 0.28 / 0.6 ≈ 0.47 ≥ 0.4
    analysis = analyze(Article("a1", TEXT), model)
    assert analysis.counts == {"Loaded_Language": 2, "Name_Calling,Labeling": 2}


def test_article_score_is_share_of_covered_characters(fake_model: Model) -> None:
    text = "corrupt elites"
    analysis = analyze(Article("a1", text), fake_model)
    assert analysis.score == 1.0
    assert analyze(Article("a2", "nothing here"), fake_model).score == 0.0


def test_classify_gives_kth_copy_the_kth_label(fake_model: Model) -> None:
    article = Article("a1", TEXT)
    spans = classify(article, [(22, 36), (22, 36), (0, 5)], fake_model)
    assert [s.technique for s in spans] == [
        "Loaded_Language",
        "Name_Calling,Labeling",
        "Loaded_Language",
    ]


def test_to_dict_carries_text_of_each_span(fake_model: Model) -> None:
    data = analyze(Article("a1", TEXT, title="T"), fake_model).to_dict()
    assert data["spans"][0]["text"] == "corrupt elites"
    assert data["counts"] == {"Loaded_Language": 2}
    assert data["title"] == "T"
