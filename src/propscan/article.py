"""The plain data passed between stages: Article, Span and Analysis."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

DEFAULT_MIN_CONFIDENCE = 0.2
"""Findings less likely than this to be right are hidden in the views people read (terminal,
HTML report, article page) unless asked for; files for programs and scorers keep them all."""


METADATA = ("title", "source", "url", "date", "author")
"""The fields of an article beside its id and text, in the order every output gives them."""


@dataclass(frozen=True)
class Article:
    """A news article: its text plus whatever metadata came with it."""

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    date: str | None = None
    author: str | None = None
    """Who wrote it, as the page or feed says (a byline); several names as one string."""
    fields: tuple[tuple[str, str], ...] = ()
    """Further metadata a feed gave, as (name, value) pairs sorted by name (e.g. an outlet's
    bias rating): the store keeps them for filtering and grouping (``feed_fields``)."""

    def metadata(self) -> dict[str, str | None]:
        """The ``METADATA`` fields, by name."""
        return {key: getattr(self, key) for key in METADATA}


@dataclass(frozen=True)
class Span:
    """A fragment ``text[start:end]`` (end exclusive) that uses ``technique`` with ``score``."""

    start: int
    end: int
    technique: str
    score: float
    voice: str | None = None
    """``"author"`` or ``"quoted"`` where attribution ran (``--entities``), else None."""
    speaker: str | None = None
    """Who is quoted, where the text says so."""
    target: str | None = None
    """The named entity the technique is aimed at, where one was found."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "start": self.start,
            "end": self.end,
            "technique": self.technique,
            "score": round(self.score, 4),
        }
        if self.voice is not None:
            data |= {"voice": self.voice, "speaker": self.speaker, "target": self.target}
        return data


@dataclass(frozen=True)
class Entity:
    """A person, organisation, group or place named in an article, and the techniques aimed at
    it (technique -> spans)."""

    name: str
    type: str
    mentions: int
    techniques: dict[str, int]
    main_role: str | None = None
    """Protagonist, Antagonist or Innocent (SemEval-2025 Task 10), from all its mentions."""
    fine_roles: tuple[str, ...] = ()
    confidence: float | None = None
    """How likely the main role is, by the role model."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "type": self.type,
            "mentions": self.mentions,
            "main_role": self.main_role,
            "fine_roles": list(self.fine_roles),
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "techniques": self.techniques,
        }


def aimed_at(spans: Iterable[Span]) -> dict[str, dict[str, int]]:
    """Per target named by the spans, how many spans of each technique aim at it."""
    aimed: dict[str, Counter[str]] = {}
    for span in spans:
        if span.target is not None:
            aimed.setdefault(span.target, Counter())[span.technique] += 1
    return {name: dict(counts.most_common()) for name, counts in aimed.items()}


def ranked(entities: Iterable[Entity]) -> tuple[Entity, ...]:
    """Entities most aimed-at first, then most mentioned, then by name."""
    return tuple(sorted(entities, key=lambda e: (-sum(e.techniques.values()), -e.mentions, e.name)))


@dataclass(frozen=True)
class Analysis:
    """An article with the technique spans found in it, sorted by position."""

    article: Article
    spans: tuple[Span, ...]
    model: str = "unknown"
    taxonomy: str = "ptc2020"
    """The key (in ``propscan.techniques.TAXONOMIES``) of the taxonomy the labels come from."""
    in_training_data: bool = False
    """Whether the model was trained on this very article: then its results are not a test."""
    min_confidence: float = 0.0
    """Spans scored below this were left out (``at_least``); ``hidden`` says how many."""
    hidden: int = 0
    language: str | None = None
    """ISO 639-1 code of the article's language (detected, or given), ``und`` when unclear."""
    untested_language: bool = False
    """The model was not trained on the article's language: its results are untested."""
    entities: tuple[Entity, ...] | None = None
    """The named entities, where attribution ran (``--entities``)."""
    counts: dict[str, int] = field(init=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.spans, key=lambda s: (s.start, s.end, s.technique)))
        object.__setattr__(self, "spans", ordered)
        object.__setattr__(self, "counts", dict(Counter(s.technique for s in ordered)))

    def at_least(self, confidence: float) -> Analysis:
        """This analysis with only the spans whose score is ``confidence`` or more."""
        kept = tuple(s for s in self.spans if s.score >= confidence)
        hidden = self.hidden + len(self.spans) - len(kept)
        return replace(self, spans=kept, min_confidence=confidence, hidden=hidden)

    def in_voice(self, voice: str) -> Analysis:
        """This analysis with only the spans in ``voice`` (``author`` or ``quoted``; ``all``
        keeps every span)."""
        if voice == "all":
            return self
        return replace(self, spans=tuple(s for s in self.spans if s.voice == voice))

    @property
    def score(self) -> float:
        """Share of the article's non-space characters inside at least one technique span."""
        text = self.article.text
        covered = [False] * len(text)
        for span in self.spans:
            covered[span.start : span.end] = [True] * (span.end - span.start)
        visible = [not ch.isspace() for ch in text]
        total = sum(visible)
        if total == 0:
            return 0.0
        return sum(c and v for c, v in zip(covered, visible, strict=True)) / total

    def _span_dict(self, span: Span) -> dict[str, Any]:
        """A span with its text and, in the 2023 taxonomy, its technique's category."""
        data = {**span.to_dict(), "text": self.article.text[span.start : span.end]}
        if self.taxonomy == "semeval2023":
            from propscan.techniques import category_of

            data["category"] = category_of(span.technique)
        return data

    def to_dict(self) -> dict[str, Any]:
        a = self.article
        return {
            "id": a.id,
            **a.metadata(),
            "model": self.model,
            "taxonomy": self.taxonomy,
            "language": self.language,
            "untested_language": self.untested_language,
            "in_training_data": self.in_training_data,
            "min_confidence": self.min_confidence,
            "hidden": self.hidden,
            "score": round(self.score, 4),
            "counts": self.counts,
            "spans": [self._span_dict(s) for s in self.spans],
            **(
                {"entities": [e.to_dict() for e in self.entities]}
                if self.entities is not None
                else {}
            ),
            "text": a.text,
        }
