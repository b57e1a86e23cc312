"""The FastAPI app: API and page routes, guards, error handlers and static files."""

from __future__ import annotations

import json
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError, ResponseValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException
from starlette.routing import Match, Mount

from propscan import __version__
from propscan.errors import InputError, ModelNotFound, PropscanError, QueryError, StoreError
from propscan.server import api, auth, pages
from propscan.server.deps import CheckedStore
from propscan.server.security import BodyLimit, SecurityHeaders, guard, security_headers
from propscan.server.service import Busy, TooLong
from propscan.server.sessions import FailureLimit, Sessions
from propscan.server.settings import Settings

log = logging.getLogger("propscan.server")
_STATIC = Path(__file__).parent / "static"
_PLOTLY_JS = files("plotly") / "package_data" / "plotly.min.js"
_ERROR_STATUS: tuple[tuple[type[PropscanError], int], ...] = (
    (TooLong, 413),
    (Busy, 503),
    (InputError, 422),
    (ModelNotFound, 503),
    (QueryError, 422),
    (StoreError, 503),
    (PropscanError, 400),
)
_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

DESCRIPTION = """\
[← Back to the propscan app](/) · [Corpus](/corpus)

Find propaganda techniques (SemEval-2020 Task 11) in news articles, or name them as the
persuasion techniques of SemEval-2023 Task 3 (`"taxonomy": "semeval2023"`).

When the server was started with a token, send it as `Authorization: Bearer TOKEN`.
Errors are JSON: `{"detail": "..."}`.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    """A web app serving the API, the pages and the corpus store named in ``settings``."""
    settings = settings or Settings()
    store = CheckedStore(settings.db)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        store.close()

    app = FastAPIOffline(
        title="propscan",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        static_url="/docs-static",
    )
    app.state.settings = settings
    app.state.store = store
    app.state.sessions = Sessions(store)
    app.state.failures = FailureLimit()
    app.include_router(api.router)
    app.include_router(auth.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=_STATIC), name="static")

    @app.get("/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js() -> FileResponse:
        """plotly.js, served from the installed plotly package (works offline)."""
        return FileResponse(
            str(_PLOTLY_JS),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    for error_type, status in _ERROR_STATUS:
        app.add_exception_handler(error_type, _json_error(status))
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ResponseValidationError, _damaged_answer)
    app.add_exception_handler(405, _method_not_allowed)
    app.add_exception_handler(Exception, _internal_error)
    app.middleware("http")(guard(settings))
    app.add_middleware(BodyLimit, max_bytes=settings.max_bytes)
    app.add_middleware(SecurityHeaders)
    return app


def _json_error(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    """An exception handler answering ``{"detail": message}`` with ``status``."""

    async def handler(_: Request, error: Exception) -> JSONResponse:
        retry = getattr(error, "retry_after", None)
        headers = {"Retry-After": str(retry)} if retry else None
        return JSONResponse({"detail": str(error)}, status_code=status, headers=headers)

    return handler


async def _validation_error(_: Request, error: Exception) -> JSONResponse:
    """422 with one entry per problem; what cannot be encoded as UTF-8 is shown escaped."""
    assert isinstance(error, RequestValidationError)
    issues = [
        {"loc": issue["loc"], "msg": issue["msg"], "type": issue["type"]}
        | ({"input": issue["input"]} if "input" in issue else {})
        for issue in error.errors()
    ]
    return JSONResponse({"detail": _escaped(jsonable_encoder(issues))}, status_code=422)


def _escaped(value: Any) -> Any:
    """``value`` with lone surrogates in its strings written as backslash escapes, and NaN and
    infinities (which JSON cannot hold) as the strings the request spelled them with."""
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps(value)
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {_escaped(key): _escaped(item) for key, item in value.items()}
    return value


async def _damaged_answer(request: Request, error: Exception) -> JSONResponse:
    """503 for an answer that does not fit its schema: the store handed out a damaged row."""
    assert isinstance(error, ResponseValidationError)
    log.error("damaged stored data answering %s %s: %s", request.method, request.url.path, error)
    issue = error.errors()[0]
    where = ".".join(str(part) for part in issue["loc"][1:])
    return JSONResponse(
        {"detail": f"the store holds a damaged row ({where}: {issue['msg']}); see the server log"},
        status_code=503,
    )


async def _method_not_allowed(request: Request, error: Exception) -> JSONResponse:
    """405 whose Allow header names every method the path answers, not only the first route's
    (a mounted app, such as the static files, says its own)."""
    assert isinstance(error, HTTPException)
    headers = dict(error.headers or {})
    methods = [method for method in _METHODS if _answers(request, method)]
    if methods:
        headers["Allow"] = ", ".join(methods)
    return JSONResponse({"detail": error.detail}, status_code=405, headers=headers)


def _answers(request: Request, method: str) -> bool:
    """Whether a route of the app answers ``method`` at the path of ``request``."""
    probe = {**request.scope, "method": method}
    return any(
        not isinstance(route, Mount) and route.matches(probe)[0] is Match.FULL
        for route in request.app.routes
    )


async def _internal_error(request: Request, error: Exception) -> JSONResponse:
    log.exception("error answering %s %s", request.method, request.url.path, exc_info=error)
    return JSONResponse(  # answered outside the middlewares: the headers are added here
        {"detail": f"internal error ({type(error).__name__}); see the server log"},
        status_code=500,
        headers=security_headers(request.url.path),
    )
