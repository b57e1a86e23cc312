"""Tests of the SemEval-2020 Task 11 scorers; every expected value is worked out by hand."""

from __future__ import annotations

import pytest

from propscan.tasks.scoring import (
    PRF,
    SpanLabel,
    TechniqueLabel,
    merge_spans,
    score_full,
    score_si,
    score_tc,
)

Expected = tuple[float, float, float, int, int]  # precision, recall, f1, predicted, gold
ZERO_1_1: Expected = (0.0, 0.0, 0.0, 1, 1)


def assert_prf(actual: PRF, expected: Expected) -> None:
    """Compare all five fields of a PRF with the expected tuple."""
    precision, recall, f1, predicted, gold = expected
    assert actual.precision == pytest.approx(precision)
    assert actual.recall == pytest.approx(recall)
    assert actual.f1 == pytest.approx(f1)
    assert (actual.predicted, actual.gold) == (predicted, gold)


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        pytest.param([], [], id="empty"),
        pytest.param([(5, 10), (0, 3)], [(0, 3), (5, 10)], id="disjoint-sorted"),
        pytest.param([(0, 5), (3, 8)], [(0, 8)], id="partial-overlap"),
        pytest.param([(0, 10), (2, 4)], [(0, 10)], id="nested"),
        pytest.param([(0, 5), (5, 8)], [(0, 5), (5, 8)], id="touching-kept-apart"),
        pytest.param([(0, 4), (6, 9), (3, 7)], [(0, 9)], id="bridging-span"),
        pytest.param([(2, 6), (2, 6)], [(2, 6)], id="duplicate"),
    ],
)
def test_merge_spans(spans: list[tuple[int, int]], expected: list[tuple[int, int]]) -> None:
    assert merge_spans(spans) == expected


@pytest.mark.parametrize("span", [(3, 3), (5, 2), (-1, 2)], ids=["empty", "reversed", "negative"])
def test_invalid_spans_are_rejected(span: tuple[int, int]) -> None:
    start, end = span
    with pytest.raises(ValueError, match="invalid span"):
        merge_spans([span])
    with pytest.raises(ValueError, match="invalid span"):
        score_si([("a", start, end)], [])
    with pytest.raises(ValueError, match="invalid span"):
        score_tc([], [("a", "X", start, end)])
    with pytest.raises(ValueError, match="invalid span"):
        score_full([("a", "X", start, end)], [])


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        pytest.param(
            [("a", 0, 10)],
            [("a", 20, 30)],
            ZERO_1_1,  # no common index
            id="disjoint",
        ),
        pytest.param(
            [("a", 0, 10)],
            [("a", 5, 15)],
            (0.5, 0.5, 0.5, 1, 1),  # |[5,10)| = 5; P = 5/10, R = 5/10, F1 = 0.5
            id="partial-overlap",
        ),
        pytest.param(
            [("a", 0, 20)],
            [("a", 5, 10)],
            (1.0, 0.25, 0.4, 1, 1),  # P = 5/5, R = 5/20; F1 = 2*1*0.25/1.25 = 0.4
            id="nested",
        ),
        pytest.param(
            [("a", 0, 4), ("a", 6, 10)],
            [("a", 2, 8)],
            # P = (2/6 + 2/6)/1 = 2/3; R = (2/4 + 2/4)/2 = 1/2; F1 = (2/3)/(7/6) = 4/7
            (2 / 3, 0.5, 4 / 7, 1, 2),
            id="one-prediction-two-gold",
        ),
        pytest.param(
            [("a", 0, 10)],
            [("a", 0, 6), ("a", 4, 10)],
            (1.0, 1.0, 1.0, 1, 1),  # predictions merge into [0,10): P = 10/10, R = 10/10
            id="overlapping-predictions-merged",
        ),
        pytest.param(
            [("a", 0, 6), ("a", 4, 10)],
            [("a", 0, 10)],
            (1.0, 1.0, 1.0, 1, 1),  # gold merges into [0,10): P = 10/10, R = 10/10
            id="overlapping-gold-merged",
        ),
        pytest.param(
            [("a", 0, 10)],
            [("a", 0, 5), ("a", 5, 20)],
            # not merged: P = (5/5 + 5/15)/2 = 2/3; R = 5/10 + 5/10 = 1; F1 = (4/3)/(5/3) = 0.8
            (2 / 3, 1.0, 0.8, 2, 1),
            id="touching-predictions-kept-apart",
        ),
        pytest.param(
            [("a", 0, 10), ("a", 0, 10)],
            [("a", 0, 5)],
            (1.0, 0.5, 2 / 3, 1, 1),  # gold duplicates merge: P = 5/5, R = 5/10; F1 = 1/1.5
            id="duplicated-gold-span",
        ),
        pytest.param(
            [("a", 0, 10), ("b", 0, 4), ("d", 0, 10)],
            [("a", 0, 5), ("b", 2, 6), ("c", 0, 3)],
            # a: 5/5 and 5/10; b: 2/4 and 2/4; c: no gold; d: no prediction
            # P = (1 + 0.5 + 0)/3 = 0.5; R = (0.5 + 0.5 + 0)/3 = 1/3; F1 = (1/3)/(5/6) = 0.4
            (0.5, 1 / 3, 0.4, 3, 3),
            id="multi-article",
        ),
        pytest.param([], [("a", 0, 5)], (0.0, 0.0, 0.0, 1, 0), id="empty-gold"),
        pytest.param([("a", 0, 5)], [], (0.0, 0.0, 0.0, 0, 1), id="empty-predictions"),
        pytest.param([], [], (0.0, 0.0, 0.0, 0, 0), id="both-empty"),
    ],
)
def test_score_si(gold: list[SpanLabel], predicted: list[SpanLabel], expected: Expected) -> None:
    report = score_si(iter(gold), iter(predicted))
    assert_prf(report.overall, expected)
    assert report.per_technique == {}


@pytest.mark.parametrize(
    ("gold", "predicted", "expected", "per_technique"),
    [
        pytest.param(
            [("a", "X", 0, 5), ("a", "Y", 6, 9)],
            [("a", "Y", 6, 9), ("a", "X", 0, 5)],
            (1.0, 1.0, 1.0, 2, 2),  # 2 correct of 2
            {"X": (1.0, 1.0, 1.0, 1, 1), "Y": (1.0, 1.0, 1.0, 1, 1)},
            id="all-correct",
        ),
        pytest.param(
            [("a", "X", 0, 5), ("a", "Y", 6, 9)],
            [("a", "X", 0, 5), ("a", "X", 6, 9)],
            (0.5, 0.5, 0.5, 2, 2),  # 1 correct of 2 predicted, 2 gold
            # X: 1 correct, 2 predicted, 1 gold; F1 = 2*0.5*1/1.5 = 2/3; Y: never predicted
            {"X": (0.5, 1.0, 2 / 3, 2, 1), "Y": (0.0, 0.0, 0.0, 0, 1)},
            id="one-wrong",
        ),
        pytest.param(
            [("a", "X", 0, 5), ("a", "Y", 0, 5)],
            [("a", "X", 0, 5), ("a", "Y", 0, 5)],
            (1.0, 1.0, 1.0, 2, 2),  # {X, Y} & {X, Y} = 2 correct
            {"X": (1.0, 1.0, 1.0, 1, 1), "Y": (1.0, 1.0, 1.0, 1, 1)},
            id="double-label-same-order",
        ),
        pytest.param(
            [("a", "X", 0, 5), ("a", "Y", 0, 5)],
            [("a", "Y", 0, 5), ("a", "X", 0, 5)],
            (1.0, 1.0, 1.0, 2, 2),  # order is irrelevant: still 2 correct
            {"X": (1.0, 1.0, 1.0, 1, 1), "Y": (1.0, 1.0, 1.0, 1, 1)},
            id="double-label-swapped-order",
        ),
        pytest.param(
            [("a", "X", 0, 5), ("a", "Y", 0, 5)],
            [("a", "X", 0, 5), ("a", "X", 0, 5)],
            (0.5, 0.5, 0.5, 2, 2),  # {X, X} & {X, Y} = {X}: 1 correct
            {"X": (0.5, 1.0, 2 / 3, 2, 1), "Y": (0.0, 0.0, 0.0, 0, 1)},
            id="double-label-one-repeated",
        ),
        pytest.param(
            [("a", "X", 0, 5), ("a", "X", 0, 5)],
            [("a", "X", 0, 5)],
            (1.0, 0.5, 2 / 3, 1, 2),  # {X} & {X, X} = 1 correct; P = 1/1, R = 1/2
            {"X": (1.0, 0.5, 2 / 3, 1, 2)},
            id="duplicated-gold-label",
        ),
        pytest.param(
            [("a", "X", 0, 5)],
            [("a", "X", 0, 5), ("a", "X", 7, 9), ("b", "X", 0, 5)],
            # only a[0,5) has gold: 1 correct; P = 1/3, R = 1/1; F1 = (2/3)/(4/3) = 0.5
            (1 / 3, 1.0, 0.5, 3, 1),
            {"X": (1 / 3, 1.0, 0.5, 3, 1)},
            id="predictions-without-gold-span",
        ),
        pytest.param(
            [("a", "X", 0, 5), ("a", "Y", 6, 9)],
            [("a", "X", 0, 5)],
            (1.0, 0.5, 2 / 3, 1, 2),  # 1 correct; P = 1/1, R = 1/2
            {"X": (1.0, 1.0, 1.0, 1, 1), "Y": (0.0, 0.0, 0.0, 0, 1)},
            id="gold-without-prediction",
        ),
        pytest.param(
            [("a", "X", 0, 5), ("b", "X", 0, 5)],
            [("a", "X", 0, 5), ("b", "Y", 0, 5)],
            (0.5, 0.5, 0.5, 2, 2),  # a correct, b wrong
            {"X": (1.0, 0.5, 2 / 3, 1, 2), "Y": (0.0, 0.0, 0.0, 1, 0)},
            id="multi-article",
        ),
        pytest.param(
            [],
            [("a", "X", 0, 5)],
            (0.0, 0.0, 0.0, 1, 0),
            {"X": (0.0, 0.0, 0.0, 1, 0)},
            id="empty-gold",
        ),
        pytest.param(
            [("a", "X", 0, 5)],
            [],
            (0.0, 0.0, 0.0, 0, 1),
            {"X": (0.0, 0.0, 0.0, 0, 1)},
            id="empty-predictions",
        ),
        pytest.param([], [], (0.0, 0.0, 0.0, 0, 0), {}, id="both-empty"),
    ],
)
def test_score_tc(
    gold: list[TechniqueLabel],
    predicted: list[TechniqueLabel],
    expected: Expected,
    per_technique: dict[str, Expected],
) -> None:
    report = score_tc(iter(gold), iter(predicted))
    assert_prf(report.overall, expected)
    assert sorted(report.per_technique) == sorted(per_technique)
    for technique, values in per_technique.items():
        assert_prf(report.per_technique[technique], values)


@pytest.mark.parametrize(
    ("gold", "predicted", "expected", "per_technique"),
    [
        pytest.param(
            [("a", "X", 0, 10)],
            [("a", "X", 5, 15)],
            (0.5, 0.5, 0.5, 1, 1),  # labels agree: P = 5/10, R = 5/10
            {"X": (0.5, 0.5, 0.5, 1, 1)},
            id="overlap-labels-agree",
        ),
        pytest.param(
            [("a", "X", 0, 10)],
            [("a", "Y", 5, 15)],
            ZERO_1_1,  # labels differ: the 5 common characters earn nothing
            {"X": (0.0, 0.0, 0.0, 0, 1), "Y": (0.0, 0.0, 0.0, 1, 0)},
            id="overlap-labels-differ",
        ),
        pytest.param(
            [("a", "X", 0, 10), ("a", "Y", 10, 20)],
            [("a", "X", 0, 20), ("a", "Y", 0, 10)],
            # X: 10/20 and 10/10; Y: [0,10) & [10,20) is empty
            # P = (0.5 + 0)/2 = 0.25; R = (1 + 0)/2 = 0.5; F1 = 0.25/0.75 = 1/3
            (0.25, 0.5, 1 / 3, 2, 2),
            # X: P = 0.5/1, R = 1/1, F1 = 1/1.5 = 2/3
            {"X": (0.5, 1.0, 2 / 3, 1, 1), "Y": (0.0, 0.0, 0.0, 1, 1)},
            id="only-agreeing-overlap-counts",
        ),
        pytest.param(
            [("a", "X", 0, 10)],
            [("a", "X", 0, 6), ("a", "X", 4, 10), ("a", "Y", 2, 8)],
            # X predictions merge into [0,10) (10/10 both ways); Y is not merged with them
            # P = (1 + 0)/2 = 0.5; R = 1/1; F1 = 1/1.5 = 2/3
            (0.5, 1.0, 2 / 3, 2, 1),
            {"X": (1.0, 1.0, 1.0, 1, 1), "Y": (0.0, 0.0, 0.0, 1, 0)},
            id="predictions-merged-per-technique",
        ),
        pytest.param(
            [("a", "X", 0, 10), ("a", "Y", 5, 15)],
            [("a", "Y", 5, 15)],
            (1.0, 0.5, 2 / 3, 1, 2),  # gold X and Y stay apart: P = 10/10, R = 10/10 / 2
            {"X": (0.0, 0.0, 0.0, 0, 1), "Y": (1.0, 1.0, 1.0, 1, 1)},
            id="gold-of-different-techniques-not-merged",
        ),
        pytest.param(
            [("a", "X", 0, 10), ("a", "X", 0, 10)],
            [("a", "X", 0, 5)],
            (1.0, 0.5, 2 / 3, 1, 1),  # duplicated gold merges: P = 5/5, R = 5/10
            {"X": (1.0, 0.5, 2 / 3, 1, 1)},
            id="duplicated-gold-span",
        ),
        pytest.param(
            [("a", "X", 0, 10), ("b", "X", 0, 10)],
            [("b", "X", 0, 5), ("c", "X", 0, 10)],
            # b: 5/5 and 5/10; c has no gold; a has no prediction
            # P = (1 + 0)/2 = 0.5; R = (0.5 + 0)/2 = 0.25; F1 = 0.25/0.75 = 1/3
            (0.5, 0.25, 1 / 3, 2, 2),
            {"X": (0.5, 0.25, 1 / 3, 2, 2)},
            id="multi-article",
        ),
        pytest.param(
            [],
            [("a", "X", 0, 5)],
            (0.0, 0.0, 0.0, 1, 0),
            {"X": (0.0, 0.0, 0.0, 1, 0)},
            id="empty-gold",
        ),
        pytest.param(
            [("a", "X", 0, 5)],
            [],
            (0.0, 0.0, 0.0, 0, 1),
            {"X": (0.0, 0.0, 0.0, 0, 1)},
            id="empty-predictions",
        ),
        pytest.param([], [], (0.0, 0.0, 0.0, 0, 0), {}, id="both-empty"),
    ],
)
def test_score_full(
    gold: list[TechniqueLabel],
    predicted: list[TechniqueLabel],
    expected: Expected,
    per_technique: dict[str, Expected],
) -> None:
    report = score_full(iter(gold), iter(predicted))
    assert_prf(report.overall, expected)
    assert sorted(report.per_technique) == sorted(per_technique)
    for technique, values in per_technique.items():
        assert_prf(report.per_technique[technique], values)


def test_si_ignores_techniques_that_full_task_checks() -> None:
    gold: list[TechniqueLabel] = [("a", "X", 0, 10), ("a", "Y", 10, 20)]
    predicted: list[TechniqueLabel] = [("a", "X", 0, 20), ("a", "Y", 0, 10)]
    si = score_si([(a, s, e) for a, _, s, e in gold], [(a, s, e) for a, _, s, e in predicted])
    # SI: predictions merge into [0,20); gold [0,10) and [10,20) only touch, so stay apart
    # P = (10/20 + 10/20)/1 = 1; R = (10/10 + 10/10)/2 = 1
    assert_prf(si.overall, (1.0, 1.0, 1.0, 1, 2))
    # full task on the same data: see "only-agreeing-overlap-counts" (F1 = 1/3)
    assert score_full(gold, predicted).overall.f1 == pytest.approx(1 / 3)
