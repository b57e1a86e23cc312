"""The pipeline with a fake model: spans, labels, counts, second techniques."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

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


@pytest.mark.issue(10)
def test_long_texts_are_analysed_in_blocks_with_true_offsets(fake_model: Model) -> None:
    from propscan import pipeline

    paragraph = "Only the corrupt elites gain. " * 20 + "\n"
    text = paragraph * (pipeline.BLOCK_CHARS // len(paragraph) * 3)
    analysis = analyze(Article(id="long", text=text), fake_model)
    assert len(analysis.spans) == text.count("corrupt elites")
    assert all(text[s.start : s.end] == "corrupt elites" for s in analysis.spans)


@pytest.mark.issue(10)
def test_blocks_cover_the_text_and_respect_the_size() -> None:
    from propscan.text.segment import blocks

    text = ("word " * 30 + "\n") * 40 + "x" * 500
    ranges = blocks(text, 300)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert all(0 < end - start <= 300 for start, end in ranges)
    assert blocks("", 10) == [(0, 0)]
