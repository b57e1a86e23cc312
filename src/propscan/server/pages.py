"""The pages: analyse an article, read one stored article, explore the corpus."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, File, Form, HTTPException, Path, Query, Request, Response, UploadFile
from fastapi.responses import RedirectResponse

from propscan.article import DEFAULT_MIN_CONFIDENCE, Analysis, Article
from propscan.corpus.filters import parse_conditions
from propscan.corpus.store import MAX_ID, Filters, Store
from propscan.errors import InputError, QueryError
from propscan.model.bundle import Model
from propscan.server.deps import FetcherDep, FiltersDep, ModelDep, SettingsDep, StoreDep
from propscan.server.fetch import Fetcher
from propscan.server.highlight import (
    grouped_legend,
    legend,
    pieces,
    review_pieces,
    review_span_data,
    span_data,
)
from propscan.server.jinja import templates
from propscan.server.schemas import ArticleInput
from propscan.server.service import (
    Relabel,
    analyse_and_store,
    read_input,
    read_upload,
    with_metadata,
)
from propscan.server.settings import Settings
from propscan.techniques import TECHNIQUES, TaxonomyKey
from propscan.text.language import UNKNOWN, is_untested

PAGE_SIZE = 25
router = APIRouter(include_in_schema=False)
FormText = Annotated[str, Form()]
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> Response:
    return templates.TemplateResponse(request, name, context, status_code=status)


def _form_page(
    request: Request,
    store: Store,
    settings: Settings,
    form: dict[str, str],
    error: str | None = None,
) -> Response:
    """The analyse form filled in with ``form``, the reason it was refused, if any, and the
    request-size limit its script checks before sending."""
    context = {
        "form": form,
        "error": error,
        "max_bytes": settings.max_bytes,
        "recent": store.search(limit=6),
    }
    return _page(request, "analyze.html", context, status=422 if error else 200)


def too_large_page(request: Request, limit: str) -> Response:
    """413 for a form over the request-size limit ``limit`` (e.g. "2.0 MB"), with the way back."""
    return _page(request, "too_large.html", {"limit": limit}, status=413)


@router.get("/")
def analyze_page(request: Request, store: StoreDep, settings: SettingsDep) -> Response:
    """The form to paste text, give a URL or upload a file."""
    return _form_page(request, store, settings, {"taxonomy": settings.taxonomy})


@router.post("/analyze")
def analyze_form(
    request: Request,
    model: ModelDep,
    store: StoreDep,
    fetch: FetcherDep,
    settings: SettingsDep,
    text: FormText = "",
    url: FormText = "",
    title: FormText = "",
    source: FormText = "",
    date: FormText = "",
    taxonomy: Annotated[TaxonomyKey, Form()] = "ptc2020",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Analyse and store the article, then show it in the taxonomy chosen; on bad input, the
    form with the reason."""
    form = {"text": text, "url": url, "title": title, "source": source, "date": date}
    form["taxonomy"] = taxonomy
    try:
        article = _form_article(form, file, fetch)
    except InputError as error:
        return _form_page(request, store, settings, form, str(error))
    article_id, _ = analyse_and_store(article, model, store)
    view = "" if taxonomy == settings.taxonomy else f"?taxonomy={taxonomy}"
    return RedirectResponse(f"/articles/{article_id}{view}", status_code=303)


def _form_article(form: dict[str, str], file: UploadFile | None, fetch: Fetcher) -> Article:
    """The article a submitted form describes (raises InputError)."""
    has_file = file is not None and bool(file.filename)
    given = [bool(form["text"].strip()), bool(form["url"].strip()), has_file]
    if sum(given) != 1:
        raise InputError("paste a text, give a URL or choose a file: exactly one of them")
    try:
        date = dt.date.fromisoformat(form["date"]) if form["date"].strip() else None
    except ValueError:
        raise InputError(f"date {form['date']!r} is not like 2024-01-31") from None
    if file is not None and has_file:
        article = read_upload(file.file.read(), file.filename or "", file.content_type)
    elif form["url"].strip():
        article = read_input(ArticleInput(url=form["url"]), fetch)
    else:
        article = read_input(ArticleInput(text=form["text"]), fetch)
    return with_metadata(article, title=form["title"], source=form["source"], date=date)


@router.get("/articles/{article_id}")
def article_page(
    request: Request,
    article_id: ArticleId,
    store: StoreDep,
    model: ModelDep,
    settings: SettingsDep,
    taxonomy: TaxonomyKey | None = None,
    min_confidence: Annotated[float, Query(ge=0, le=1)] = DEFAULT_MIN_CONFIDENCE,
) -> Response:
    """One stored article with its techniques highlighted, to read and to review; in the 2023
    taxonomy to read, grouped by category (reviews use the stored PTC-2020 labels), without
    the findings under ``min_confidence`` (the review view has a slider for it instead)."""
    stored = store.get(article_id)
    if stored is None:
        raise HTTPException(404, f"no stored article with id {article_id}")
    taxonomy = taxonomy or settings.taxonomy
    if taxonomy != "ptc2020":
        try:
            view = Relabel(stored, model, taxonomy).analysis.at_least(min_confidence)
        except InputError as error:
            raise HTTPException(422, str(error)) from None
        context = {
            "stored": stored,
            "in_training_data": model.trained_on(stored.analysis.article.text),
            "untested_language": untested(stored.analysis, model),
            "analysis": view,
            "taxonomy": taxonomy,
            "pieces": pieces(view),
            "groups": grouped_legend(view),
            "spans": span_data(view),
        }
        return _page(request, "article_taxonomy.html", context)
    analysis = stored.analysis
    context = {
        "stored": stored,
        "in_training_data": model.trained_on(analysis.article.text),
        "untested_language": untested(analysis, model),
        "analysis": analysis,
        "pieces": review_pieces(stored),
        "legend": legend(analysis),
        "spans": review_span_data(stored),
        "unreviewed": sum(s.status == "predicted" for s in stored.spans),
        "min_confidence": DEFAULT_MIN_CONFIDENCE,
        "techniques": TECHNIQUES,
        "taxonomy": taxonomy,
    }
    return _page(request, "article.html", context)


def untested(analysis: Analysis, model: Model) -> bool:
    """Whether the model was not trained on the article's language."""
    return is_untested(
        analysis.language or UNKNOWN, model.for_language(analysis.language).languages
    )


@router.post("/articles/{article_id}/delete")
def delete_form(article_id: ArticleId, store: StoreDep) -> Response:
    """Delete a stored article and go to the corpus."""
    store.delete(article_id)
    return RedirectResponse("/corpus", status_code=303)


ENTITY_ROWS = 15
"""Entities the corpus page lists (``stats --by entity`` and /api/entities give all)."""


@router.get("/corpus")
def corpus_page(
    request: Request,
    store: StoreDep,
    filters: FiltersDep,
    page: Annotated[int, Query(le=MAX_ID // PAGE_SIZE)] = 1,
) -> Response:
    """Stored articles with search, filters and charts."""
    page = max(page, 1)
    total = store.count(filters)
    articles = store.search(filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    query = {k: v for k, v in request.query_params.items() if v and k != "page"}
    context = {
        "filters": filters,
        "articles": articles,
        "total": total,
        "stored": total if filters == Filters() else store.count(),
        "page": page,
        "pages": max(1, -(-total // PAGE_SIZE)),
        "query": urlencode(query),
        "sources": store.source_names(),
        "fields": _filterable_fields(store),
        "techniques": TECHNIQUES,
        "entities": store.entity_stats(filters, limit=ENTITY_ROWS),
    }
    return _page(request, "corpus.html", context)


def _filterable_fields(store: Store, most: int = 30) -> list[tuple[str, list[str]]]:
    """The feed fields worth a filter menu: those with at most ``most`` values (not ids)."""
    found = []
    for name in store.field_names():
        values = store.field_values(name, most + 1)
        if len(values) <= most:
            found.append((name, [value for value, _ in values]))
    return found


@router.get("/compare")
def compare_page(
    request: Request,
    store: StoreDep,
    filters: FiltersDep,
    a: Annotated[list[str] | None, Query()] = None,
    b: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """Two groups of stored articles side by side: a form, the table, a chart and what sets
    each group apart (the last two drawn by compare.js from the API)."""
    given_a, given_b = [c for c in a or () if c.strip()], [c for c in b or () if c.strip()]
    context: dict[str, Any] = {
        "a": given_a,
        "b": given_b,
        "suggestions": _suggestions(store),
        "comparison": None,
        "error": None,
        "techniques": TECHNIQUES,
    }
    status = 200
    if given_a:
        try:
            group_a = parse_conditions(given_a, filters)
            group_b = parse_conditions(given_b, filters) if given_b else None
            context["comparison"] = store.compare(group_a, group_b, within=filters)
        except QueryError as error:
            context["error"], status = str(error), 422
    return _page(request, "compare.html", context, status)


def _suggestions(store: Store) -> list[str]:
    """NAME=VALUE conditions to offer: each field's common values, then the largest sources."""
    offered = [
        f"{name}={value}"
        for name in store.field_names()
        for value, _ in store.field_values(name, 20)
    ]
    return offered + [f"source={s}" for s in store.source_names()[:30] if s != "(unknown)"]


@router.get("/review")
def review_page(request: Request, store: StoreDep, filters: FiltersDep) -> Response:
    """The predictions nobody has checked yet, least sure first (uncertainty sampling)."""
    total, items = store.review_queue(filters, limit=PAGE_SIZE)
    context = {
        "filters": filters,
        "total": total,
        "items": items,
        "sources": store.source_names(),
        "techniques": TECHNIQUES,
    }
    return _page(request, "review.html", context)
