"""Request and response bodies of the REST API, as documented in its OpenAPI spec."""

from __future__ import annotations

import datetime as dt
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ArticleInput(BaseModel):
    """An article to analyse: exactly one of ``text``, ``url`` or ``html``, plus metadata."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"text": "They are traitors, and everyone knows it."}]},
    )

    text: str | None = Field(default=None, description="Plain text; its first line is the title.")
    url: str | None = Field(default=None, description="An http(s) page to fetch and extract.")
    html: str | None = Field(default=None, description="An HTML page, reduced to its main text.")
    title: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=300, description="Outlet or site name.")
    date: dt.date | None = Field(default=None, description="Publication date, YYYY-MM-DD.")

    @model_validator(mode="after")
    def _one_input(self) -> Self:
        given = [name for name in ("text", "url", "html") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, url or html")
        return self


class SpanOut(BaseModel):
    """A technique span: ``text[start:end]`` (end exclusive)."""

    start: int
    end: int
    technique: str = Field(description="PTC label, see GET /api/techniques.")
    score: float = Field(description="Confidence, 0 to 1.")
    text: str


class AnalysisOut(BaseModel):
    """An analysed article, as ``propscan analyze --format json`` writes it."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    date: str | None
    model: str
    score: float = Field(description="Share of the text inside technique spans, 0 to 1.")
    counts: dict[str, int] = Field(description="Spans per technique.")
    spans: list[SpanOut]
    text: str


class StoredArticleOut(BaseModel):
    """A stored article: its database id, when it was stored, and its analysis."""

    id: int
    created: str
    content_hash: str
    analysis: AnalysisOut


class ArticleSummaryOut(BaseModel):
    """One row of a listing: no text, no spans."""

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


class ArticleList(BaseModel):
    """A page of stored articles, newest first, and how many match in all."""

    total: int
    limit: int
    offset: int
    items: list[ArticleSummaryOut]


class StatRowOut(BaseModel):
    """One group of a statistic."""

    key: str = Field(description="Technique label, source ('(unknown)' if none) or YYYY-MM.")
    articles: int
    spans: int
    per_article: float = Field(description="Spans per article of the group (by technique: of all).")


class StatsOut(BaseModel):
    """Aggregated counts over the filtered articles."""

    by: str
    articles: int = Field(description="Articles that pass the filters.")
    rows: list[StatRowOut]


class TechniqueOut(BaseModel):
    """One technique of the taxonomy."""

    label: str
    name: str
    definition: str
    color: str


class ErrorOut(BaseModel):
    """What went wrong."""

    detail: str
