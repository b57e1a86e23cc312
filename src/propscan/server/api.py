"""The REST API under /api: analyse, store, list, search and count articles."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response, status
from fastapi.security import HTTPBearer

from propscan.corpus.store import MAX_ID, QueueItem, StoredArticle, StoredSpan
from propscan.model.bundle import Model
from propscan.render import to_html, to_json, to_ptc
from propscan.render.comparison import comparison_dict, distinctive_dict, trend_dicts
from propscan.server.deps import (
    FetcherDep,
    FiltersDep,
    ModelDep,
    SettingsDep,
    StoreDep,
    conditions_or_422,
)
from propscan.server.schemas import (
    AnalysisOut,
    ArticleInput,
    ArticleList,
    ComparisonOut,
    DistinctiveOut,
    EntityStatsOut,
    ErrorOut,
    FieldOut,
    NewSpan,
    NoNul,
    QueueOut,
    ReviewedSpanOut,
    ReviewMark,
    ReviewRowOut,
    SpanReview,
    StatsOut,
    StoredArticleOut,
    TechniqueOut,
    TrendPointOut,
    ValidationErrorOut,
)
from propscan.server.service import (
    Relabel,
    analyse,
    analyse_and_store,
    attribute_one,
    check_taxonomy_or_422,
    read_input,
)
from propscan.techniques import TAXONOMIES, TECHNIQUES, TaxonomyKey, category_of

Responses = dict[int | str, dict[str, Any]]
_COMMON: Responses = {
    400: {
        "model": ErrorOut,
        "description": "Host not served here, or a body that cannot be parsed.",
    },
    401: {"model": ErrorOut, "description": "The server has a token and it was not sent."},
    422: {
        "model": ValidationErrorOut,
        "description": "A parameter or body field out of range, or input that cannot be read.",
    },
    429: {
        "model": ErrorOut,
        "description": "Too many wrong tokens from this client; see Retry-After.",
    },
    503: {
        "model": ErrorOut,
        "description": "The store cannot be used (unreachable, or a damaged row), or the model "
        "stayed busy (see Retry-After).",
    },
}
_ERRORS: Responses = {
    403: {"model": ErrorOut, "description": "Cross-site request (an Origin of another site)."},
    413: {"model": ErrorOut, "description": "Request body, fetched page or article too long."},
}
_NOT_FOUND: Responses = {404: {"model": ErrorOut}}
_BAD_QUERY: Responses = {
    422: {
        "model": ValidationErrorOut,
        "description": "A bad condition, an unknown grouping or a group without articles.",
    }
}
_EXPORTS = {
    "json": ("application/json", "json"),
    "ptc": ("text/plain; charset=utf-8", "txt"),
    "html": ("text/html; charset=utf-8", "html"),
}
_EXPORTED = {
    "description": "The file, as each format answers it: json, ptc (text) or html.",
    "content": {media_type.partition(";")[0]: {} for media_type, _ in _EXPORTS.values()},
}

# The token itself is checked by the guard middleware; this documents it in the OpenAPI spec.
_BEARER = HTTPBearer(auto_error=False, description="The server's --token, when it has one.")
router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(_BEARER)], responses=_COMMON)
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID)]
TaxonomyQuery = Annotated[
    TaxonomyKey | None,
    Query(description="ptc2020 or semeval2023 (default: the server's); the store keeps ptc2020."),
]
MinConfidence = Annotated[
    float, Query(ge=0, le=1, description="Leave out spans whose score is below this.")
]


def span_out(span: StoredSpan, text: str, taxonomy: str = "ptc2020") -> dict[str, Any]:
    """A stored span and its review as its API body."""
    body = {**vars(span), "score": round(span.score, 4), "text": text[span.start : span.end]}
    if taxonomy == "semeval2023":
        body["category"] = category_of(span.technique)
    return body


def stored_out(
    stored: StoredArticle, min_confidence: float = 0.0, in_view: Relabel | None = None
) -> dict[str, Any]:
    """A stored article as its API body: every span with its review, rejected ones included;
    with ``in_view`` (a span's new label and share) its spans in another taxonomy."""
    analysis = stored.analysis
    text = analysis.article.text
    spans = list(stored.spans)
    if in_view is not None:
        analysis = in_view.analysis
        spans = [in_view.span(s) for s in spans]
    shown = [s for s in spans if s.score >= min_confidence]
    return {
        "id": stored.id,
        "created": stored.created,
        "content_hash": stored.content_hash,
        "reviewed": stored.reviewed,
        "reviewer": stored.reviewer,
        "analysis": {
            **analysis.at_least(min_confidence).to_dict(),
            "spans": [span_out(s, text, analysis.taxonomy) for s in shown],
        },
    }


def queue_out(item: QueueItem) -> dict[str, Any]:
    """A review-queue entry as its API body."""
    span = {**vars(item.span), "score": round(item.span.score, 4), "text": item.text}
    return {**vars(item), "span": span}


def _get(store: StoreDep, article_id: int) -> StoredArticle:
    stored = store.get(article_id)
    if stored is None:
        raise HTTPException(404, f"no stored article with id {article_id}")
    return stored


@router.post("/analyze", response_model=AnalysisOut, responses=_ERRORS)
def analyze_article(
    data: ArticleInput,
    model: ModelDep,
    fetch: FetcherDep,
    settings: SettingsDep,
    min_confidence: MinConfidence = 0.0,
    entities: Annotated[
        bool,
        Query(
            description="Also say whose voice each span is, at whom it is aimed, and the "
            "article's named entities with their roles (slower; needs the entities extra)."
        ),
    ] = False,
    voice: Annotated[
        Literal["all", "author", "quoted"],
        Query(description="Keep only the author's words or only quotes (implies entities)."),
    ] = "all",
) -> dict[str, Any]:
    """Analyse an article without storing it, in the taxonomy asked for."""
    taxonomy = data.taxonomy or settings.taxonomy
    article = read_input(data, fetch)
    analysis = analyse(article, model, taxonomy).at_least(min_confidence)
    if entities or voice != "all":
        analysis = attribute_one(analysis).in_voice(voice)
    return analysis.to_dict()


@router.post("/articles", response_model=StoredArticleOut, status_code=201, responses=_ERRORS)
def add_article(
    data: ArticleInput,
    response: Response,
    model: ModelDep,
    store: StoreDep,
    fetch: FetcherDep,
    settings: SettingsDep,
    entities: Annotated[
        bool,
        Query(
            description="Also store whose voice each span is, at whom it is aimed, and the "
            "article's named entities with their roles (slower; needs the entities extra)."
        ),
    ] = False,
) -> dict[str, Any]:
    """Analyse an article and store it (the same text and model are stored once); the store
    keeps PTC-2020 labels, and the answer shows them in the taxonomy asked for."""
    taxonomy = data.taxonomy or settings.taxonomy
    if taxonomy != "ptc2020":
        check_taxonomy_or_422(model, taxonomy)
    article = read_input(data, fetch)
    article_id, _ = analyse_and_store(article, model, store, entities=entities)
    response.headers["Location"] = f"/api/articles/{article_id}"
    return _stored_view(_get(store, article_id), model, taxonomy)


@router.get("/articles", response_model=ArticleList)
def list_articles(
    store: StoreDep,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> dict[str, Any]:
    """Stored articles that pass the filters, newest first."""
    items = store.search(filters, limit=limit, offset=offset)
    return {
        "total": store.count(filters),
        "limit": limit,
        "offset": offset,
        "items": [vars(item) for item in items],
    }


@router.get("/articles/{article_id}", response_model=StoredArticleOut, responses=_NOT_FOUND)
def get_article(
    article_id: ArticleId,
    store: StoreDep,
    model: ModelDep,
    settings: SettingsDep,
    min_confidence: MinConfidence = 0.0,
    taxonomy: TaxonomyQuery = None,
) -> dict[str, Any]:
    """One stored article with its text and spans (in the taxonomy asked for)."""
    return _stored_view(
        _get(store, article_id), model, taxonomy or settings.taxonomy, min_confidence
    )


def _stored_view(
    stored: StoredArticle, model: Model, taxonomy: TaxonomyKey, min_confidence: float = 0.0
) -> dict[str, Any]:
    if taxonomy == "ptc2020":
        return stored_out(stored, min_confidence)
    return stored_out(stored, min_confidence, Relabel(stored, model, taxonomy))


_SPAN_ERRORS: Responses = {**_NOT_FOUND, **_ERRORS}


@router.patch(
    "/articles/{article_id}/spans/{span_id}",
    response_model=ReviewedSpanOut,
    responses=_SPAN_ERRORS,
)
def review_span(
    article_id: ArticleId,
    span_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    data: SpanReview,
    store: StoreDep,
) -> dict[str, Any]:
    """Accept or reject a span (accepting a rejected one restores it), or relabel it."""
    reviewed = store.review_span(
        article_id, span_id, verdict=data.status, technique=data.technique, reviewer=data.reviewer
    )
    if reviewed is None:
        raise HTTPException(404, f"article {article_id} has no span with id {span_id}")
    return span_out(reviewed, _get(store, article_id).analysis.article.text)


@router.post(
    "/articles/{article_id}/spans",
    response_model=ReviewedSpanOut,
    status_code=201,
    responses=_SPAN_ERRORS,
)
def add_span(
    article_id: ArticleId, data: NewSpan, response: Response, store: StoreDep
) -> dict[str, Any]:
    """Add a fragment the model missed (status 'added'); overlapping spans are allowed."""
    text = _get(store, article_id).analysis.article.text
    if data.text is not None and text[data.start : data.end] != data.text:
        raise HTTPException(422, f"text[{data.start}:{data.end}] is not {data.text!r}")
    added = store.add_span(article_id, data.start, data.end, data.technique, data.reviewer)
    if added is None:
        raise HTTPException(404, f"no stored article with id {article_id}")
    response.headers["Location"] = f"/api/articles/{article_id}/spans/{added.id}"
    return span_out(added, text)


@router.post(
    "/articles/{article_id}/reviewed",
    response_model=StoredArticleOut,
    responses=_SPAN_ERRORS,
)
def mark_reviewed(
    article_id: ArticleId, store: StoreDep, data: ReviewMark | None = None
) -> dict[str, Any]:
    """Mark the article reviewed: its untouched predictions count as accepted."""
    if not store.mark_reviewed(article_id, data.reviewer if data else None):
        raise HTTPException(404, f"no stored article with id {article_id}")
    return stored_out(_get(store, article_id))


@router.get("/review/next", response_model=QueueOut)
def review_next(
    store: StoreDep,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> dict[str, Any]:
    """Predictions nobody has reviewed, least sure (lowest score) first: where a reviewer's
    time helps the model most. ``technique`` selects spans of that technique."""
    total, items = store.review_queue(filters, limit=limit, offset=offset)
    return {"total": total, "items": [queue_out(item) for item in items]}


@router.get("/review/stats", response_model=list[ReviewRowOut])
def review_stats(store: StoreDep, filters: FiltersDep) -> list[dict[str, Any]]:
    """Per technique: predictions accepted, rejected, relabelled or not reviewed yet, the
    fragments reviewers added, and the share accepted (the model's precision for you)."""
    return [vars(row) | {"precision": row.precision} for row in store.review_stats(filters)]


@router.get(
    "/articles/{article_id}/export/{fmt}",
    response_class=Response,
    responses={**_NOT_FOUND, 200: _EXPORTED},
)
def export_article(
    article_id: ArticleId, fmt: Literal["json", "ptc", "html"], store: StoreDep
) -> Response:
    """Download a stored article as JSON, PTC label lines or a self-contained HTML report."""
    analysis = _get(store, article_id).analysis
    body = {"json": to_json, "ptc": to_ptc, "html": to_html}[fmt]([analysis])
    media_type, suffix = _EXPORTS[fmt]
    filename = f"propscan-{article_id}.{suffix}"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.delete("/articles/{article_id}", status_code=204, responses={**_NOT_FOUND, **_ERRORS})
def delete_article(article_id: ArticleId, store: StoreDep) -> Response:
    """Remove a stored article."""
    if not store.delete(article_id):
        raise HTTPException(404, f"no stored article with id {article_id}")
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/stats", response_model=StatsOut, responses=_BAD_QUERY)
def stats(
    store: StoreDep,
    filters: FiltersDep,
    by: Annotated[
        str,
        Query(
            max_length=64,
            description="technique, category, source, month, or a field the feed gave "
            "(see GET /api/fields).",
        ),
    ] = "technique",
) -> dict[str, Any]:
    """Articles and technique spans per technique, SemEval-2023 category, source, month or
    field, over filtered articles: per article and per 1,000 words, with 95% intervals from a
    bootstrap over articles."""
    return {
        "by": by,
        "articles": store.count(filters),
        "rows": [vars(row) for row in store.stats(by, filters)],
    }


@router.get("/entities", response_model=list[EntityStatsOut], responses=_BAD_QUERY)
def entity_stats(
    store: StoreDep,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many entities.")] = 50,
) -> list[dict[str, Any]]:
    """The people, organisations, groups and places named in the filtered articles (those
    analysed with entities): mentions, articles, the main roles they are cast in (articles
    per role) and the techniques aimed at them; most aimed-at first."""
    return [vars(row) for row in store.entity_stats(filters, limit)]


_CONDITIONS = (
    "NAME=VALUE conditions, repeatable: source, technique, q, from/to/date (YYYY-MM-DD, YYYY-MM "
    "or YYYY) or any field the feed gave (bias_text=left)."
)
Group = Annotated[list[Annotated[str, NoNul]], Query(description=_CONDITIONS)]
OtherGroup = Annotated[
    list[Annotated[str, NoNul]] | None,
    Query(description=_CONDITIONS + " Default: the rest of the filtered articles."),
]


@router.get("/compare", response_model=ComparisonOut, responses=_BAD_QUERY)
def compare(store: StoreDep, filters: FiltersDep, a: Group, b: OtherGroup = None) -> dict[str, Any]:
    """Group A against group B (default: the rest of the filtered articles), technique by
    technique: spans per 1,000 words with 95% intervals, the ratio A/B with its interval and
    whether the difference is credible. The other filters apply to both groups."""
    group_a = conditions_or_422(a, filters, "a")
    group_b = conditions_or_422(b, filters, "b") if b else None
    return comparison_dict(store.compare(group_a, group_b, within=filters))


@router.get("/distinctive", response_model=DistinctiveOut, responses=_BAD_QUERY)
def distinctive(
    store: StoreDep,
    filters: FiltersDep,
    a: Group,
    b: OtherGroup = None,
    limit: Annotated[int, Query(ge=1, le=100, description="Words per side.")] = 15,
) -> dict[str, Any]:
    """What sets A apart from B and B from A: techniques (by their share of the spans) and the
    words inside spans, by log-odds with an informative Dirichlet prior, with examples."""
    group_a = conditions_or_422(a, filters, "a")
    group_b = conditions_or_422(b, filters, "b") if b else None
    return distinctive_dict(store.distinctive(group_a, group_b, within=filters, limit=limit))


@router.get("/trends", response_model=list[TrendPointOut], responses=_BAD_QUERY)
def trends(
    store: StoreDep,
    filters: FiltersDep,
    by: Annotated[
        str | None, Query(max_length=64, description="source, or a field (one line each).")
    ] = None,
    of: Annotated[str | None, Query(description="One technique label (default: all).")] = None,
) -> list[dict[str, Any]]:
    """Spans per 1,000 words month by month, per group, with 95% intervals; months with
    fewer than 10 articles are flagged ``few``."""
    if of and of not in TECHNIQUES:
        raise HTTPException(422, f"unknown technique {of!r}; see GET /api/techniques")
    return trend_dicts(store.trends(by or None, filters, of or None))


@router.get("/fields", response_model=list[FieldOut])
def feed_fields(store: StoreDep) -> list[dict[str, Any]]:
    """The fields feeds gave stored articles (filter with ``where``, group with ``by``), with
    their most common values."""
    return [
        {"name": name, "values": [{"value": v, "articles": n} for v, n in store.field_values(name)]}
        for name in store.field_names()
    ]


@router.get("/techniques", response_model=list[TechniqueOut])
def techniques(
    taxonomy: Annotated[
        TaxonomyKey,
        Query(
            description="ptc2020: the 14 techniques of SemEval-2020 Task 11 (PTC); semeval2023: "
            "the 23 persuasion techniques of SemEval-2023 Task 3, by category."
        ),
    ] = "ptc2020",
) -> list[dict[str, str | None]]:
    """The techniques of a taxonomy with their labels, definitions, colours and, for
    semeval2023, categories (in category order)."""
    return [vars(t) for t in TAXONOMIES[taxonomy].techniques.values()]
