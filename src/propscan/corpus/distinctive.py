"""What sets a group of articles apart: the techniques, and the words inside technique spans,
that it uses more than another group, by the log-odds ratio with an informative Dirichlet prior
("Fightin' Words": Monroe, Colaresi & Quinn 2008, section 3.5).

For a term w with counts y_a and y_b in the two groups (totals n_a and n_b) and a prior that
spreads ``PRIOR_SIZE`` pseudo-counts over the terms in proportion to their frequency in both
groups together (alpha_w; alpha_0 their sum), the estimate is

    delta_w = log((y_a + alpha_w) / (n_a + alpha_0 - y_a - alpha_w))
            - log((y_b + alpha_w) / (n_b + alpha_0 - y_b - alpha_w))

with variance about 1 / (y_a + alpha_w) + 1 / (y_b + alpha_w); a term sets A apart when its
z-score delta / sqrt(variance) is above 1.96, B when below -1.96. The prior shrinks rare terms
towards no difference, so a word seen twice cannot top the list.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from propscan.text.words import words_of

PRIOR_SIZE = 1000.0
Z_CREDIBLE = 1.96
MIN_COUNT = 3
"""Terms seen fewer times than this in both groups together are not listed."""


@dataclass(frozen=True)
class Example:
    """A span behind a distinctive term: its article, technique and text."""

    article_id: int
    technique: str
    text: str


@dataclass(frozen=True)
class Distinctive:
    """A term (technique label or word) and how strongly it sets its group apart."""

    term: str
    z: float
    log_odds: float
    count_a: int
    count_b: int
    examples: tuple[Example, ...] = ()


class SpanText(NamedTuple):
    """A kept technique span of a stored article, with the words that count in it
    (``span_words``); its text is read only for the spans shown as examples."""

    span_id: int
    article_id: int
    technique: str
    words: tuple[str, ...]
    score: float


TextsOf = Callable[[Iterable[int]], dict[int, str]]
"""Reads the texts of some spans by id (only the examples' are ever asked for)."""


def log_odds(
    counts_a: Counter[str], counts_b: Counter[str], *, credible_only: bool = False
) -> list[Distinctive]:
    """Every term seen ``MIN_COUNT`` times or more (with ``credible_only``, those whose
    |z| > ``Z_CREDIBLE``), by z-score (A's most distinctive first)."""
    pooled = counts_a + counts_b
    n_a, n_b, total = sum(counts_a.values()), sum(counts_b.values()), sum(pooled.values())
    if not n_a or not n_b:
        return []
    terms = sorted(term for term, count in pooled.items() if count >= MIN_COUNT)
    y_a = np.asarray([counts_a[t] for t in terms], dtype=np.float64)
    y_b = np.asarray([counts_b[t] for t in terms], dtype=np.float64)
    alpha = PRIOR_SIZE * (y_a + y_b) / total
    delta = np.log((y_a + alpha) / (n_a + PRIOR_SIZE - y_a - alpha)) - np.log(
        (y_b + alpha) / (n_b + PRIOR_SIZE - y_b - alpha)
    )
    z = delta / np.sqrt(1 / (y_a + alpha) + 1 / (y_b + alpha))
    order = np.argsort(-z, kind="stable")  # terms are sorted: ties keep alphabetical order
    if credible_only:
        order = order[np.abs(z[order]) > Z_CREDIBLE]
    return [
        Distinctive(terms[i], float(z[i]), float(delta[i]), int(y_a[i]), int(y_b[i])) for i in order
    ]


def span_words(text: str) -> tuple[str, ...]:
    """The words of a span that count, each once, in order: lower case, of letters, at least
    three of them, and not an English function word."""
    return tuple(
        dict.fromkeys(
            w for w in words_of(text) if len(w) >= 3 and w.isalpha() and w not in ENGLISH_STOP_WORDS
        )
    )


def distinctive_words(
    spans_a: Sequence[SpanText],
    spans_b: Sequence[SpanText],
    texts: TextsOf,
    *,
    limit: int,
    examples: int = 3,
) -> tuple[list[Distinctive], list[Distinctive]]:
    """The words inside spans that set A apart, and those that set B apart (each span counts
    a word once), with up to ``examples`` of the spans behind each (the model's surest first)."""
    counts_a = Counter(w for span in spans_a for w in span.words)
    counts_b = Counter(w for span in spans_b for w in span.words)
    ranked = log_odds(counts_a, counts_b, credible_only=True)
    top_a = [d for d in ranked if d.z > Z_CREDIBLE][:limit]
    top_b = [d for d in reversed(ranked) if d.z < -Z_CREDIBLE][:limit]
    return (
        _with_examples(top_a, spans_a, examples, texts, lambda d, span: d.term in span.words),
        _with_examples(top_b, spans_b, examples, texts, lambda d, span: d.term in span.words),
    )


def distinctive_techniques(
    spans_a: Sequence[SpanText], spans_b: Sequence[SpanText], texts: TextsOf, *, examples: int = 3
) -> tuple[list[Distinctive], list[Distinctive]]:
    """The techniques whose share of the spans sets A apart, and those that set B apart."""
    ranked = log_odds(
        Counter(s.technique for s in spans_a),
        Counter(s.technique for s in spans_b),
        credible_only=True,
    )
    top_a = [d for d in ranked if d.z > Z_CREDIBLE]
    top_b = [d for d in reversed(ranked) if d.z < -Z_CREDIBLE]
    return (
        _with_examples(top_a, spans_a, examples, texts, lambda d, span: span.technique == d.term),
        _with_examples(top_b, spans_b, examples, texts, lambda d, span: span.technique == d.term),
    )


Behind = Callable[[Distinctive, SpanText], bool]


def _with_examples(
    terms: list[Distinctive], spans: Sequence[SpanText], n: int, texts: TextsOf, behind: Behind
) -> list[Distinctive]:
    """The terms, each with the ``n`` surest spans that ``behind`` says it comes from."""
    surest = sorted(spans, key=lambda span: -span.score)
    chosen: list[list[SpanText]] = []
    for d in terms:
        found: list[SpanText] = []
        for span in surest:
            if behind(d, span):
                found.append(span)
                if len(found) == n:
                    break
        chosen.append(found)
    text = texts({span.span_id for found in chosen for span in found})
    return [
        Distinctive(
            d.term,
            d.z,
            d.log_odds,
            d.count_a,
            d.count_b,
            tuple(Example(s.article_id, s.technique, text[s.span_id]) for s in found),
        )
        for d, found in zip(terms, chosen, strict=True)
    ]
