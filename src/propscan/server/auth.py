"""Token access: a bearer header for API clients, a login form and a session for browsers.

Sessions are random, expire and end at logout; wrong tokens are limited per client address.
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from propscan.server.deps import SettingsDep
from propscan.server.jinja import templates
from propscan.server.sessions import FailureLimit, Sessions

COOKIE = "propscan_session"
router = APIRouter(include_in_schema=False)


def sessions(request: Request) -> Sessions:
    """The app's login sessions."""
    found: Sessions = request.app.state.sessions
    return found


def failures(request: Request) -> FailureLimit:
    """The app's count of wrong tokens per client."""
    found: FailureLimit = request.app.state.failures
    return found


def client_of(request: Request) -> str:
    """The client's address, which wrong tokens are counted by."""
    return request.client.host if request.client else ""


def same_token(given: str, token: str) -> bool:
    """Constant-time comparison of a given token with the server's."""
    return hmac.compare_digest(given.strip().encode("utf-8", "replace"), token.encode())


def bearer(request: Request) -> str | None:
    """The token of an 'Authorization: Bearer' header, if there is one."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return given if scheme.lower() == "bearer" else None


def authorized(request: Request, token: str) -> bool:
    """Whether the request carries the token (bearer header) or a live session cookie."""
    given = bearer(request)
    if given is not None and same_token(given, token):
        return True
    return sessions(request).valid(request.cookies.get(COOKIE, ""))


def safe_next(target: str | None) -> str:
    """A local path to go back to after logging in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target or any(ch.isspace() or not ch.isprintable() for ch in target):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    """The login form."""
    return templates.TemplateResponse(request, "login.html", {"next": safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    settings: SettingsDep,
    token: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the token; on success set the session cookie and go back."""
    if settings.token is None:
        return RedirectResponse(safe_next(next), status_code=303)
    client = client_of(request)
    wait = failures(request).wait(client)
    if wait:
        error = f"Too many wrong tokens: try again in {wait} s."
        context = {"next": safe_next(next), "error": error}
        headers = {"Retry-After": str(wait)}
        return templates.TemplateResponse(
            request, "login.html", context, status_code=429, headers=headers
        )
    if not same_token(token, settings.token):
        failures(request).fail(client)
        context = {"next": safe_next(next), "error": "That token is not right."}
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        COOKIE,
        sessions(request).open(),
        max_age=int(sessions(request).seconds),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session and forget its cookie."""
    sessions(request).close(request.cookies.get(COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response
