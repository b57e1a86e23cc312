"""The SemEval-2023 head: refining PTC-2020 probabilities into the 23 techniques, training it,
and the paragraph decision."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import FakeClassifier, FakeTagger
from propscan.article import Article
from propscan.errors import ModelNotFound
from propscan.model.bundle import DEFAULT_MODEL_DIR, Model, load_model
from propscan.model.semeval2023_head import HEAD_FILE, Semeval2023Head
from propscan.pipeline import analyze, classify, relabelled
from propscan.tasks.paragraphs import decide_lines, line_scores
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import paragraph_rows
from propscan.techniques import LABELS, PTC2020_CHILDREN, SEMEVAL2023, SEMEVAL2023_TO_PTC2020
from propscan.train.paragraph_thresholds import choose_thresholds
from propscan.train.semeval2023_head import (
    RECIPE_PARAGRAPH_THRESHOLDS,
    add_semeval2023_head,
    train_semeval2023_head,
)

pytestmark = pytest.mark.issue(13)

BANDWAGON = "Bandwagon,Reductio_ad_hitlerum"


def _toy_corpus() -> Corpus:
    """Bandwagon spans whose words tell Guilt_by_Association from Appeal_to_Popularity."""
    texts, labels = [], []
    for i in range(12):
        nazi = f"They act like the Nazi regime did, case {i}."
        crowd = f"Everyone agrees and millions already joined, case {i}."
        text = f"{nazi}\n{crowd}\nA quiet closing line."
        texts.append(Article(str(i), text))
        labels.append((str(i), "Guilt_by_Association", 0, len(nazi) - 1))
        start = len(nazi) + 1
        labels.append((str(i), "Appeal_to_Popularity", start, start + len(crowd) - 1))
        labels.append((str(i), "Loaded_Language", 0, 8))
    return Corpus(tuple(texts), tuple(labels))


@pytest.fixture(scope="module")
def head() -> Semeval2023Head:
    return replace(
        train_semeval2023_head(_toy_corpus()), paragraph_thresholds=RECIPE_PARAGRAPH_THRESHOLDS
    )


def _bandwagon_model(head: Semeval2023Head) -> Model:
    return Model(
        "fake-2023",
        FakeTagger(["the Nazi regime", "millions already joined"]),
        FakeClassifier(first=BANDWAGON, second="Loaded_Language"),
        semeval2023=head,
    )


def test_every_ptc_class_refines_into_2023_techniques() -> None:
    assert set(PTC2020_CHILDREN) == set(LABELS)
    assert all(PTC2020_CHILDREN[label] for label in LABELS)
    for label, children in PTC2020_CHILDREN.items():
        assert all(SEMEVAL2023_TO_PTC2020[child] == label for child in children)


def test_refine_keeps_each_class_probability_and_splits_merged_ones(
    head: Semeval2023Head,
) -> None:
    text = "They act like the Nazi regime did.\nEveryone agrees and millions already joined."
    spans = [(14, 29), (35, 80)]
    rows = FakeClassifier(first=BANDWAGON).probabilities(text, spans)
    refined = head.refine(text, spans, rows, LABELS)
    assert refined.shape == (2, len(SEMEVAL2023.labels))
    np.testing.assert_allclose(refined.sum(axis=1), rows.sum(axis=1))
    column = SEMEVAL2023.labels.index
    loaded = LABELS.index("Loaded_Language")
    np.testing.assert_allclose(refined[:, column("Loaded_Language")], rows[:, loaded])
    bandwagon = rows[:, LABELS.index(BANDWAGON)]
    split = refined[:, column("Guilt_by_Association")] + refined[:, column("Appeal_to_Popularity")]
    np.testing.assert_allclose(split, bandwagon)
    assert refined[0, column("Guilt_by_Association")] > refined[0, column("Appeal_to_Popularity")]
    assert refined[1, column("Appeal_to_Popularity")] > refined[1, column("Guilt_by_Association")]
    assert refined[:, column("Obfuscation-Vagueness-Confusion")].sum() == 0


def test_the_head_survives_a_json_round_trip(head: Semeval2023Head, tmp_path: Path) -> None:
    assert head.save(tmp_path) == HEAD_FILE
    again = Semeval2023Head.load(tmp_path / HEAD_FILE)
    text = "They act like the Nazi regime did."
    rows = FakeClassifier(first=BANDWAGON).probabilities(text, [(14, 29)])
    np.testing.assert_allclose(
        again.refine(text, [(14, 29)], rows, LABELS),
        head.refine(text, [(14, 29)], rows, LABELS),
        atol=1e-5,  # weights are kept to 5 decimals
    )
    assert again.paragraph_thresholds == head.paragraph_thresholds


def test_2023_analysis_refines_the_ptc_analysis(head: Semeval2023Head) -> None:
    model = _bandwagon_model(head)
    article = Article("a", "They act like the Nazi regime did.\nAnd millions already joined.")
    ptc = analyze(article, model)
    new = analyze(article, model, "semeval2023")
    assert new.taxonomy == "semeval2023"
    assert [(s.start, s.end) for s in new.spans] == [(s.start, s.end) for s in ptc.spans]
    assert [s.technique for s in new.spans] == ["Guilt_by_Association", "Appeal_to_Popularity"]
    assert all(SEMEVAL2023_TO_PTC2020[s.technique] == BANDWAGON for s in new.spans)
    assert all(n.score <= p.score for n, p in zip(new.spans, ptc.spans, strict=True))
    assert relabelled(ptc, model, "semeval2023") == new
    gold = [(s.start, s.end) for s in ptc.spans]
    assert [s.technique for s in classify(article, gold, model, "semeval2023")] == [
        s.technique for s in new.spans
    ]


def test_a_model_without_a_head_refuses_the_2023_taxonomy(fake_model: Model) -> None:
    with pytest.raises(ModelNotFound, match="no SemEval-2023 head"):
        analyze(Article("a", "corrupt elites"), fake_model, "semeval2023")


def test_line_scores_and_the_paragraph_decision() -> None:
    text = "first line\n\nsecond line here\nthird"
    rows = np.asarray([[0.8, 0.2], [0.1, 0.9]])
    spans = [(0, 5, 0.5), (12, 18, 1.0)]  # the second touches lines 3 only
    scores = line_scores(text, spans, rows, 2)
    assert [number for number, _ in scores] == [1, 3, 4]
    np.testing.assert_allclose(scores[0][1], [0.4, 0.1])
    np.testing.assert_allclose(scores[1][1], [0.1, 0.9])
    np.testing.assert_allclose(scores[2][1], [0.0, 0.0])
    decided = decide_lines(scores, ["B", "A"], {"B": 0.3, "A": 0.5})
    assert decided == [(1, ["B"]), (3, ["A"]), (4, [])]
    assert decide_lines(scores, ["B", "A"], {"A": 0.05}) == [(1, ["A"]), (3, ["A"]), (4, [])]


def test_thresholds_are_chosen_to_separate_the_gold_lines() -> None:
    rng = np.random.default_rng(0)
    truth = rng.random((400, 2)) < 0.3
    matrix = np.where(truth, 0.6, 0.2) + rng.normal(0, 0.03, truth.shape)
    matrix[:, 1] = 0.1  # a technique never worth keeping
    truth[:, 1] = False
    chosen = choose_thresholds(matrix, truth, ["A", "B"])
    assert 0.25 <= chosen["A"] <= 0.55
    assert chosen["B"] == np.inf or chosen["B"] > 0.1


def test_add_head_copies_the_model_and_keeps_the_base(
    semeval2023_corpus: Corpus, tmp_path: Path
) -> None:
    out = tmp_path / "with-head"
    add_semeval2023_head(semeval2023_corpus.subset(["111111111"]), DEFAULT_MODEL_DIR, out)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["semeval2023"]["head"] == HEAD_FILE
    assert manifest["semeval2023"]["trained_on"]["articles"] == 1
    assert load_model(out).semeval2023 is not None
    base = json.loads((DEFAULT_MODEL_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert base["semeval2023"]["trained_on"]["articles"] == 371


def test_the_bundled_head_is_what_train_makes(semeval2023_corpus: Corpus) -> None:
    """`propscan train ../shared/semeval2023-en --taxonomy semeval2023` reproduces it."""
    bundled = json.loads((DEFAULT_MODEL_DIR / HEAD_FILE).read_text(encoding="utf-8"))
    trained = replace(
        train_semeval2023_head(semeval2023_corpus),
        paragraph_thresholds=RECIPE_PARAGRAPH_THRESHOLDS,
    )
    assert json.loads(json.dumps(trained.to_json())) == bundled
    assert (DEFAULT_MODEL_DIR / HEAD_FILE).stat().st_size < 1_000_000


def test_bundled_model_labels_2023_paragraphs_of_a_real_article(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "examples" / "harbour-town.txt").read_text("utf-8")
    model = load_model()
    analysis = analyze(Article("harbour", text), model, "semeval2023")
    assert analysis.spans
    assert {s.technique for s in analysis.spans} <= set(SEMEVAL2023.labels)
    union = paragraph_rows(text, [(s.technique, s.start, s.end) for s in analysis.spans])
    assert any(techniques for _, techniques in union)
