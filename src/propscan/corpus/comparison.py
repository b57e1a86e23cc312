"""Two groups of stored articles side by side (``compare``), and rates month by month
(``trends``): spans per 1,000 words with 95% intervals from a bootstrap over articles."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from propscan.corpus.distinctive import (
    Distinctive,
    SpanText,
    distinctive_techniques,
    distinctive_words,
    span_words,
)
from propscan.corpus.filters import Filters
from propscan.corpus.rates import Contrast, GroupRates, bootstrap_weights, contrast, group_rates
from propscan.corpus.schema import UNKNOWN, articles, spans
from propscan.corpus.statistics import ArticleTable, Statistics
from propscan.errors import QueryError

ALL = "(all techniques)"
SPAN_WORDS_CACHED = 2_000_000
"""The most spans whose words a store object keeps in memory (about 100 bytes each)."""
FEW_ARTICLES = 10
"""Months with fewer articles than this are flagged ``few`` in trends: their rates are shaky."""


@dataclass(frozen=True)
class GroupRate:
    """One group's rate per 1,000 words in one technique, with its 95% interval; ``articles``
    and ``words`` are the group's."""

    rate_per_1000_words: float
    low: float
    high: float
    spans: int
    articles: int
    words: int


@dataclass(frozen=True)
class TechniqueComparison:
    """A technique's rate in group A and in group B, their ratio (A / B) with its interval
    (``None``: unbounded or undefined, as when B has no span) and whether they credibly
    differ (the 95% interval of the difference excludes zero)."""

    technique: str
    a: GroupRate
    b: GroupRate
    ratio: float | None
    ratio_low: float | None
    ratio_high: float | None
    credible: bool


@dataclass(frozen=True)
class Comparison:
    """Group A against group B: all techniques together, then each technique (most frequent
    first). ``shared`` counts articles in both groups, which were left out of B."""

    a: Filters
    b: Filters | None
    """None: every stored article outside A."""
    total: TechniqueComparison
    techniques: list[TechniqueComparison]
    shared: int


@dataclass(frozen=True)
class DistinctiveReport:
    """What sets A apart from B, and B from A: techniques (by their share of the spans) and
    the words inside spans, each with examples (``propscan.corpus.distinctive``)."""

    a: Filters
    b: Filters | None
    techniques_a: list[Distinctive]
    techniques_b: list[Distinctive]
    words_a: list[Distinctive]
    words_b: list[Distinctive]


@dataclass(frozen=True)
class TrendPoint:
    """One group's rate in one month ('YYYY-MM'); ``few`` when under ``FEW_ARTICLES``."""

    group: str
    month: str
    articles: int
    words: int
    spans: int
    rate_per_1000_words: float
    low: float
    high: float
    few: bool


class Comparing(Statistics):
    """Comparisons and trends over the stored articles."""

    @functools.cached_property
    def span_words_cache(self) -> dict[tuple[int, int, int, int], tuple[str, ...]]:
        """The words of spans already read, by ``(span id, article id, start, end)``: a span's
        text never changes while those stay the same, so repeated comparisons skip reading it.
        Tuples of strings, unlike sets, drop out of the garbage collector's scans."""
        return {}

    def compare(
        self, a: Filters, b: Filters | None = None, *, within: Filters = Filters()
    ) -> Comparison:
        """Spans per 1,000 words of A and of B (default: the articles passing ``within`` that
        are not in A), per technique.

        Articles that pass both filters count in A only (``Comparison.shared`` says how many),
        so that the groups' resamples are independent.
        """
        table_a = self.article_table(a, columns="technique")
        table_b = self.article_table(b if b is not None else within, columns="technique")
        in_a = np.isin(table_b.ids, table_a.ids)
        shared = int(in_a.sum()) if b is not None else 0
        table_b = _subset(table_b, ~in_a)
        if not len(table_a.ids):
            raise QueryError(f"no stored article matches A ({a.describe()})")
        if not len(table_b.ids):
            what = b.describe() if b is not None else "the rest of the store"
            raise QueryError(f"no stored article matches B ({what}) outside A")
        columns = sorted(set(table_a.columns) | set(table_b.columns))
        matrix_a, matrix_b = _aligned(table_a, columns), _aligned(table_b, columns)
        weights = bootstrap_weights(len(table_a.ids) + len(table_b.ids))
        n_a = len(table_a.ids)
        rates_a = group_rates(table_a.words, matrix_a, weights[:, :n_a])
        rates_b = group_rates(table_b.words, matrix_b, weights[:, n_a:])
        totals_a = group_rates(table_a.words, matrix_a.sum(axis=1), weights[:, :n_a])
        totals_b = group_rates(table_b.words, matrix_b.sum(axis=1), weights[:, n_a:])
        rows = [_technique(name, rates_a, rates_b, i) for i, name in enumerate(columns)]
        rows.sort(key=lambda r: (-(r.a.spans + r.b.spans), r.technique))
        total = _technique(ALL, totals_a, totals_b, 0)
        return Comparison(a=a, b=b, total=total, techniques=rows, shared=shared)

    def distinctive(
        self,
        a: Filters,
        b: Filters | None = None,
        *,
        within: Filters = Filters(),
        limit: int = 15,
        examples: int = 3,
    ) -> DistinctiveReport:
        """The techniques and span words that set A apart from B (default: the articles
        passing ``within`` that are not in A) and B from A; articles in both count in A."""
        ids_a = set(self.article_table(a).ids.tolist())
        ids_b = set(self.article_table(b if b is not None else within).ids.tolist()) - ids_a
        if not ids_a or not ids_b:
            raise QueryError(
                f"both groups need stored articles (A: {a.describe()}; "
                f"B: {b.describe() if b is not None else 'the rest of the store'})"
            )
        spans_a, spans_b = self._span_words(ids_a), self._span_words(ids_b)
        techniques = distinctive_techniques(spans_a, spans_b, self._texts_of, examples=examples)
        words = distinctive_words(spans_a, spans_b, self._texts_of, limit=limit, examples=examples)
        return DistinctiveReport(a, b, *techniques, *words)

    def _span_words(self, ids: set[int]) -> list[SpanText]:
        """The kept spans of these articles with the words that count in each; a span's words
        are computed once per store object (``span_words_cache``) and its text read only then."""
        s = spans.c
        query = sa.select(s.id, s.article_id, s.technique, s.start, s.end, s.score).where(
            s.status != "rejected"
        )
        rows: list[tuple[int, int, str, int, int, float]] = []
        ordered = sorted(ids)
        with self._errors(), self._engine.connect() as conn:
            for first in range(0, len(ordered), 5000):
                chunk = ordered[first : first + 5000]
                rows += [tuple(row) for row in conn.execute(query.where(s.article_id.in_(chunk)))]
        cache = self.span_words_cache
        if len(cache) > SPAN_WORDS_CACHED:
            cache.clear()
        words = {(r[0], r[1], r[3], r[4]): cache.get((r[0], r[1], r[3], r[4])) for r in rows}
        missing = {key[0]: key for key, found in words.items() if found is None}
        for span_id, (start, end, text) in self._span_places(missing).items():
            key = (span_id, missing[span_id][1], start, end)
            words[key] = cache[key] = span_words(text)
        return [
            SpanText(
                span_id,
                article_id,
                technique,
                words.get((span_id, article_id, start, end)) or (),
                score,
            )
            for span_id, article_id, technique, start, end, score in rows
        ]

    def _texts_of(self, span_ids: Iterable[int]) -> dict[int, str]:
        """The texts of these spans, by id."""
        return {span_id: text for span_id, (_, _, text) in self._span_places(span_ids).items()}

    def _span_places(self, span_ids: Iterable[int]) -> dict[int, tuple[int, int, str]]:
        """``(start, end, text)`` of these spans, by id."""
        s = spans.c
        query = sa.select(
            s.id, s.start, s.end, sa.func.substr(articles.c.text, s.start + 1, s.end - s.start)
        ).join(articles, articles.c.id == s.article_id)
        ordered = sorted(span_ids)
        found: dict[int, tuple[int, int, str]] = {}
        with self._errors(), self._engine.connect() as conn:
            for first in range(0, len(ordered), 5000):
                chunk = ordered[first : first + 5000]
                for span_id, start, end, text in conn.execute(query.where(s.id.in_(chunk))):
                    found[span_id] = (start, end, text or "")
        return found

    def trends(
        self, by: str | None = None, filters: Filters = Filters(), technique: str | None = None
    ) -> list[TrendPoint]:
        """Spans per 1,000 words month by month, per group of ``by`` (source or a further
        field; None: all articles as one group), of one technique or of all; undated articles
        are left out. Groups are ordered by their numbers of articles, months in order."""
        groups = ("month", by) if by else ("month",)
        table = self.article_table(
            filters, groups=groups, columns="technique" if technique else None
        )
        if technique:
            spans = (
                table.matrix[:, table.columns.index(technique)]
                if technique in table.columns
                else np.zeros(len(table.ids), dtype=np.int64)
            )
        else:
            spans = table.spans
        cells: dict[tuple[str, str], list[int]] = {}
        sizes: dict[str, int] = {}
        for index, key in enumerate(table.keys):
            month, group = key[0], key[1] if by else "all"
            sizes[group] = sizes.get(group, 0) + 1
            if month != UNKNOWN:
                cells.setdefault((group, month), []).append(index)
        weights = bootstrap_weights(len(table.ids))
        points = []
        rank = {group: (-n, group) for group, n in sizes.items()}
        for group, month in sorted(cells, key=lambda cell: (rank[cell[0]], cell[1])):
            members = np.asarray(cells[group, month])
            rates = group_rates(table.words[members], spans[members], weights[:, members])
            rate = rates.rate(0)
            points.append(
                TrendPoint(
                    group=group,
                    month=month,
                    articles=len(members),
                    words=rates.words,
                    spans=int(rates.spans[0]),
                    rate_per_1000_words=rate.value,
                    low=rate.low,
                    high=rate.high,
                    few=len(members) < FEW_ARTICLES,
                )
            )
        return points


def _technique(name: str, a: GroupRates, b: GroupRates, column: int) -> TechniqueComparison:
    found: Contrast = contrast(a, b, column)
    return TechniqueComparison(
        technique=name,
        a=_group_rate(a, column),
        b=_group_rate(b, column),
        ratio=found.ratio,
        ratio_low=found.low,
        ratio_high=found.high,
        credible=found.credible,
    )


def _group_rate(rates: GroupRates, column: int) -> GroupRate:
    rate = rates.rate(column)
    return GroupRate(
        rate_per_1000_words=rate.value,
        low=rate.low,
        high=rate.high,
        spans=int(rates.spans[column]),
        articles=rates.articles,
        words=rates.words,
    )


def _subset(table: ArticleTable, keep: npt.NDArray[np.bool_]) -> ArticleTable:
    return ArticleTable(
        ids=table.ids[keep],
        words=table.words[keep],
        spans=table.spans[keep],
        keys=[key for key, kept in zip(table.keys, keep, strict=True) if kept],
        columns=table.columns,
        matrix=table.matrix[keep],
    )


def _aligned(table: ArticleTable, columns: list[str]) -> npt.NDArray[np.int64]:
    """The table's span matrix with ``columns`` in this order (zeros where it has none)."""
    out = np.zeros((len(table.ids), len(columns)), dtype=np.int64)
    for i, name in enumerate(columns):
        if name in table.columns:
            out[:, i] = table.matrix[:, table.columns.index(name)]
    return out
