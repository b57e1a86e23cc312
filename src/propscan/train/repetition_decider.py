"""Fit the joint Repetition decider and score the classifier's decision rules on out-of-fold rows.

Everything here works on ``HeldOutSpan`` rows, which ``tc_cv`` writes: the network's raw
probabilities for the gold spans of each held-out fold. Each fold is scored with rules chosen
on the other folds only: the 0.2.0 rules (class-prior power and verbatim-repetition boost,
then the gate that rules Repetition out where no key word recurs), and the same rules followed
by the joint decider.
"""

from __future__ import annotations

import itertools
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from propscan.model.repetition import REPETITION, apply_rules
from propscan.model.repetition_decider import (
    DECIDER_FEATURES,
    RepetitionDecider,
    decider_inputs,
)
from propscan.tasks.scoring import Report, TechniqueLabel, score_tc

PRIOR_POWERS = (0.0, 0.25, 0.5)
REPETITION_BOOSTS = (1.0, 2.0, 4.0)
CUTS = (*(round(0.05 * i, 2) for i in range(2, 20)), 1.01)
"""The thresholds tried for placing Repetition first / second (1.01: never)."""


@dataclass(frozen=True)
class HeldOutSpan:
    """One gold span of a held-out article: its gold techniques and the network's raw row."""

    fold: int
    article: str
    start: int
    end: int
    gold: tuple[str, ...]
    raw: tuple[float, ...]


@dataclass(frozen=True)
class Rules:
    """The 0.2.0 decision rules of the classifier, with or without the decider."""

    prior_power: float
    repetition_boost: float
    decider: RepetitionDecider | None = None


@dataclass(frozen=True)
class FoldScores:
    """One held-out fold's TC report under each rule set, and the rules chosen for it."""

    fold: int
    reports: dict[str, Report]
    rules: dict[str, Rules]
    answers: dict[str, list[TechniqueLabel]]


def decided_rows(
    spans: Sequence[HeldOutSpan],
    texts: dict[str, str],
    labels: Sequence[str],
    counts: dict[int, list[int]],
    rules: Rules,
) -> NDArray[np.float64]:
    """The rows the classifier would give under ``rules`` (``counts``: each fold's class
    counts, which the prior power undoes), article by article."""
    out = np.zeros((len(spans), len(labels)))
    for article, members in _by_article(spans).items():
        text = texts[article]
        places = [(spans[i].start, spans[i].end) for i in members]
        raw = np.asarray([spans[i].raw for i in members])
        rows = apply_rules(
            raw,
            text,
            places,
            labels,
            class_counts=counts[spans[members[0]].fold],
            prior_power=rules.prior_power,
            repetition_boost=rules.repetition_boost,
        )
        if rules.decider is not None:
            rows = rules.decider.apply(rows, text, places, labels)
        out[members] = rows
    return out


def technique_labels(
    spans: Sequence[HeldOutSpan], rows: NDArray[np.float64], labels: Sequence[str]
) -> list[TechniqueLabel]:
    """The TC answer: a span with k gold lines gets its k likeliest techniques."""
    answer = []
    for span, row in zip(spans, rows, strict=True):
        order = np.argsort(-row)
        for k in range(len(span.gold)):
            answer.append(
                (span.article, labels[int(order[min(k, len(order) - 1)])], span.start, span.end)
            )
    return answer


def gold_labels(spans: Sequence[HeldOutSpan]) -> list[TechniqueLabel]:
    """The gold TC lines of the spans."""
    return [(s.article, t, s.start, s.end) for s in spans for t in s.gold]


def fit_decider(
    spans: Sequence[HeldOutSpan],
    texts: dict[str, str],
    labels: Sequence[str],
    counts: dict[int, list[int]],
    rules: Rules,
) -> RepetitionDecider:
    """A decider fitted on these spans (after ``rules``), its thresholds chosen for TC F1 on
    them."""
    base = decided_rows(spans, texts, labels, counts, rules)
    inputs = np.zeros((len(spans), len(DECIDER_FEATURES)))
    for article, members in _by_article(spans).items():
        places = [(spans[i].start, spans[i].end) for i in members]
        inputs[members] = decider_inputs(base[members], texts[article], places, labels)
    target = np.asarray([REPETITION in s.gold for s in spans], dtype=int)
    scaler = StandardScaler().fit(inputs)
    scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
    model = LogisticRegression(C=1.0, max_iter=1000).fit((inputs - scaler.mean_) / scale, target)
    weights = (
        tuple(float(v) for v in scaler.mean_),
        tuple(float(v) for v in scale),
        tuple(float(v) for v in model.coef_[0]),
        float(model.intercept_[0]),
    )
    p = RepetitionDecider(*weights, first=1.01, second=1.01).probability(inputs)
    column = list(labels).index(REPETITION)
    gold = gold_labels(spans)
    best, chosen = -1.0, (1.01, 1.01)
    for first, second in itertools.product(CUTS, CUTS):
        if second > first:
            continue
        trial = RepetitionDecider(*weights, first=first, second=second)
        rows = trial.place(base, p, column)
        f1 = _tc_f1(spans, rows, labels, gold)
        if f1 > best + 1e-9:
            best, chosen = f1, (first, second)
    return RepetitionDecider(*weights, first=chosen[0], second=chosen[1])


def choose_rules(
    spans: Sequence[HeldOutSpan],
    texts: dict[str, str],
    labels: Sequence[str],
    counts: dict[int, list[int]],
) -> Rules:
    """The prior power and Repetition boost with the best TC F1 on these spans."""
    gold = gold_labels(spans)
    best, chosen = -1.0, Rules(0.0, 1.0)
    for power, boost in itertools.product(PRIOR_POWERS, REPETITION_BOOSTS):
        rules = Rules(power, boost)
        rows = decided_rows(spans, texts, labels, counts, rules)
        f1 = _tc_f1(spans, rows, labels, gold)
        if f1 > best + 1e-9:
            best, chosen = f1, rules
    return chosen


def cross_fitted_scores(
    spans: Sequence[HeldOutSpan],
    texts: dict[str, str],
    labels: Sequence[str],
    counts: dict[int, list[int]],
    recipe: Rules,
) -> list[FoldScores]:
    """Each fold scored under: the recipe's fixed rules, the 0.2.0 rules chosen on the other
    folds, and the recipe's rules followed by a decider fitted on the other folds (what ships)."""
    results = []
    for fold in sorted({s.fold for s in spans}):
        test = [s for s in spans if s.fold == fold]
        rest = [s for s in spans if s.fold != fold]
        tuned = choose_rules(rest, texts, labels, counts)
        joint = Rules(
            recipe.prior_power,
            recipe.repetition_boost,
            fit_decider(rest, texts, labels, counts, recipe),
        )
        chosen = {
            "0.2.0 rules": recipe,
            "0.2.0 rules, tuned on the other folds": tuned,
            "0.2.0 rules + joint Repetition decider": joint,
        }
        gold = gold_labels(test)
        answers = {
            name: technique_labels(test, decided_rows(test, texts, labels, counts, rules), labels)
            for name, rules in chosen.items()
        }
        reports = {name: score_tc(gold, answer) for name, answer in answers.items()}
        results.append(FoldScores(fold, reports, chosen, answers))
    return results


def summary(results: Sequence[FoldScores]) -> dict[str, tuple[float, float]]:
    """Mean and standard deviation over folds of each rule set's TC micro-F1."""
    names = results[0].reports
    return {
        name: (
            statistics.mean(r.reports[name].overall.f1 for r in results),
            statistics.stdev(r.reports[name].overall.f1 for r in results),
        )
        for name in names
    }


def _by_article(spans: Sequence[HeldOutSpan]) -> dict[str, list[int]]:
    grouped: defaultdict[str, list[int]] = defaultdict(list)
    for i, span in enumerate(spans):
        grouped[span.article].append(i)
    return grouped


def _tc_f1(
    spans: Sequence[HeldOutSpan],
    rows: NDArray[np.float64],
    labels: Sequence[str],
    gold: Sequence[TechniqueLabel],
) -> float:
    """TC micro-F1 of the answer ``rows`` give the spans."""
    return score_tc(gold, technique_labels(spans, rows, labels)).overall.f1
