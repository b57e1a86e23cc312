"""Request and response bodies of the REST API, as documented in its OpenAPI spec."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

INPUTS = ("text", "url", "html")


def _no_nul(value: str | None) -> str | None:
    """Refuse a NUL character: PostgreSQL cannot store one, so neither backend takes it."""
    if value is not None and "\x00" in value:
        raise ValueError("contains a NUL character (\\x00), which is not text")
    return value


NoNul = AfterValidator(_no_nul)


class ArticleInput(BaseModel):
    """An article to analyse: exactly one of ``text``, ``url`` or ``html``, plus metadata."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"text": "They are traitors, and everyone knows it."}],
            "oneOf": [{"required": [name]} for name in INPUTS],
        },
    )

    text: str | SkipJsonSchema[None] = Field(
        default=None, description="Plain text; its first line is the title."
    )
    url: str | SkipJsonSchema[None] = Field(
        default=None,
        description="An http(s) page on a public address, fetched and reduced to its main text.",
    )
    html: str | SkipJsonSchema[None] = Field(
        default=None, description="An HTML page, reduced to its main text."
    )
    title: str | None = Field(default=None, max_length=1000)
    source: str | None = Field(default=None, max_length=300, description="Outlet or site name.")
    date: dt.date | None = Field(default=None, description="Publication date, YYYY-MM-DD.")
    taxonomy: Literal["ptc2020", "semeval2023"] | None = Field(
        default=None,
        description="Technique labels of the answer: the 14 of SemEval-2020 Task 11 (ptc2020) "
        "or the 23 of SemEval-2023 Task 3 with their categories (semeval2023); default: the "
        "server's (see GET /api/techniques). Stored articles keep PTC-2020 labels.",
    )

    @field_validator(*INPUTS, mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("give a string, or leave the field out")
        return value

    @field_validator(*INPUTS, "title", "source")
    @classmethod
    def _encodable(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as error:
                bad = ascii(error.object[error.start : error.end])
                raise ValueError(f"contains a lone surrogate {bad}, which is not text") from None
        return value

    @model_validator(mode="after")
    def _one_input(self) -> Self:
        given = [name for name in INPUTS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of text, url or html")
        return self


class SpanOut(BaseModel):
    """A technique span: ``text[start:end]`` (end exclusive)."""

    start: int
    end: int
    technique: str = Field(description="Technique label, see GET /api/techniques.")
    score: float = Field(description="Confidence, 0 to 1.")
    text: str
    category: str | None = Field(
        default=None, description="The technique's category (semeval2023 taxonomy only)."
    )


class AttributedSpanOut(SpanOut):
    """A technique span with whose voice it is and at whom it is aimed (``entities=true``)."""

    voice: Literal["author", "quoted"] | None = Field(
        default=None, description="The author's own words or a quote (with entities=true)."
    )
    speaker: str | None = Field(default=None, description="Who is quoted, where the text says.")
    target: str | None = Field(
        default=None, description="The named entity the technique is aimed at, where found."
    )


class EntityOut(BaseModel):
    """A named entity of the article, the role it is cast in and the techniques aimed at it."""

    name: str
    type: Literal["person", "organisation", "group", "place"]
    mentions: int
    main_role: Literal["Protagonist", "Antagonist", "Innocent"] | None
    fine_roles: list[str]
    confidence: float | None = Field(description="The role model's probability of main_role.")
    techniques: dict[str, int] = Field(description="Spans aimed at it, per technique.")


class EntityStatsOut(BaseModel):
    """A named entity across the filtered articles."""

    name: str
    type: Literal["person", "organisation", "group", "place"]
    mentions: int
    articles: int = Field(description="Articles that name it.")
    roles: dict[str, int] = Field(description="Articles per main role it is cast in.")
    techniques: dict[str, int] = Field(description="Spans aimed at it, per technique.")


class AnalysisOut(BaseModel):
    """An analysed article, as ``propscan analyze --format json`` writes it."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    date: str | None
    author: str | None = Field(None, description="The byline the page or feed gave.")
    model: str
    taxonomy: Literal["ptc2020", "semeval2023"] = Field(
        description="The taxonomy the technique labels come from."
    )
    language: str | None = Field(
        None, description="ISO 639-1 code of the article's language, detected; 'und' if unclear."
    )
    untested_language: bool = Field(
        False, description="The model was not trained on this language: results are untested."
    )
    in_training_data: bool = Field(
        False, description="The model was trained on this very article: its results are no test."
    )
    score: float = Field(description="Share of the text inside technique spans, 0 to 1.")
    counts: dict[str, int] = Field(description="Spans per technique.")
    spans: list[AttributedSpanOut]
    entities: list[EntityOut] | None = Field(
        default=None, description="The article's named entities (with entities=true)."
    )
    text: str


class ReviewedSpanOut(SpanOut):
    """A stored span with its review."""

    id: int = Field(description="Its id, for PATCH /api/articles/{id}/spans/{span_id}.")
    status: Literal["predicted", "accepted", "rejected", "corrected", "added"]
    origin: str = Field(description="The model that predicted it, or 'added' by a reviewer.")
    original_technique: str | None = Field(description="The model's technique, if relabelled.")
    reviewer: str | None
    reviewed: str | None = Field(description="When a reviewer last changed it (ISO time).")


class StoredAnalysisOut(AnalysisOut):
    """A stored analysis: ``counts`` and ``score`` as reviewed, rejected spans left out of them
    but listed in ``spans`` with their status."""

    spans: list[ReviewedSpanOut]  # type: ignore[assignment]


class StoredArticleOut(BaseModel):
    """A stored article: its database id, when it was stored, and its analysis."""

    id: int
    created: str
    content_hash: str
    reviewed: str | None = Field(description="When a reviewer marked it reviewed.")
    reviewer: str | None
    analysis: StoredAnalysisOut


Reviewer = Annotated[
    str | None, Field(max_length=100, description="Who reviews (optional)."), NoNul
]


class SpanReview(BaseModel):
    """Accept or reject a span (accepting a rejected one restores it), or give it another
    technique (its status becomes 'corrected'): one of ``status`` and ``technique``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"status": "rejected"}, {"technique": "Doubt"}]},
    )

    status: Literal["accepted", "rejected"] | None = None
    technique: str | None = Field(default=None, description="PTC label, see GET /api/techniques.")
    reviewer: Reviewer = None

    @model_validator(mode="after")
    def _one_change(self) -> Self:
        if (self.status is None) == (self.technique is None):
            raise ValueError("give exactly one of status or technique")
        return self


class NewSpan(BaseModel):
    """A fragment the model missed: ``text[start:end]`` (end exclusive, in characters)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"start": 4, "end": 18, "technique": "Loaded_Language"}]},
    )

    start: int = Field(ge=0, le=2**31 - 1)
    end: int = Field(ge=0, le=2**31 - 1)
    technique: str = Field(description="PTC label, see GET /api/techniques.")
    text: str | None = Field(
        default=None, description="The fragment, if given checked against text[start:end]."
    )
    reviewer: Reviewer = None


class ReviewMark(BaseModel):
    """Who marks the article reviewed (optional)."""

    model_config = ConfigDict(extra="forbid")

    reviewer: Reviewer = None


class QueueItemOut(BaseModel):
    """A prediction to review, with the text around it."""

    article_id: int
    title: str | None
    source: str | None
    span: ReviewedSpanOut
    before: str
    after: str


class QueueOut(BaseModel):
    """Unreviewed predictions, least sure first, and how many there are in all."""

    total: int
    items: list[QueueItemOut]


class ReviewRowOut(BaseModel):
    """How reviewers treated one technique's predictions (``precision``: the share of
    reviewed predictions accepted as they were, null before any review)."""

    technique: str
    unreviewed: int
    accepted: int
    rejected: int
    relabelled: int
    added: int = Field(description="Fragments of this technique reviewers added.")
    precision: float | None


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

    key: str = Field(
        description="Technique label, category, source, YYYY-MM or a field's value "
        "('(unknown)' if none)."
    )
    articles: int
    spans: int
    per_article: float = Field(description="Spans per article of the group (by technique: of all).")
    per_article_low: float = Field(
        description="Bounds of its 95% interval (bootstrap over articles)."
    )
    per_article_high: float
    words: int = Field(description="Words of the group's articles (by technique: of all).")
    per_1000_words: float
    per_1000_words_low: float = Field(description="Bounds of its 95% interval.")
    per_1000_words_high: float


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
    category: str | None = Field(
        description="The SemEval-2023 category (e.g. 'Attack on reputation'); null in ptc2020."
    )


class ErrorOut(BaseModel):
    """What went wrong."""

    detail: str


class ValidationIssue(BaseModel):
    """One reason a request was refused: where (``loc``), what (``msg``) and its kind."""

    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    """A request that is well-formed but cannot be used: one message, or one per field."""

    detail: str | list[ValidationIssue]


class GroupRateOut(BaseModel):
    """One group's rate in one technique; ``articles`` and ``words`` are the group's."""

    rate_per_1000_words: float
    low: float = Field(description="Bounds of the 95% interval (bootstrap over articles).")
    high: float
    spans: int
    articles: int
    words: int


class TechniqueComparisonOut(BaseModel):
    """A technique in group A and group B."""

    technique: str = Field(description="A technique label, or '(all techniques)'.")
    a: GroupRateOut
    b: GroupRateOut
    ratio: float | None = Field(description="A's rate over B's; null when B's is 0.")
    ratio_low: float | None = Field(description="Bounds of its 95% interval; null: unbounded.")
    ratio_high: float | None
    credible: bool = Field(description="Whether the 95% interval of A−B excludes 0.")


class GroupOut(BaseModel):
    """Which articles a group holds."""

    filters: str = Field(description="The group's conditions, as NAME=VALUE.")
    articles: int
    words: int
    spans: int


class ComparisonOut(BaseModel):
    """Group A against group B, technique by technique (most frequent first)."""

    a: GroupOut
    b: GroupOut
    shared: int = Field(description="Articles in both groups, counted in A only.")
    total: TechniqueComparisonOut
    techniques: list[TechniqueComparisonOut]


class ExampleOut(BaseModel):
    """A span behind a distinctive term."""

    article_id: int
    technique: str
    text: str


class DistinctiveTermOut(BaseModel):
    """A technique or word over-represented in one group (log-odds, informative prior)."""

    term: str
    z: float = Field(description="z-score of the log-odds ratio; |z| > 1.96 to be listed.")
    log_odds: float
    count_a: int
    count_b: int
    examples: list[ExampleOut]


class SidesOut(BaseModel):
    a: list[DistinctiveTermOut]
    b: list[DistinctiveTermOut]


class DistinctiveOut(BaseModel):
    """What sets each group apart: techniques (share of spans) and words inside spans."""

    a: str
    b: str
    techniques: SidesOut
    words: SidesOut


class TrendPointOut(BaseModel):
    """One group's rate in one month."""

    group: str
    month: str = Field(description="YYYY-MM.")
    articles: int
    words: int
    spans: int
    rate_per_1000_words: float
    low: float = Field(description="Bounds of the 95% interval (bootstrap over articles).")
    high: float
    few: bool = Field(description="Fewer than 10 articles that month: read with care.")


class FieldValueOut(BaseModel):
    value: str
    articles: int


class FieldOut(BaseModel):
    """A field that feeds gave stored articles, with its most common values."""

    name: str
    values: list[FieldValueOut]
