"""The article page's highlighted text, built on the report's overlap segments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from propscan.article import Analysis, Span
from propscan.corpus.store import StoredArticle
from propscan.render.segments import describe, grouped_counts, percent, split
from propscan.techniques import category_of

BAND = 3
"""Height in pixels of each band marking a further, overlapping technique (as in the report)."""


@dataclass(frozen=True)
class Piece:
    """A stretch of text and the indices (into ``Analysis.spans``) of the spans covering it;
    ``struck`` when a rejected span covers it (it shows struck through, whatever else does)."""

    text: str
    spans: tuple[int, ...]
    style: str
    start: int = 0
    struck: bool = False


def mark_style(colors: Sequence[str]) -> str:
    """First technique as the background, each further one as a band underneath."""
    if not colors:
        return ""
    style = f"background:{colors[0]}"
    if len(colors) > 1:
        bands = ",".join(
            f"inset 0 -{BAND * depth}px 0 {color}" for depth, color in enumerate(colors[1:], 1)
        )
        style += f";box-shadow:{bands};padding-bottom:{BAND * (len(colors) - 1)}px"
    return style


def pieces(analysis: Analysis) -> list[Piece]:
    """The article text cut at every span boundary, each piece with its spans and style."""
    text = analysis.article.text
    index = {span: i for i, span in enumerate(analysis.spans)}
    return [
        Piece(
            text[segment.start : segment.end],
            tuple(index[s] for s in segment.spans),
            mark_style([describe(s.technique).color for s in segment.spans]),
        )
        for segment in split(text, analysis.spans)
    ]


def review_pieces(stored: StoredArticle) -> list[Piece]:
    """The text cut at the boundaries of every stored span, rejected ones included (they
    add no colour but strike the piece through, overlapping or not); each piece knows where it
    starts, in characters of the article text."""
    text = stored.analysis.article.text
    spans = [s.span for s in stored.spans]
    index = {id(span): i for i, span in enumerate(spans)}
    rejected = {
        id(span) for span, s in zip(spans, stored.spans, strict=True) if s.status == "rejected"
    }
    return [
        Piece(
            text[segment.start : segment.end],
            tuple(index[id(s)] for s in segment.spans),
            mark_style(
                [describe(s.technique).color for s in segment.spans if id(s) not in rejected]
            ),
            segment.start,
            any(id(s) in rejected for s in segment.spans),
        )
        for segment in split(text, spans)
    ]


def review_span_data(stored: StoredArticle) -> list[dict[str, Any]]:
    """What the page's script needs to know about every stored span and its review."""
    data = _span_data(stored.analysis.article.text, [s.span for s in stored.spans])
    for item, span in zip(data, stored.spans, strict=True):
        original = span.original_technique
        item |= {
            "id": span.id,
            "start": span.start,
            "end": span.end,
            "status": span.status,
            "original": describe(original).name if original else None,
        }
    return data


def _span_data(text: str, spans: Sequence[Span]) -> list[dict[str, Any]]:
    """What the page's script needs to know about each span."""
    result = []
    for span in spans:
        t = describe(span.technique)
        result.append(
            {
                "technique": span.technique,
                "name": t.name,
                "color": t.color,
                "definition": t.definition,
                "confidence": percent(span.score),
                "score": round(span.score, 4),
                "text": text[span.start : span.end],
                "voice": span.voice,
                "speaker": span.speaker,
                "target": span.target,
            }
        )
    return result


def span_data(analysis: Analysis) -> list[dict[str, Any]]:
    """What a read-only page needs to know about each span, with its category."""
    data = _span_data(analysis.article.text, analysis.spans)
    for item, span in zip(data, analysis.spans, strict=True):
        item["category"] = category_of(span.technique)
    return data


def grouped_legend(analysis: Analysis) -> list[dict[str, Any]]:
    """The techniques found under their categories (``render.segments.grouped_counts``)."""
    return [
        {
            "category": category,
            "count": total,
            "items": [{"technique": describe(label), "count": n} for label, n in members],
        }
        for category, total, members in grouped_counts(analysis)
    ]


def legend(analysis: Analysis) -> list[dict[str, Any]]:
    """The techniques found, most frequent first, with colour, definition and count."""
    ranked = sorted(analysis.counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"technique": describe(label), "count": count} for label, count in ranked]
