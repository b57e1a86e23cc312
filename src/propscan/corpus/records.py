"""What the corpus store hands out: stored articles and spans, rows, statistics, failures."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from propscan.article import Analysis, Entity, Span
from propscan.corpus.schema import FINE_ROLE_SEPARATOR


@dataclass(frozen=True)
class StoredSpan:
    """A stored span and its review (see ``propscan.corpus.review``): ``origin`` is the model that
    predicted it or 'added'; ``reviewed`` is when a reviewer last changed it."""

    id: int
    start: int
    end: int
    technique: str
    score: float
    status: str
    origin: str
    original_technique: str | None = None
    reviewer: str | None = None
    reviewed: str | None = None
    voice: str | None = None
    speaker: str | None = None
    target: str | None = None

    @property
    def span(self) -> Span:
        """The span as an analysis holds it."""
        return Span(
            self.start, self.end, self.technique, self.score, self.voice, self.speaker, self.target
        )


@dataclass(frozen=True)
class StoredArticle:
    """An analysis as stored: its database id, text hash and when it was stored.

    ``analysis`` holds the spans as reviewed (rejected ones left out, corrections and
    additions in); ``spans`` holds every stored span with its review, rejected ones included.
    ``reviewed`` is when a reviewer marked the whole article reviewed, if one did.
    """

    id: int
    analysis: Analysis
    content_hash: str
    created: str
    spans: tuple[StoredSpan, ...] = ()
    reviewed: str | None = None
    reviewer: str | None = None


@dataclass(frozen=True)
class QueueItem:
    """An unreviewed prediction in the review queue, with its article's title and source."""

    article_id: int
    title: str | None
    source: str | None
    span: StoredSpan
    text: str
    before: str
    after: str


@dataclass(frozen=True)
class ArticleSummary:
    """One row of a listing: metadata, score and technique counts, no text and no spans."""

    id: int
    external_id: str
    title: str | None
    source: str | None
    url: str | None
    date: str | None
    model: str
    score: float
    counts: dict[str, int]
    created: str


@dataclass(frozen=True)
class StatRow:
    """One group of a statistic (see ``Store.stats``): its spans per article and per 1,000
    words, each with the bounds of its 95% interval (``propscan.corpus.rates``)."""

    key: str
    articles: int
    spans: int
    per_article: float
    per_article_low: float = 0.0
    per_article_high: float = 0.0
    words: int = 0
    per_1000_words: float = 0.0
    per_1000_words_low: float = 0.0
    per_1000_words_high: float = 0.0


@dataclass(frozen=True)
class Failure:
    """An article that could not be read or analysed, with the reason."""

    external_id: str
    content_hash: str
    error: str
    created: str


def content_hash(text: str) -> str:
    """The SHA-256 of an article's UTF-8 text: how the store recognises an article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stored_span(row: sa.Row[Any]) -> StoredSpan:
    return StoredSpan(
        id=row.id,
        start=row.start,
        end=row.end,
        technique=row.technique,
        score=row.score,
        status=row.status,
        origin=row.origin,
        original_technique=row.original_technique,
        reviewer=row.reviewer,
        reviewed=row.reviewed,
        voice=row.voice,
        speaker=row.speaker,
        target=row.target,
    )


def stored_entity(row: sa.Row[Any]) -> Entity:
    """An entity row as an analysis holds it (the techniques aimed at it come from its
    article's spans)."""
    roles = tuple(role for role in (row.fine_roles or "").split(FINE_ROLE_SEPARATOR) if role)
    return Entity(
        name=row.name,
        type=row.type,
        mentions=row.mentions,
        techniques={},
        main_role=row.main_role,
        fine_roles=roles,
        confidence=row.confidence,
    )
