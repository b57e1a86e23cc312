"""Calibrated confidence: a monotone map from a span's raw score (``span confidence ×
technique probability``) to the measured rate at which annotators marked that fragment with
that technique (a gold span of the technique covers at least half of it).

The map is Platt scaling on the log-odds of the raw score, ``sigmoid(slope × logit(raw) +
intercept)``, fitted on held-out spans: two numbers, so it cannot overfit the few spans at the
ends of the score range, and with a positive slope it keeps the spans' order.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_EDGE = 1e-4  # raw scores are clipped to [_EDGE, 1 - _EDGE] before taking log-odds


def _logit(score: float) -> float:
    score = min(max(score, _EDGE), 1 - _EDGE)
    return math.log(score / (1 - score))


@dataclass(frozen=True)
class Calibration:
    """``sigmoid(slope × logit(raw) + intercept)``, in (0, 1) and non-decreasing."""

    slope: float
    intercept: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.slope) and math.isfinite(self.intercept)) or self.slope <= 0:
            raise ValueError("a calibration needs a finite positive slope and intercept")

    def __call__(self, score: float) -> float:
        z = self.slope * _logit(score) + self.intercept
        return 1 / (1 + math.exp(-z))

    def to_dict(self) -> dict[str, float]:
        return {"slope": round(self.slope, 6), "intercept": round(self.intercept, 6)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Calibration:
        return cls(float(data["slope"]), float(data["intercept"]))

    @classmethod
    def fit(cls, scores: Sequence[float], hits: Sequence[bool]) -> Calibration:
        """The maximum-likelihood fit (scikit-learn's logistic regression, unpenalised)."""
        import numpy as np
        from sklearn.linear_model import LogisticRegression

        x = np.asarray([_logit(s) for s in scores]).reshape(-1, 1)
        regression = LogisticRegression(C=1e6).fit(x, np.asarray(hits, int))
        return cls(float(regression.coef_[0, 0]), float(regression.intercept_[0]))
