"""The ``propscan serve`` command: the web app and REST API under uvicorn."""

from __future__ import annotations

import asyncio
import ipaddress
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from propscan.cli.common import taxonomy_option
from propscan.cli.corpus_options import db_option
from propscan.errors import PropscanError
from propscan.paths import sqlite_path
from propscan.techniques import TaxonomyKey

if TYPE_CHECKING:
    import httpx
    from fastapi import FastAPI


MIN_TOKEN_LENGTH = 16
WEB_HINT = "the web app needs its extra packages: pip install 'propscan[web]'"


def is_loopback(host: str) -> bool:
    """Whether binding to ``host`` keeps the server on this computer."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def forwarded_ips(_: click.Context, __: click.Parameter, value: str | None) -> list[str]:
    """The proxies named by --forwarded-allow-ips: addresses, networks or '*' (any)."""
    ips = [ip.strip() for ip in (value or "").split(",") if ip.strip()]
    for ip in ips:
        try:
            if ip != "*":
                ipaddress.ip_network(ip)
        except ValueError:
            raise click.BadParameter(f"{ip!r} is not an IP address or network") from None
    return ips


@click.command(name="serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on.",
)
@db_option
@click.option(
    "--token",
    envvar="PROPSCAN_TOKEN",
    help="Access token every request must carry (env PROPSCAN_TOKEN); needed off 127.0.0.1.",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=2_000_000,
    show_default=True,
    help="Largest request body (and fetched page) accepted.",
)
@click.option(
    "--model",
    "model_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Model folder made by 'propscan train' (default: the bundled model).",
)
@click.option(
    "--allow-private-urls",
    is_flag=True,
    help="Also fetch URLs on loopback, private and link-local addresses (intranet pages).",
)
@click.option(
    "--forwarded-allow-ips",
    "forwarded_allow_ips",
    metavar="IPS",
    callback=forwarded_ips,
    help="Reverse proxies (comma-separated addresses or networks, '*' for any) whose "
    "X-Forwarded-For and X-Forwarded-Proto are believed; default: none, every client is the "
    "address it connects from.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes on the one port, each with its own copy of the model (about 300 MB "
    "each); they share the store, its login sessions and the cores.",
)
@taxonomy_option
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Print the response to a GET of PATH and exit (1 on an error status); no server.",
)
def serve(
    host: str,
    port: int,
    db: str,
    token: str | None,
    max_bytes: int,
    model_dir: Path | None,
    allow_private_urls: bool,
    forwarded_allow_ips: list[str],
    workers: int,
    taxonomy: TaxonomyKey,
    get_path: str | None,
) -> None:
    """Start the web app: paste or fetch an article and see its techniques; explore a corpus.

    It listens on 127.0.0.1 only, unless --token (or PROPSCAN_TOKEN) is given: then every
    page and API call needs that token. The API is documented at /docs.

    Example:

    \b
        propscan serve
        propscan serve --db sqlite:///news.db --port 8080
        PROPSCAN_TOKEN=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))') \\
            propscan serve --host 0.0.0.0
        propscan serve --get /api/stats?by=source
        propscan serve --taxonomy semeval2023

    --taxonomy sets what pages show and the API answers in by default; the store always keeps
    PTC-2020 labels, and every page can switch. Behind a reverse proxy, name it with
    --forwarded-allow-ips (e.g. 127.0.0.1) so that wrong tokens are counted per real client.
    """
    if not is_loopback(host) and not token:
        raise click.UsageError(
            f"--host {host} makes the server reachable from other computers: "
            "give --token (or set PROPSCAN_TOKEN) so that only people with it can use it"
        )
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise click.UsageError(
            f"--token must be at least {MIN_TOKEN_LENGTH} characters long; make one with: "
            "python3 -c 'import secrets; print(secrets.token_urlsafe(24))'"
        )
    try:
        import uvicorn

        from propscan.model.bundle import load_model
        from propscan.pipeline import check_taxonomy
        from propscan.server import Settings, create_app
        from propscan.server.workers import APP_FACTORY, SETTINGS_VARIABLE, lanes_of, settings_json
    except ImportError as error:
        raise click.ClickException(f"{WEB_HINT} ({error})") from None
    stored = sqlite_path(db)
    if get_path is not None and stored is not None and not stored.exists():
        click.echo(f"propscan: no corpus at {stored} yet; answering from an empty one", err=True)
        db = "sqlite:///:memory:"  # --get only reads: create no database
    settings = Settings(
        db=db,
        token=token,
        max_bytes=max_bytes,
        model_dir=model_dir,
        allow_private_urls=allow_private_urls,
        taxonomy=taxonomy,
    )
    if token:  # any Host name then, so that it works behind a reverse proxy too
        settings = replace(settings, allowed_hosts=("*",))
    try:
        check_taxonomy(load_model(model_dir), taxonomy)
        app = create_app(settings)
    except PropscanError as error:
        raise click.ClickException(str(error)) from None
    if get_path is not None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = asyncio.run(_get(app, get_path, headers))
        click.echo(response.text, nl=not response.text.endswith("\n"))
        sys.exit(0 if response.status_code < 400 else 1)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"propscan: corpus at {app.state.store.url}", err=True)
    click.echo(
        f"propscan: open http://{shown}:{port}/ (API docs at /docs); Ctrl+C stops it", err=True
    )
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "info",
        "proxy_headers": bool(forwarded_allow_ips),
        "forwarded_allow_ips": forwarded_allow_ips or None,
    }
    if workers == 1:
        uvicorn.run(app, **options)
        return
    if stored is None and not db.startswith("postgresql"):
        raise click.UsageError("--workers needs a store in a file or PostgreSQL, not in memory")
    app.state.store.close()
    os.environ[SETTINGS_VARIABLE] = settings_json(settings, lanes_of(workers))
    uvicorn.run(APP_FACTORY, factory=True, workers=workers, **options)


async def _get(app: FastAPI, path: str, headers: dict[str, str]) -> httpx.Response:
    """One GET request answered by the app in this process."""
    import httpx

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        return await client.get(path, headers=headers)
