"""Helpers shared by the renderers: technique look-up and splitting text at span boundaries."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from propscan.article import Analysis, Span
from propscan.techniques import CATEGORIES, FALLBACK_COLOR, Technique, category_of, find_technique


@dataclass(frozen=True)
class Segment:
    """A stretch ``text[start:end]`` with the spans covering all of it, outermost first."""

    start: int
    end: int
    spans: tuple[Span, ...]


def describe(label: str) -> Technique:
    """The technique of a label, or a grey stand-in for a label outside the taxonomies."""
    known = find_technique(label)
    if known is not None:
        return known
    return Technique(
        label, label.replace("_", " "), "Technique outside the taxonomy.", FALLBACK_COLOR
    )


def grouped_counts(analysis: Analysis) -> list[tuple[str | None, int, list[tuple[str, int]]]]:
    """``(category, total, [(label, count), ...])`` with the techniques most frequent first: in
    the 2023 taxonomy one group per category found (in category order), else one group (None)."""
    ranked = sorted(analysis.counts.items(), key=lambda item: (-item[1], item[0]))
    if analysis.taxonomy != "semeval2023":
        return [(None, len(analysis.spans), ranked)]
    groups = []
    for name in [c.name for c in CATEGORIES] + [None]:
        members = [(label, n) for label, n in ranked if category_of(label) == name]
        if members:
            groups.append((name, sum(n for _, n in members), members))
    return groups


def percent(score: float) -> str:
    """A 0..1 score as a whole percentage, e.g. ``83%``."""
    return f"{round(score * 100)}%"


def split(text: str, spans: Iterable[Span]) -> list[Segment]:
    """Cut ``text`` at every span boundary; each piece lists the spans that cover it."""
    size = len(text)
    layered = sorted(spans, key=lambda s: (s.start, -s.end, s.technique))
    edges = {0, size} | {s.start for s in layered} | {s.end for s in layered}
    cuts = sorted({min(max(edge, 0), size) for edge in edges})
    segments, active, waiting = [], [], iter(layered)
    upcoming = next(waiting, None)
    for a, b in pairwise(cuts):  # a sweep: the spans open at ``a``, in ``layered`` order
        while upcoming is not None and upcoming.start <= a:
            active.append(upcoming)
            upcoming = next(waiting, None)
        active = [s for s in active if s.end > a]
        segments.append(Segment(a, b, tuple(s for s in active if b <= s.end)))
    return segments
