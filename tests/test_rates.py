"""Rates with intervals over articles: a planted difference is found, an equal one is not."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from propscan.corpus.distinctive import log_odds
from propscan.corpus.rates import bootstrap_weights, contrast, group_rates


def simulated_group(
    rng: np.random.Generator, articles: int, rate_per_1000: float
) -> tuple[np.ndarray, np.ndarray]:
    """Articles of varied length whose spans cluster (a gamma-distributed propensity each)."""
    words = rng.integers(200, 2000, size=articles)
    propensity = rng.gamma(shape=2.0, scale=0.5, size=articles)  # mean 1, overdispersed
    spans = rng.poisson(words * rate_per_1000 / 1000 * propensity)
    return words, spans


def credible_share(rate_a: float, rate_b: float, seeds: range) -> float:
    found = 0
    for seed in seeds:
        rng = np.random.default_rng(seed)
        words_a, spans_a = simulated_group(rng, 200, rate_a)
        words_b, spans_b = simulated_group(rng, 200, rate_b)
        weights = bootstrap_weights(400)
        a = group_rates(words_a, spans_a, weights[:, :200])
        b = group_rates(words_b, spans_b, weights[:, 200:])
        found += contrast(a, b, 0).credible
    return found / len(seeds)


def test_a_planted_difference_is_credible_in_most_seeds() -> None:
    assert credible_share(4.0, 3.0, range(40)) >= 0.8


def test_equal_rates_are_rarely_called_different() -> None:
    assert credible_share(3.0, 3.0, range(40)) <= 0.125


def test_the_interval_covers_the_true_rate_about_95_percent_of_the_time() -> None:
    covered = 0
    for seed in range(60):
        words, spans = simulated_group(np.random.default_rng(1000 + seed), 200, 3.0)
        rate = group_rates(words, spans).rate(0)
        covered += rate.low <= 3.0 <= rate.high
    assert covered / 60 >= 0.85


def test_rates_and_means_are_the_plain_ratios() -> None:
    rates = group_rates([1000, 3000], [[2, 0], [6, 4]])
    assert rates.per_1000_words.tolist() == [2.0, 1.0]
    assert rates.per_article.tolist() == [4.0, 2.0]
    assert rates.words == 4000 and rates.spans.tolist() == [8, 4]
    interval = rates.rate(0)
    assert interval.low <= interval.value <= interval.high


def test_a_group_without_spans_has_a_zero_interval_and_no_ratio() -> None:
    none = group_rates([500, 500], [0, 0])
    some = group_rates([500, 500], [3, 4], bootstrap_weights(4)[:, 2:])
    assert none.rate(0).high == 0.0
    found = contrast(some, none, 0)
    assert found.ratio is None and found.high is None
    assert contrast(none, none, 0).credible is False


def test_an_empty_group_gives_zeros_not_errors() -> None:
    empty = group_rates(np.zeros(0), np.zeros((0, 3)))
    assert empty.articles == 0
    assert empty.rate(2).value == 0.0


def test_log_odds_puts_the_overused_term_first_and_leaves_rare_ones_out() -> None:
    a = Counter({"traitor": 40, "the": 400, "rare": 2})
    b = Counter({"traitor": 5, "the": 400, "hero": 35})
    ranked = log_odds(a, b)
    assert ranked[0].term == "traitor" and ranked[0].z > 1.96
    assert ranked[-1].term == "hero" and ranked[-1].z < -1.96
    the = next(d for d in ranked if d.term == "the")
    assert abs(the.z) < 1.96
    assert "rare" not in {d.term for d in ranked}  # seen twice: not listed at all


@pytest.mark.parametrize("n", [1, 7])
def test_bootstrap_weights_are_fixed_for_a_size(n: int) -> None:
    assert (bootstrap_weights(n) == bootstrap_weights(n)).all()
    assert bootstrap_weights(n).shape == (1000, n)
