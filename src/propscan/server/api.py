"""The REST API under /api: analyse, store, list, search and count articles."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Response, status
from fastapi.security import HTTPBearer

from propscan.render import to_html, to_json, to_ptc
from propscan.server.deps import FetcherDep, FiltersDep, ModelDep, StoreDep
from propscan.server.schemas import (
    AnalysisOut,
    ArticleInput,
    ArticleList,
    ErrorOut,
    StatsOut,
    StoredArticleOut,
    TechniqueOut,
    ValidationErrorOut,
)
from propscan.server.service import analyse, analyse_and_store, read_input
from propscan.store import MAX_ID, StoredArticle
from propscan.techniques import TECHNIQUES

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
}
_ERRORS: Responses = {
    403: {"model": ErrorOut, "description": "Cross-site request (an Origin of another site)."},
    413: {"model": ErrorOut, "description": "Request body, fetched page or article too long."},
    503: {"model": ErrorOut, "description": "The model stayed busy; see Retry-After."},
}
_NOT_FOUND: Responses = {404: {"model": ErrorOut}}
_EXPORTS = {
    "json": ("application/json", "json"),
    "ptc": ("text/plain; charset=utf-8", "txt"),
    "html": ("text/html; charset=utf-8", "html"),
}

# The token itself is checked by the guard middleware; this documents it in the OpenAPI spec.
_BEARER = HTTPBearer(auto_error=False, description="The server's --token, when it has one.")
router = APIRouter(prefix="/api", tags=["api"], dependencies=[Depends(_BEARER)], responses=_COMMON)
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID)]
MinConfidence = Annotated[
    float, Query(ge=0, le=1, description="Leave out spans whose score is below this.")
]


def stored_out(stored: StoredArticle) -> dict[str, Any]:
    """A stored article as its API body."""
    return {
        "id": stored.id,
        "created": stored.created,
        "content_hash": stored.content_hash,
        "analysis": stored.analysis.to_dict(),
    }


def _get(store: StoreDep, article_id: int) -> StoredArticle:
    stored = store.get(article_id)
    if stored is None:
        raise HTTPException(404, f"no stored article with id {article_id}")
    return stored


@router.post("/analyze", response_model=AnalysisOut, responses=_ERRORS)
def analyze_article(
    data: ArticleInput, model: ModelDep, fetch: FetcherDep, min_confidence: MinConfidence = 0.0
) -> dict[str, Any]:
    """Analyse an article without storing it."""
    return analyse(read_input(data, fetch), model).at_least(min_confidence).to_dict()


@router.post("/articles", response_model=StoredArticleOut, status_code=201, responses=_ERRORS)
def add_article(
    data: ArticleInput, response: Response, model: ModelDep, store: StoreDep, fetch: FetcherDep
) -> dict[str, Any]:
    """Analyse an article and store it (the same text and model are stored once)."""
    article_id, _ = analyse_and_store(read_input(data, fetch), model, store)
    response.headers["Location"] = f"/api/articles/{article_id}"
    return stored_out(_get(store, article_id))


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
    article_id: ArticleId, store: StoreDep, min_confidence: MinConfidence = 0.0
) -> dict[str, Any]:
    """One stored article with its text and spans."""
    stored = _get(store, article_id)
    return stored_out(replace(stored, analysis=stored.analysis.at_least(min_confidence)))


@router.get(
    "/articles/{article_id}/export/{fmt}",
    response_class=Response,
    responses={**_NOT_FOUND, 200: {"content": {"text/plain": {}, "text/html": {}}}},
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


@router.get("/stats", response_model=StatsOut)
def stats(
    store: StoreDep,
    filters: FiltersDep,
    by: Literal["technique", "source", "month"] = "technique",
) -> dict[str, Any]:
    """Articles and technique spans per technique, source or month, over filtered articles."""
    return {
        "by": by,
        "articles": store.count(filters),
        "rows": [vars(row) for row in store.stats(by, filters)],
    }


@router.get("/techniques", response_model=list[TechniqueOut])
def techniques() -> list[dict[str, str]]:
    """The 14 techniques with their PTC labels, definitions and colours."""
    return [vars(t) for t in TECHNIQUES.values()]
