"""Fetch an article from a URL: http(s) only, public addresses only, one deadline, a size cap."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

import httpx

from propscan.article import Article
from propscan.errors import InputError
from propscan.server.netguard import Deadline, GuardedTransport
from propscan.text.ingest import from_bytes

_READABLE = ("text/", "application/xhtml+xml")


def check_url(url: str) -> None:
    """Refuse what is not a plain http(s) address that httpx can parse (e.g. 0177.0.0.1, whose
    leading zeros make it ambiguous), or one with credentials in it."""
    try:
        httpx.URL(url)
        parts = urlsplit(url)
    except (httpx.InvalidURL, ValueError) as error:
        raise InputError(f"{url}: not a valid web address ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url}: not an http:// or https:// address")
    if parts.username is not None or parts.password is not None:
        raise InputError(f"{parts.hostname}: addresses with a user name or password are refused")


class Fetcher:
    """Turns a URL into an Article.

    Only public addresses are fetched (every redirect hop is checked) unless ``allow_private``;
    ``timeout`` bounds the whole fetch. ``transport`` lets tests answer without a network (it
    replaces the address checks).
    """

    def __init__(
        self,
        *,
        max_bytes: int,
        timeout: float,
        transport: httpx.BaseTransport | None = None,
        allow_private: bool = False,
    ) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.transport = transport
        self.allow_private = allow_private

    def __call__(self, url: str, *, ident: str) -> Article:
        """Download ``url`` and read it as HTML or text, or raise InputError."""
        check_url(url)
        try:
            data, content_type = self._download(url)
        except httpx.TimeoutException:
            raise InputError(f"{url}: no complete answer within {self.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise InputError(f"{url}: could not fetch it ({error})") from None
        if content_type and not content_type.startswith(_READABLE):
            raise InputError(f"{url}: is {content_type}, not an HTML or text page")
        html = True if "html" in content_type else None
        article = from_bytes(data, ident=ident, html=html, name=url)
        host = urlsplit(url).hostname
        return replace(article, url=article.url or url, source=article.source or host)

    def _download(self, url: str) -> tuple[bytes, str]:
        """The body (at most ``max_bytes``) and the media type of a successful answer."""
        deadline = Deadline(self.timeout)
        transport = self.transport or GuardedTransport(
            deadline=deadline, allow_private=self.allow_private
        )
        headers = {"User-Agent": "propscan (+https://pypi.org/project/propscan/)"}
        with (
            httpx.Client(
                transport=transport,
                timeout=self.timeout,
                follow_redirects=True,
                max_redirects=5,
                headers=headers,
                event_hooks={"request": [lambda request: check_url(str(request.url))]},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                raise InputError(f"{url}: the site answered {response.status_code}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    raise InputError(
                        f"{url}: the page is over the {self.max_bytes / 1e6:.1f} MB limit"
                    )
                if deadline.passed:
                    raise httpx.ReadTimeout(f"over the {self.timeout:g} s limit for one fetch")
                chunks.append(chunk)
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return b"".join(chunks), media_type
