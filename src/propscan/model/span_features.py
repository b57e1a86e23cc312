"""Features of a span in its article, for the technique classifier."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SpanInContext:
    """The texts the classifier looks at for one span."""

    span: str
    context: str
    numeric: tuple[float, ...]


NUMERIC_FEATURES = (
    "log_chars",
    "log_words",
    "repeats_in_article",
    "repeats_earlier",
    "upper_share",
    "has_exclamation",
    "has_question",
    "in_title",
    "is_quoted",
    "whole_sentence",
)


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start) + 1)
    right_candidates = [i for i in (text.find("\n", end), text.find(". ", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return max(left, 0), right


def describe(text: str, start: int, end: int) -> SpanInContext:
    """The span's own text, its sentence around it, and numeric cues (length, repetition...)."""
    fragment = text[start:end]
    lower = fragment.lower().strip()
    words = _WORD.findall(fragment)
    letters = [c for c in fragment if c.isalpha()]
    lower_text = text.lower()
    occurrences = lower_text.count(lower) if lower else 0
    earlier = lower_text.count(lower, 0, start) if lower else 0
    left, right = _sentence_bounds(text, start, end)
    sentence = text[left:right]
    before, after = text[left:start], text[end:right]
    stripped = fragment.strip(" \"'“”‘’.!?,")
    numeric = (
        math.log1p(len(fragment)),
        math.log1p(len(words)),
        math.log1p(max(occurrences - 1, 0)),
        float(earlier > 0),
        sum(c.isupper() for c in letters) / len(letters) if letters else 0.0,
        float("!" in fragment or "!" in after[:2]),
        float("?" in fragment or "?" in after[:2]),
        float("\n" not in text[:start]),
        float(before.rstrip()[-1:] in "\"'“‘" and before.rstrip() != ""),
        float(len(stripped) >= 0.9 * len(sentence.strip(" \"'“”‘’.!?,"))),
    )
    return SpanInContext(fragment, f"{before} {after}", numeric)


def numeric_matrix(items: list[SpanInContext]) -> NDArray[np.float64]:
    """The numeric cues of several spans as one matrix."""
    return np.array([item.numeric for item in items], dtype=np.float64).reshape(
        len(items), len(NUMERIC_FEATURES)
    )
