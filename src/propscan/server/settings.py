"""How one web app instance is set up."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from propscan.paths import default_db_url
from propscan.techniques import TaxonomyKey

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_MAX_BYTES = 2_000_000


@dataclass(frozen=True)
class Settings:
    """Settings of the web app.

    db (str): corpus store URL. token (str | None): when set, every request needs it.
    allowed_hosts (tuple): Host header names accepted, ``("*",)`` for any; the loopback
    names by default, which stops DNS-rebinding pages from reaching a local server.
    taxonomy: the technique taxonomy that pages show and the API answers in by default.
    fetch_timeout (float): seconds one URL fetch may take in all. allow_private_urls (bool):
    fetch loopback, private and link-local addresses too (off: public addresses only).
    """

    db: str = field(default_factory=default_db_url)
    token: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    model_dir: Path | None = None
    fetch_timeout: float = 10.0
    allow_private_urls: bool = False
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS
    taxonomy: TaxonomyKey = "ptc2020"
