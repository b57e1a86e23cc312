"""Render analyses as terminal text, JSON, JSON Lines, PTC label lines or an HTML report."""

from __future__ import annotations

from collections.abc import Sequence

from propscan.article import Analysis
from propscan.render.html import to_html
from propscan.render.json import to_json, to_jsonl
from propscan.render.ptc import to_ptc
from propscan.render.text import to_text

__all__ = ["FORMATS", "render", "to_html", "to_json", "to_jsonl", "to_ptc", "to_text"]

FORMATS: tuple[str, ...] = ("text", "json", "jsonl", "ptc", "html")


def render(analyses: Sequence[Analysis], fmt: str, *, color: bool = True, wrap: bool = True) -> str:
    """Render analyses in one of ``FORMATS``; ``color`` and ``wrap`` only affect the text
    format."""
    match fmt:
        case "text":
            return to_text(analyses, color=color, wrap=wrap)
        case "json":
            return to_json(analyses)
        case "jsonl":
            return to_jsonl(analyses)
        case "ptc":
            return to_ptc(analyses)
        case "html":
            return to_html(analyses)
    raise ValueError(f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}")
