"""Repetition needs something repeated: a span is only labelled Repetition when it recurs.

In the PTC training articles 97% of the gold Repetition spans contain a word (of four letters or
more, when the span has one) that occurs again elsewhere in the article; 77% recur verbatim. So
Repetition is ruled out where no key word recurs, and may be boosted where the span's whole text
recurs (the boost is chosen on held-back articles).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

REPETITION = "Repetition"
_WORD = re.compile(r"\w+")
_KEY_LENGTH = 4
"""Words at least this long are the key words of a span; shorter ones count only if alone."""


class WordIndex:
    """Where each word of a text occurs (case-insensitive): built once per text, so that
    asking about every span costs the span's words, not the whole text each time."""

    def __init__(self, text: str) -> None:
        self.places: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
        for match in _WORD.finditer(text):
            self.places[match.group().lower()].append(match.span())

    def occurs_outside(self, word: str, start: int, end: int) -> bool:
        """Whether ``word`` occurs somewhere other than wholly inside ``[start, end)``."""
        places = self.places.get(word, [])
        first, last = bisect_left(places, (start, start)), bisect_left(places, (end, end))
        inside = sum(1 for _, e in places[first:last] if e <= end)
        return len(places) > inside


def key_words(fragment: str) -> set[str]:
    """The words of a fragment that count for recurrence (lower case): those of four letters or
    more, or every word when it has none."""
    words = [w.lower() for w in _WORD.findall(fragment)]
    return {w for w in words if len(w) >= _KEY_LENGTH} or set(words)


def recurs_elsewhere(text: str, start: int, end: int, index: WordIndex | None = None) -> bool:
    """Whether a key word of ``text[start:end]`` also occurs outside the span (case-insensitive);
    ``index``: the text's ``WordIndex``, when one is at hand."""
    index = index or WordIndex(text)
    return any(index.occurs_outside(key, start, end) for key in key_words(text[start:end]))


def apply_rules(
    raw: NDArray[np.float64],
    text: str,
    spans: Sequence[tuple[int, int]],
    labels: Sequence[str],
    *,
    class_counts: Sequence[int] | None,
    prior_power: float,
    repetition_boost: float,
) -> NDArray[np.float64]:
    """A classifier's raw rows after its rules: class priors restored (``adjust_priors``),
    verbatim repeats boosted (``boost_repetition``), Repetition gated (``gate_repetition``)."""
    adjusted = adjust_priors(raw, class_counts, prior_power)
    boosted = boost_repetition(adjusted, text, spans, labels, repetition_boost)
    return gate_repetition(boosted, text, spans, labels)


def gate_repetition(
    rows: NDArray[np.float64],
    text: str,
    spans: Sequence[tuple[int, int]],
    labels: Sequence[str],
) -> NDArray[np.float64]:
    """Probabilities with Repetition ruled out for spans whose words occur nowhere else."""
    if REPETITION not in labels or not len(rows):
        return rows
    column = list(labels).index(REPETITION)
    gated = rows.copy()
    index = WordIndex(text)
    for i, (start, end) in enumerate(spans):
        if not recurs_elsewhere(text, start, end, index):
            gated[i, column] = 0.0
    totals = gated.sum(axis=1, keepdims=True)
    return np.asarray(np.where(totals > 0, gated / np.maximum(totals, 1e-12), rows))


def recurs_verbatim(text: str, start: int, end: int, lowered: str | None = None) -> bool:
    """Whether the span's whole text (case-insensitive) occurs again elsewhere in the text;
    ``lowered``: ``text.lower()``, when one is at hand."""
    fragment = text[start:end].strip().lower()
    return bool(fragment) and (lowered or text.lower()).count(fragment) >= 2


def boost_repetition(
    rows: NDArray[np.float64],
    text: str,
    spans: Sequence[tuple[int, int]],
    labels: Sequence[str],
    factor: float,
) -> NDArray[np.float64]:
    """Probabilities with Repetition ``factor`` times as likely for spans that recur verbatim."""
    if factor == 1.0 or REPETITION not in labels or not len(rows):
        return rows
    column = list(labels).index(REPETITION)
    boosted = rows.copy()
    lowered = text.lower()
    for i, (start, end) in enumerate(spans):
        if recurs_verbatim(text, start, end, lowered):
            boosted[i, column] *= factor
    return np.asarray(boosted / boosted.sum(axis=1, keepdims=True))


def adjust_priors(
    rows: NDArray[np.float64], counts: Sequence[int] | None, power: float
) -> NDArray[np.float64]:
    """Undo class-weighted training: scale each column by ``count ** power``, renormalise.

    A classifier trained with loss weights ``count ** -w`` favours rare classes; ``power = w``
    restores the training set's class frequencies, which suits micro-F1.
    """
    if not power or counts is None or not len(rows):
        return rows
    scale = np.power(np.maximum(np.asarray(counts, dtype=np.float64), 1.0), power)
    scaled = rows * scale
    return np.asarray(scaled / scaled.sum(axis=1, keepdims=True))
