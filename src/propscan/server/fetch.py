"""Fetch an article from a URL: http(s) only, with a timeout and a size cap."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

import httpx

from propscan.article import Article
from propscan.errors import InputError
from propscan.ingest import from_bytes

_READABLE = ("text/", "application/xhtml+xml")


class Fetcher:
    """Turns a URL into an Article; ``transport`` lets tests answer without a network."""

    def __init__(
        self, *, max_bytes: int, timeout: float, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.transport = transport

    def __call__(self, url: str, *, ident: str) -> Article:
        """Download ``url`` and read it as HTML or text, or raise InputError."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"{url}: not an http:// or https:// address")
        try:
            data, content_type = self._download(url)
        except httpx.HTTPError as error:
            raise InputError(f"{url}: could not fetch it ({error})") from None
        if content_type and not content_type.startswith(_READABLE):
            raise InputError(f"{url}: is {content_type}, not an HTML or text page")
        html = True if "html" in content_type else None
        article = from_bytes(data, ident=ident, html=html, name=url)
        return replace(article, url=article.url or url, source=article.source or parts.hostname)

    def _download(self, url: str) -> tuple[bytes, str]:
        """The body (at most ``max_bytes``) and the media type of a successful answer."""
        headers = {"User-Agent": "propscan (+https://pypi.org/project/propscan/)"}
        with (
            httpx.Client(
                transport=self.transport,
                timeout=self.timeout,
                follow_redirects=True,
                max_redirects=5,
                headers=headers,
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
                chunks.append(chunk)
            media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            return b"".join(chunks), media_type
