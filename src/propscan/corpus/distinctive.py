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

import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass

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


@dataclass(frozen=True)
class SpanText:
    """A kept technique span of a stored article, with its text."""

    article_id: int
    technique: str
    text: str
    score: float


def log_odds(counts_a: Counter[str], counts_b: Counter[str]) -> list[Distinctive]:
    """Every term seen ``MIN_COUNT`` times or more, by z-score (A's most distinctive first)."""
    pooled = counts_a + counts_b
    n_a, n_b, total = sum(counts_a.values()), sum(counts_b.values()), sum(pooled.values())
    if not n_a or not n_b:
        return []
    found = []
    for term, count in pooled.items():
        if count < MIN_COUNT:
            continue
        alpha = PRIOR_SIZE * count / total
        y_a, y_b = counts_a[term], counts_b[term]
        delta = math.log((y_a + alpha) / (n_a + PRIOR_SIZE - y_a - alpha)) - math.log(
            (y_b + alpha) / (n_b + PRIOR_SIZE - y_b - alpha)
        )
        z = delta / math.sqrt(1 / (y_a + alpha) + 1 / (y_b + alpha))
        found.append(Distinctive(term, z, delta, y_a, y_b))
    return sorted(found, key=lambda d: (-d.z, d.term))


def span_words(text: str) -> set[str]:
    """The words of a span that count: lower case, of letters, at least three of them, and not
    an English function word."""
    return {
        w for w in words_of(text) if len(w) >= 3 and w.isalpha() and w not in ENGLISH_STOP_WORDS
    }


def distinctive_words(
    spans_a: Iterable[SpanText], spans_b: Iterable[SpanText], *, limit: int, examples: int = 3
) -> tuple[list[Distinctive], list[Distinctive]]:
    """The words inside spans that set A apart, and those that set B apart (each span counts
    a word once), with up to ``examples`` of the spans behind each (the model's surest first)."""
    group_a = [(span, span_words(span.text)) for span in spans_a]
    group_b = [(span, span_words(span.text)) for span in spans_b]
    counts_a = Counter(w for _, words in group_a for w in words)
    counts_b = Counter(w for _, words in group_b for w in words)
    ranked = log_odds(counts_a, counts_b)
    top_a = [d for d in ranked if d.z > Z_CREDIBLE][:limit]
    top_b = [d for d in reversed(ranked) if d.z < -Z_CREDIBLE][:limit]
    return (
        _with_examples(top_a, group_a, examples, lambda d, span, words: d.term in words),
        _with_examples(top_b, group_b, examples, lambda d, span, words: d.term in words),
    )


def distinctive_techniques(
    spans_a: Iterable[SpanText], spans_b: Iterable[SpanText], *, examples: int = 3
) -> tuple[list[Distinctive], list[Distinctive]]:
    """The techniques whose share of the spans sets A apart, and those that set B apart."""
    group_a = [(span, set[str]()) for span in spans_a]
    group_b = [(span, set[str]()) for span in spans_b]
    ranked = log_odds(
        Counter(s.technique for s, _ in group_a), Counter(s.technique for s, _ in group_b)
    )
    top_a = [d for d in ranked if d.z > Z_CREDIBLE]
    top_b = [d for d in reversed(ranked) if d.z < -Z_CREDIBLE]
    return (
        _with_examples(top_a, group_a, examples, lambda d, span, _: span.technique == d.term),
        _with_examples(top_b, group_b, examples, lambda d, span, _: span.technique == d.term),
    )


Behind = Callable[[Distinctive, SpanText, set[str]], bool]


def _with_examples(
    terms: list[Distinctive], spans: list[tuple[SpanText, set[str]]], n: int, behind: Behind
) -> list[Distinctive]:
    """The terms, each with the ``n`` surest spans that ``behind`` says it comes from."""
    surest = sorted(spans, key=lambda pair: -pair[0].score)
    out = []
    for d in terms:
        chosen: list[Example] = []
        for span, words in surest:
            if behind(d, span, words):
                chosen.append(Example(span.article_id, span.technique, span.text))
                if len(chosen) == n:
                    break
        out.append(Distinctive(d.term, d.z, d.log_odds, d.count_a, d.count_b, tuple(chosen)))
    return out
