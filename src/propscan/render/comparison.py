"""Comparisons, distinctive terms and trends as JSON-ready dicts and CSV (the API's and the
``compare`` and ``trends`` commands' shapes)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from propscan.corpus.comparison import (
    Comparison,
    DistinctiveReport,
    GroupRate,
    TechniqueComparison,
    TrendPoint,
)
from propscan.corpus.distinctive import Distinctive

REST = "the rest of the store"


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """``{a, b, shared, total, techniques: [{technique, a: {...}, b: {...}, ratio, ...}]}``."""
    total = comparison.total
    return {
        "a": _group(comparison.a.describe(), total.a),
        "b": _group(comparison.b.describe() if comparison.b else REST, total.b),
        "shared": comparison.shared,
        "total": _technique(total),
        "techniques": [_technique(row) for row in comparison.techniques],
    }


def distinctive_dict(report: DistinctiveReport) -> dict[str, Any]:
    """What sets each group apart: ``{a, b, techniques: {a, b}, words: {a, b}}``."""
    return {
        "a": report.a.describe(),
        "b": report.b.describe() if report.b else REST,
        "techniques": {
            "a": [_term(d) for d in report.techniques_a],
            "b": [_term(d) for d in report.techniques_b],
        },
        "words": {"a": [_term(d) for d in report.words_a], "b": [_term(d) for d in report.words_b]},
    }


CSV_COLUMNS = [
    "technique",
    *(f"{side}_{key}" for side in "ab" for key in ("rate_per_1000_words", "low", "high", "spans")),
    "ratio",
    "ratio_low",
    "ratio_high",
    "credible",
]


def comparison_csv(comparison: Comparison) -> str:
    """One row per technique (the first: all techniques), in ``CSV_COLUMNS``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in (comparison.total, *comparison.techniques):
        sides = [
            value
            for rate in (row.a, row.b)
            for value in (rate.rate_per_1000_words, rate.low, rate.high, rate.spans)
        ]
        values = [row.technique, *sides, row.ratio, row.ratio_low, row.ratio_high, row.credible]
        writer.writerow([_cell(value) for value in values])
    return out.getvalue()


def trend_dicts(points: Sequence[TrendPoint]) -> list[dict[str, Any]]:
    return [asdict(point) for point in points]


def trends_csv(points: Sequence[TrendPoint]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, list(TrendPoint.__dataclass_fields__), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: _cell(v) for k, v in asdict(point).items()} for point in points)
    return out.getvalue()


def _group(describe: str, rate: GroupRate) -> dict[str, Any]:
    return {
        "filters": describe,
        "articles": rate.articles,
        "words": rate.words,
        "spans": rate.spans,
    }


def _technique(row: TechniqueComparison) -> dict[str, Any]:
    return {
        "technique": row.technique,
        "a": asdict(row.a),
        "b": asdict(row.b),
        "ratio": row.ratio,
        "ratio_low": row.ratio_low,
        "ratio_high": row.ratio_high,
        "credible": row.credible,
    }


def _term(d: Distinctive) -> dict[str, Any]:
    return {
        "term": d.term,
        "z": round(d.z, 3),
        "log_odds": round(d.log_odds, 4),
        "count_a": d.count_a,
        "count_b": d.count_b,
        "examples": [asdict(example) for example in d.examples],
    }


def _cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    return value
