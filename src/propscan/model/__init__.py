"""The models behind propscan: what the pipeline asks of a span detector and a classifier."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

THREADS_VARIABLE = "PROPSCAN_THREADS"
"""Environment variable: threads per model session (batch workers set it to share the cores)."""

DetectedSpan = tuple[int, int, float]
"""(start, end, confidence) of a fragment that uses some technique."""


class SpanDetector(Protocol):
    """Finds the fragments of a text that use a technique."""

    def detect(self, text: str, *, spans_only: bool = False) -> list[DetectedSpan]:
        """Spans sorted by position. ``spans_only``: the decoding tuned for span F1 alone (the
        SemEval SI task) rather than for spans that also get a technique."""
        ...


class TechniqueScorer(Protocol):
    """Gives each span of a text a probability for every technique label."""

    labels: list[str]

    def probabilities(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        """Rows for choosing which techniques a detected span gets (label thresholds)."""
        ...

    def ranked(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        """Rows for ranking the techniques of given spans (the k-th copy of a span takes the
        k-th likeliest): may differ from ``probabilities`` where a model decides a technique
        jointly with the others."""
        ...
