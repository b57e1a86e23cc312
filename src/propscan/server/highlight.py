"""The article page's highlighted text, built on the report's overlap segments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from propscan.article import Analysis
from propscan.render.segments import describe, percent, split

BAND = 3
"""Height in pixels of each band marking a further, overlapping technique (as in the report)."""


@dataclass(frozen=True)
class Piece:
    """A stretch of text and the indices (into ``Analysis.spans``) of the spans covering it."""

    text: str
    spans: tuple[int, ...]
    style: str


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


def span_data(analysis: Analysis) -> list[dict[str, Any]]:
    """What the page's script needs to know about each span."""
    text = analysis.article.text
    result = []
    for span in analysis.spans:
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
            }
        )
    return result


def legend(analysis: Analysis) -> list[dict[str, Any]]:
    """The techniques found, most frequent first, with colour, definition and count."""
    ranked = sorted(analysis.counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"technique": describe(label), "count": count} for label, count in ranked]
