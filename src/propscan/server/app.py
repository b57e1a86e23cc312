"""The FastAPI app: API and page routes, guards, error handlers and static files."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from propscan import __version__
from propscan.corpus.store import Store
from propscan.errors import InputError, ModelNotFound, PropscanError, StoreError
from propscan.server import api, auth, pages
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
    (StoreError, 503),
    (PropscanError, 400),
)

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
    store = Store(settings.db)

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
    app.state.sessions = Sessions()
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
    """``value`` with lone surrogates in its strings written as backslash escapes."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, list):
        return [_escaped(item) for item in value]
    if isinstance(value, dict):
        return {_escaped(key): _escaped(item) for key, item in value.items()}
    return value


async def _internal_error(request: Request, error: Exception) -> JSONResponse:
    log.exception("error answering %s %s", request.method, request.url.path, exc_info=error)
    return JSONResponse(  # answered outside the middlewares: the headers are added here
        {"detail": f"internal error ({type(error).__name__}); see the server log"},
        status_code=500,
        headers=security_headers(request.url.path),
    )
