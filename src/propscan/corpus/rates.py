"""Rates of technique spans with 95% intervals, articles being the sampled unit.

A rate per 1,000 words is a ratio estimator (the group's spans over its words); spans per
article is a mean. Both get percentile intervals from a bootstrap over articles: the Poisson
bootstrap (each article weighted by a Poisson(1) draw per resample; Hanley & MacGibbon 2006),
which resamples whole articles and so accounts for spans clustering within them. Resamples use
a fixed seed, so the same store gives the same intervals. Comparing two groups resamples each
independently: the ratio of their rates gets the interval of the resampled ratios, and a
difference is *credible* when the 95% interval of the resampled differences excludes zero.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

RESAMPLES = 1000
SEED = 20_201_104
LEVEL = 0.95

Floats = npt.NDArray[np.float64]
Weights = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Interval:
    """An estimate with the bounds of its 95% interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class GroupRates:
    """Per column (a technique, or all spans) of one group of articles: its rates and the
    resampled rates that intervals and comparisons are read from."""

    articles: int
    words: int
    spans: npt.NDArray[np.int64]
    per_1000_words: Floats
    per_article: Floats
    resampled_per_1000_words: Floats
    """(resamples, columns)."""
    resampled_per_article: Floats

    def rate(self, column: int) -> Interval:
        """Spans per 1,000 words in ``column``, with its interval."""
        return _interval(self.per_1000_words[column], self.resampled_per_1000_words[:, column])

    def mean(self, column: int) -> Interval:
        """Spans per article in ``column``, with its interval."""
        return _interval(self.per_article[column], self.resampled_per_article[:, column])


@dataclass(frozen=True)
class Contrast:
    """Group A against group B in one column: the ratio of their rates per 1,000 words, its
    interval (``None`` bounds: unbounded, as when B has no span), and whether they credibly
    differ."""

    ratio: float | None
    low: float | None
    high: float | None
    credible: bool


@functools.lru_cache(maxsize=2)
def bootstrap_weights(articles: int, resamples: int = RESAMPLES, seed: int = SEED) -> Weights:
    """Poisson(1) weights, (resamples, articles). Groups drawn from one corpus take disjoint
    columns of one matrix, which keeps their resamples independent of each other."""
    rng = np.random.default_rng(seed)
    weights = rng.poisson(1.0, size=(resamples, articles)).astype(np.uint8)
    weights.flags.writeable = False
    return weights


def group_rates(
    words: npt.ArrayLike, spans: npt.ArrayLike, weights: Weights | None = None
) -> GroupRates:
    """The rates of one group: ``words`` per article (n,), ``spans`` per article and column
    (n, columns), and the group's bootstrap weights (resamples, n) (default: its own)."""
    w = np.asarray(words, dtype=np.float64)
    s = np.asarray(spans, dtype=np.float64)
    if s.ndim == 1:
        s = s[:, None]
    if weights is None:
        weights = bootstrap_weights(len(w))
    weights = weights.astype(np.float64)
    resampled_spans = weights @ s
    resampled_words = weights @ w
    resampled_articles = weights.sum(axis=1)
    total_words, n = float(w.sum()), len(w)
    return GroupRates(
        articles=n,
        words=int(total_words),
        spans=s.sum(axis=0).astype(np.int64),
        per_1000_words=_divide(s.sum(axis=0) * 1000, total_words),
        per_article=_divide(s.sum(axis=0), float(n)),
        resampled_per_1000_words=_divide(
            resampled_spans * 1000, resampled_words[:, None], empty=np.nan
        ),
        resampled_per_article=_divide(resampled_spans, resampled_articles[:, None], empty=np.nan),
    )


def contrast(a: GroupRates, b: GroupRates, column: int) -> Contrast:
    """A's rate per 1,000 words in ``column`` against B's (both resampled independently)."""
    rate_a, rate_b = a.per_1000_words[column], b.per_1000_words[column]
    draws_a = a.resampled_per_1000_words[:, column]
    draws_b = b.resampled_per_1000_words[:, column]
    tail = (1 - LEVEL) / 2 * 100
    differences = draws_a - draws_b
    if np.isnan(differences).all():
        return Contrast(None, None, None, credible=False)
    low_diff, high_diff = np.nanpercentile(differences, [tail, 100 - tail])
    credible = bool(low_diff > 0 or high_diff < 0)
    if rate_a == 0 and rate_b == 0:
        return Contrast(None, None, None, credible=False)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(draws_b > 0, draws_a / np.where(draws_b > 0, draws_b, 1), np.inf)
    ratios = np.where((draws_a == 0) & (draws_b == 0), 1.0, ratios)
    ratios = ratios[~np.isnan(differences)]
    with np.errstate(invalid="ignore"):  # infinite ratios: B without spans in a resample
        low, high = np.percentile(ratios, [tail, 100 - tail])
    return Contrast(
        ratio=float(rate_a / rate_b) if rate_b > 0 else None,
        low=_finite(low),
        high=_finite(high),
        credible=credible,
    )


def _interval(value: float, draws: Floats) -> Interval:
    """``value`` with the percentile interval of its resamples (those with any article)."""
    kept = draws[~np.isnan(draws)]
    if not len(kept):
        return Interval(float(value), float(value), float(value))
    tail = (1 - LEVEL) / 2 * 100
    low, high = np.percentile(kept, [tail, 100 - tail])
    return Interval(float(value), float(low), float(high))


def _divide(numerator: npt.ArrayLike, denominator: npt.ArrayLike, empty: float = 0.0) -> Floats:
    """numerator / denominator, ``empty`` where the denominator is 0 (a group, or a resample,
    without words or articles)."""
    top = np.asarray(numerator, dtype=np.float64)
    bottom = np.broadcast_to(np.asarray(denominator, dtype=np.float64), top.shape)
    out = np.full_like(top, empty)
    np.divide(top, bottom, out=out, where=bottom > 0)
    return out


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None
