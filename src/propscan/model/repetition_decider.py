"""Repetition decided jointly with a span's other technique, from how often the span recurs.

Annotators mark Repetition on a fragment that recurs in the article, and often give the same
fragment a second label (Loaded language, Name calling, Slogans). A softmax over the 14 classes
has to choose between them, and it sees the article only within its window. The decider is a
logistic regression over the classifier's own probabilities and occurrence counts taken over
the whole article (the fragment verbatim, its key words, before and after the span); its output
is the probability that the span carries Repetition, whatever else it carries. The technique
list of a span then puts Repetition first when that probability passes ``first``, second when it
passes ``second``, and otherwise where the network ranks it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscan.errors import ModelNotFound
from propscan.model.repetition import REPETITION, WordIndex, key_words

_WORD = re.compile(r"\w+")

DECIDER_FEATURES = (
    "log_p_repetition",
    "log_p_best_other",
    "verbatim_earlier",
    "verbatim_later",
    "key_words_share_elsewhere",
    "key_words_min_elsewhere",
    "key_words_max_elsewhere",
    "key_word_earlier",
    "log_words",
)
"""The decider's inputs, in order (the manifest records them; a change needs a new fit)."""


def occurrence_features(
    text: str, start: int, end: int, index: WordIndex, lowered: str
) -> list[float]:
    """How often the span's text and key words occur elsewhere in the article, before and after
    it (log-counts; ``index`` and ``lowered`` are the text's ``WordIndex`` and lower case)."""
    fragment = text[start:end].strip().lower()
    earlier = lowered.count(fragment, 0, start) if fragment else 0
    later = lowered.count(fragment, end) if fragment else 0
    elsewhere, before = [], False
    for key in key_words(text[start:end]):
        places = index.places.get(key, [])
        outside = [p for p in places if p[0] < start or p[1] > end]
        elsewhere.append(len(outside))
        before = before or any(p[1] <= start for p in outside)
    share = sum(1 for n in elsewhere if n) / len(elsewhere) if elsewhere else 0.0
    return [
        math.log1p(earlier),
        math.log1p(later),
        share,
        math.log1p(min(elsewhere, default=0)),
        math.log1p(max(elsewhere, default=0)),
        float(before),
        math.log1p(len(_WORD.findall(text[start:end]))),
    ]


def decider_inputs(
    rows: NDArray[np.float64],
    text: str,
    spans: Sequence[tuple[int, int]],
    labels: Sequence[str],
) -> NDArray[np.float64]:
    """One row of ``DECIDER_FEATURES`` per span, from the network's probabilities ``rows``."""
    column = list(labels).index(REPETITION)
    index, lowered = WordIndex(text), text.lower()
    others = np.delete(rows, column, axis=1) if len(rows) else rows
    result = np.zeros((len(spans), len(DECIDER_FEATURES)))
    for i, (start, end) in enumerate(spans):
        result[i] = [
            math.log(max(float(rows[i, column]), 1e-6)),
            math.log(max(float(others[i].max()), 1e-6)),
            *occurrence_features(text, start, end, index, lowered),
        ]
    return result


@dataclass(frozen=True)
class RepetitionDecider:
    """A fitted logistic regression over standardised ``DECIDER_FEATURES`` and the two
    thresholds that place Repetition in a span's technique list."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    first: float
    second: float

    @classmethod
    def from_settings(cls, settings: dict[str, Any]) -> RepetitionDecider:
        """The decider a manifest's ``tc.repetition_decider`` describes."""
        if list(settings["features"]) != list(DECIDER_FEATURES):
            raise ModelNotFound(
                "the Repetition decider was fitted on other features; retrain the model"
            )
        return cls(
            tuple(settings["mean"]),
            tuple(settings["scale"]),
            tuple(settings["coef"]),
            float(settings["intercept"]),
            float(settings["first"]),
            float(settings["second"]),
        )

    def settings(self) -> dict[str, Any]:
        """What a manifest records of this decider."""
        return {"features": list(DECIDER_FEATURES), **asdict(self)}

    def probability(self, inputs: NDArray[np.float64]) -> NDArray[np.float64]:
        """P(the span carries Repetition) for each row of ``decider_inputs``."""
        z = (inputs - np.asarray(self.mean)) / np.asarray(self.scale)
        logits = z @ np.asarray(self.coef) + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-logits)))

    def apply(
        self,
        rows: NDArray[np.float64],
        text: str,
        spans: Sequence[tuple[int, int]],
        labels: Sequence[str],
    ) -> NDArray[np.float64]:
        """Rows whose Repetition column is moved to first or second place where the decider is
        sure enough (the moved column takes the probability the decider gives it); rows still
        sum to 1."""
        if REPETITION not in labels or not len(rows):
            return rows
        column = list(labels).index(REPETITION)
        return self.place(rows, self.probability(decider_inputs(rows, text, spans, labels)), column)

    def place(
        self, rows: NDArray[np.float64], p: NDArray[np.float64], column: int
    ) -> NDArray[np.float64]:
        """``apply`` with the decider's probabilities ``p`` already at hand."""
        placed = rows.copy()
        for i, row in enumerate(rows):
            others = np.delete(row, column)
            total = max(float(others.sum()), 1e-12)
            # Repetition at ``value`` outranks an other label ``q`` once value > q / (total + q).
            bar = [float(q) / (total + float(q)) for q in np.sort(others)[::-1][:2]]
            if p[i] >= self.first:
                value = max(float(p[i]), bar[0] + 1e-6)
            elif p[i] >= self.second and len(bar) > 1:
                value = min(max(float(p[i]), bar[1] + 1e-6), bar[0] - 1e-6)
            else:
                continue
            placed[i] = np.insert(others * (1.0 - value) / total, column, value)
        return placed
