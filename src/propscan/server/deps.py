"""FastAPI dependencies: settings, store, model and URL fetcher (tests override them)."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Annotated, Any, get_type_hints

from fastapi import Depends, HTTPException, Query, Request
from pydantic import BeforeValidator, TypeAdapter, ValidationError
from pydantic_core import to_jsonable_python

from propscan.corpus.filters import parse_conditions
from propscan.corpus.store import Filters, Store
from propscan.errors import QueryError, StoreError
from propscan.model.bundle import Model, load_model
from propscan.server.fetch import Fetcher
from propscan.server.schemas import NoNul
from propscan.server.settings import Settings
from propscan.techniques import LABELS, TECHNIQUES

_DAMAGE = (TypeError, ValueError, LookupError)  # what reading a wrongly typed value raises


def _checked(name: str) -> Any:
    """Store method ``name``, its answer checked against its declared type: a row damaged on
    disk (a NULL or a value of another type written into the file) raises StoreError."""
    read = getattr(Store, name)
    answer_type = TypeAdapter(get_type_hints(read)["return"])

    @functools.wraps(read)
    def checked(self: Store, *args: Any, **kwargs: Any) -> Any:
        try:
            answer = read(self, *args, **kwargs)
            answer_type.validate_python(to_jsonable_python(answer))
        except _DAMAGE as error:
            raise StoreError(f"{self.url}: a stored row is damaged ({_reason(error)})") from error
        return answer

    return checked


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        issue = error.errors()[0]
        return f"{'.'.join(str(part) for part in issue['loc'])}: {issue['msg']}"
    return f"{type(error).__name__}: {error}"


class CheckedStore(Store):
    """The store whose reads the server answers from, checked (see ``_checked``)."""

    get = _checked("get")
    search = _checked("search")
    stats = _checked("stats")
    compare = _checked("compare")
    distinctive = _checked("distinctive")
    trends = _checked("trends")
    review_queue = _checked("review_queue")
    review_stats = _checked("review_stats")
    review_span = _checked("review_span")
    add_span = _checked("add_span")


def get_settings(request: Request) -> Settings:
    """The settings the app was made with."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> Store:
    """The app's corpus store."""
    store: Store = request.app.state.store
    return store


def get_model(settings: Annotated[Settings, Depends(get_settings)]) -> Model:
    """The model (loaded once per process)."""
    return load_model(settings.model_dir)


def get_fetcher(settings: Annotated[Settings, Depends(get_settings)]) -> Fetcher:
    """A fetcher capped at the request size limit, for public addresses unless allowed."""
    return Fetcher(
        max_bytes=settings.max_bytes,
        timeout=settings.fetch_timeout,
        allow_private=settings.allow_private_urls,
    )


def _day(value: object) -> object:
    """An empty value as no date; a string as a YYYY-MM-DD date (else a 422)."""
    if value == "":
        return None
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date like 2024-01-31") from None
    return value


Day = Annotated[dt.date | None, BeforeValidator(_day)]
FilterText = Annotated[str | None, NoNul]


def get_filters(
    source: Annotated[FilterText, Query()] = None,
    technique: Annotated[FilterText, Query(description=f"One of: {', '.join(LABELS)}.")] = None,
    q: Annotated[FilterText, Query(description="Keywords, all of which must occur.")] = None,
    date_from: Annotated[Day, Query(alias="from", description="YYYY-MM-DD, inclusive.")] = None,
    date_to: Annotated[Day, Query(alias="to", description="YYYY-MM-DD, inclusive.")] = None,
    where: Annotated[
        list[Annotated[str, NoNul]] | None,
        Query(description="NAME=VALUE: a field the feed gave (e.g. bias_text=left); repeatable."),
    ] = None,
) -> Filters:
    """Listing and statistics filters from the query string; empty values are ignored."""
    if technique and technique not in TECHNIQUES:
        raise HTTPException(422, f"unknown technique {technique!r}; see GET /api/techniques")
    given = Filters(
        source=source or None,
        technique=technique or None,
        q=(q or "").strip() or None,
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
    )
    return conditions_or_422([w for w in where or () if w], given, "where")


def conditions_or_422(conditions: list[str], base: Filters, name: str) -> Filters:
    """``base`` narrowed by NAME=VALUE conditions, or a 422 naming the parameter."""
    try:
        return parse_conditions(conditions, base)
    except QueryError as error:
        raise HTTPException(422, f"{name}: {error}") from None


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
ModelDep = Annotated[Model, Depends(get_model)]
FetcherDep = Annotated[Fetcher, Depends(get_fetcher)]
FiltersDep = Annotated[Filters, Depends(get_filters)]
