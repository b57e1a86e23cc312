"""FastAPI dependencies: settings, store, model and URL fetcher (tests override them)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, HTTPException, Query, Request

from propscan.corpus.store import Filters, Store
from propscan.model.bundle import Model, load_model
from propscan.server.fetch import Fetcher
from propscan.server.settings import Settings
from propscan.techniques import LABELS, TECHNIQUES


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


def _date(value: str | None, name: str) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name}: {value!r} is not a date like 2024-01-31") from None


def get_filters(
    source: str | None = None,
    technique: Annotated[str | None, Query(description=f"One of: {', '.join(LABELS)}.")] = None,
    q: Annotated[str | None, Query(description="Keywords, all of which must occur.")] = None,
    date_from: Annotated[
        str | None, Query(alias="from", description="YYYY-MM-DD, inclusive.")
    ] = None,
    date_to: Annotated[str | None, Query(alias="to", description="YYYY-MM-DD, inclusive.")] = None,
) -> Filters:
    """Listing and statistics filters from the query string; empty values are ignored."""
    if technique and technique not in TECHNIQUES:
        raise HTTPException(422, f"unknown technique {technique!r}; see GET /api/techniques")
    return Filters(
        source=source or None,
        technique=technique or None,
        q=(q or "").strip() or None,
        date_from=_date(date_from, "from"),
        date_to=_date(date_to, "to"),
    )


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
ModelDep = Annotated[Model, Depends(get_model)]
FetcherDep = Annotated[Fetcher, Depends(get_fetcher)]
FiltersDep = Annotated[Filters, Depends(get_filters)]
