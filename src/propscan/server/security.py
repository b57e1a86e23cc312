"""Request guards: body size limit, Host and Origin checks, token access, safe headers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote, urlsplit

from fastapi import Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from propscan.server.auth import authorized, bearer, client_of, failures
from propscan.server.settings import Settings

OPEN_PATHS = ("/login", "/static/", "/favicon.ico")
DOC_PATHS = ("/docs", "/redoc", "/docs-static/")
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Swagger UI starts from an inline script and ReDoc runs a blob: worker; neither page shows
# user content. Framing stays forbidden (no clickjacking of "Try it out").
_DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_HEADERS = (
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
)


def security_headers(path: str) -> dict[str, str]:
    """The headers every response to ``path`` carries."""
    csp = _DOCS_CSP if path.startswith(DOC_PATHS) else _CSP
    return {**dict(_HEADERS), "content-security-policy": csp}


class SecurityHeaders:
    """Add the security headers to every response that lacks them, whoever answers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = [(k.encode(), v.encode()) for k, v in security_headers(scope["path"]).items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                headers = [*message.get("headers", []), *(h for h in extra if h[0] not in present)]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


Handler = Callable[[Request], Awaitable[Response]]


class BodyLimit:
    """Answer 413 to request bodies over ``max_bytes``, declared or streamed: JSON to the API,
    a page saying the limit, with the way back to the form, to the page paths."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.limit = f"{max_bytes / 1e6:.1f} MB"
        self.detail = {"detail": f"request body is over the {self.limit} limit"}

    def refusal(self, scope: Scope) -> Response:
        """The 413 answer to the request of ``scope``."""
        if scope["path"].startswith("/api"):
            return JSONResponse(self.detail, status_code=413)
        from propscan.server.pages import too_large_page  # only this answer needs the pages

        return too_large_page(Request(scope), self.limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self.refusal(scope)(scope, receive, send)
            return
        seen = 0
        rejected = False

        async def limited_receive() -> Message:
            """Pass the body on until it is too large; then answer 413 and hang up."""
            nonlocal seen, rejected
            if rejected:
                return {"type": "http.disconnect"}
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.max_bytes:
                rejected = True
                await self.refusal(scope)(scope, receive, send)
                return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            """Drop what the app says after the 413."""
            if not rejected:
                await send(message)

        await self.app(scope, limited_receive, guarded_send)


def guard(settings: Settings) -> Callable[[Request, Handler], Awaitable[Response]]:
    """HTTP middleware: Host and Origin checks and the token."""

    async def middleware(request: Request, call_next: Handler) -> Response:
        path = request.url.path
        host = (request.url.hostname or "").strip("[]")
        if "*" not in settings.allowed_hosts and host not in settings.allowed_hosts:
            return JSONResponse({"detail": f"host {host!r} is not served here"}, status_code=400)
        origin = request.headers.get("origin")
        unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
        if unsafe and origin and urlsplit(origin).netloc != request.headers.get("host"):
            return JSONResponse({"detail": "cross-site request refused"}, status_code=403)
        if settings.token and not path.startswith(OPEN_PATHS):
            client = client_of(request)
            wait = failures(request).wait(client)
            if wait:
                return JSONResponse(
                    {"detail": f"too many wrong tokens: try again in {wait} s"},
                    status_code=429,
                    headers={"Retry-After": str(wait)},
                )
            if not authorized(request, settings.token):
                if bearer(request) is not None:
                    failures(request).fail(client)
                return _unauthorized(request)
        return await call_next(request)

    return middleware


def _unauthorized(request: Request) -> Response:
    """401 JSON for API clients; browsers asking for a page go to the login form."""
    wants_page = request.method == "GET" and "text/html" in request.headers.get("accept", "")
    if wants_page and not request.url.path.startswith("/api"):
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)
    return JSONResponse(
        {"detail": "this server needs a token: send 'Authorization: Bearer TOKEN'"},
        status_code=401,
        headers={"WWW-Authenticate": "Bearer"},
    )
