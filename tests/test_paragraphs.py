"""Paragraph (line) labels from spans and the subtask-3 measure of SemEval-2023 Task 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import PRF, paragraph_labels, paragraph_rows, score_paragraphs

pytestmark = pytest.mark.issue(13)


def assert_prf(actual: PRF, expected: tuple[float, float, float, int, int]) -> None:
    assert (actual.precision, actual.recall, actual.f1) == pytest.approx(expected[:3])
    assert (actual.predicted, actual.gold) == expected[3:]


TEXT = "Title\n\nThey lie. Always.\n  \nEnd"  # lines 1, 3 and 5 hold text; 2 and 4 do not


def test_a_line_takes_the_techniques_of_the_spans_that_touch_it() -> None:
    spans = [
        ("Doubt", 7, 11),  # inside line 3
        ("Slogans", 0, 6),  # line 1 and the newline after it
        ("Repetition", 5, 6),  # only the newline after line 1
        ("Loaded_Language", 24, 29),  # from the newline after line 3 into line 5
        ("Red_Herring", 2, 7),  # ends where line 3 starts
    ]
    assert paragraph_rows(TEXT, spans) == [
        (1, ["Red_Herring", "Repetition", "Slogans"]),
        (3, ["Doubt", "Loaded_Language", "Red_Herring"]),
        (5, ["Loaded_Language"]),
    ]
    assert paragraph_rows(TEXT, []) == [(1, []), (3, []), (5, [])]
    assert paragraph_rows("", []) == []


def test_paragraph_labels_are_triples_of_every_article() -> None:
    texts = {"a": TEXT, "b": "One\nTwo"}
    labels = [("a", "Doubt", 7, 11), ("b", "Doubt", 4, 7), ("b", "Slogans", 0, 2)]
    assert sorted(paragraph_labels(texts, labels)) == [
        ("a", 3, "Doubt"),
        ("b", 1, "Slogans"),
        ("b", 2, "Doubt"),
    ]


def test_score_paragraphs_micro_and_macro() -> None:
    gold = [("a", 1, "Doubt"), ("a", 1, "Slogans"), ("a", 3, "Doubt"), ("b", 1, "Loaded_Language")]
    predicted = [
        ("a", 1, "Doubt"),
        ("a", 3, "Slogans"),
        ("b", 1, "Loaded_Language"),
        ("b", 1, "Loaded_Language"),  # a triple counts once
    ]
    report = score_paragraphs(gold, predicted)
    assert_prf(report.overall, (2 / 3, 1 / 2, 4 / 7, 3, 4))
    assert_prf(report.per_technique["Doubt"], (1, 1 / 2, 2 / 3, 1, 2))
    assert_prf(report.per_technique["Slogans"], (0, 0, 0, 1, 1))
    assert_prf(report.per_technique["Loaded_Language"], (1, 1, 1, 1, 1))
    assert report.macro_f1 == pytest.approx(5 / 9)
    assert score_paragraphs([], []).macro_f1 == 0.0


def test_gold_spans_reproduce_the_gold_paragraph_file(
    semeval2023_corpus: Corpus, semeval2023_dir: Path
) -> None:
    texts = {a.id: a.text for a in semeval2023_corpus.articles}
    derived = paragraph_labels(texts, semeval2023_corpus.labels)
    assert set(derived) == set(semeval2023_corpus.paragraphs)
    assert score_paragraphs(semeval2023_corpus.paragraphs, derived).overall.f1 == 1.0
    rows = (semeval2023_dir / "train-labels" / "train-paragraphs.labels").read_text("utf-8")
    gold_lines = {tuple(row.split("\t")[:2]) for row in rows.splitlines()}
    lines = {(a, str(n)) for a, text in texts.items() for n, _ in paragraph_rows(text, [])}
    assert lines == gold_lines
