"""Token access: a bearer header for API clients, a login form and a cookie for browsers."""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from propscan.server.deps import SettingsDep
from propscan.server.jinja import templates

COOKIE = "propscan_session"
router = APIRouter(include_in_schema=False)


def session_value(token: str) -> str:
    """The cookie value for a token: derived from it, so the cookie never holds the token."""
    return hmac.new(token.encode(), b"propscan-session", hashlib.sha256).hexdigest()


def authorized(request: Request, token: str) -> bool:
    """Whether the request carries the token (bearer header) or a session cookie for it."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    cookie = request.cookies.get(COOKIE, "")
    return hmac.compare_digest(cookie.encode(), session_value(token).encode())


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
    if not hmac.compare_digest(token.strip().encode(), settings.token.encode()):
        context = {"next": safe_next(next), "error": "That token is not right."}
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        COOKIE,
        session_value(settings.token),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout() -> Response:
    """Forget the session cookie."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response
