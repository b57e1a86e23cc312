"""Faults an operator met: NaN bodies, the largest dates, URLs httpx cannot parse, NUL characters,
rows damaged on disk, forged X-Forwarded-For, and gaps between the OpenAPI spec and the answers."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from click.testing import CliRunner
from fastapi.testclient import TestClient

from propscan.article import Analysis, Article
from propscan.cli.serve import serve
from propscan.errors import InputError
from propscan.model.bundle import Model
from propscan.server import Settings, netguard
from propscan.server.fetch import Fetcher
from test_api import BASE, TEXT, make_app

pytestmark = pytest.mark.issue(20)
TOKEN = "t0k-0123456789abcdef"


def client_on(fake_model: Model, db: str) -> TestClient:
    app = make_app(fake_model, Settings(db=db, max_bytes=100_000))
    return TestClient(app, base_url=BASE, raise_server_exceptions=False)


@pytest.fixture
def client(fake_model: Model, tmp_path: Path) -> Iterator[TestClient]:
    with client_on(fake_model, f"sqlite:///{tmp_path / 'corpus.db'}") as test_client:
        yield test_client


def store(client: TestClient, **body: object) -> dict[str, Any]:
    response = client.post("/api/articles", json={"text": TEXT, **body})
    assert response.status_code == 201, response.text
    stored: dict[str, Any] = response.json()
    return stored


def strict_json(text: str) -> Any:
    """``text`` read as JSON that has no NaN or infinity in it (raises otherwise)."""

    def refuse(constant: str) -> None:
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


# --- 16: NaN and infinities in a body ------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/analyze", '{"text": NaN}'),
        ("POST", "/api/articles", '{"text": Infinity}'),
        ("POST", "/api/articles", '{"text": "x", "title": -Infinity}'),
        ("PATCH", "/api/articles/{a}/spans/{s}", '{"status": NaN}'),
        ("POST", "/api/articles/{a}/spans", '{"start": Infinity, "end": 4, "technique": "Doubt"}'),
        ("POST", "/api/articles/{a}/reviewed", '{"reviewer": NaN}'),
    ],
)
def test_nan_and_infinity_in_a_body_get_a_json_422(
    client: TestClient, method: str, path: str, body: str
) -> None:
    article = store(client)
    url = path.format(a=article["id"], s=article["analysis"]["spans"][0]["id"])
    response = client.request(
        method, url, content=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    detail = strict_json(response.text)["detail"]
    assert any(issue.get("input") in ("NaN", "Infinity", "-Infinity") for issue in detail)


# --- 17: the largest dates -----------------------------------------------------------------------


def test_the_largest_and_smallest_dates_filter_honestly(fake_model: Model, store_url: str) -> None:
    with client_on(fake_model, store_url) as client:
        far = Article(id="far", text="Far future\n\nThe end.", date="9999-12-31T23:00:00")
        client.app.state.store.add(Analysis(far, (), model="fake"))  # type: ignore[attr-defined]
        store(client, date="2024-01-10")
        store(client, text=TEXT + " Undated.")

        def total(query: str) -> int:
            response = client.get(f"/api/articles?{query}")
            assert response.status_code == 200, response.text
            return int(response.json()["total"])

        assert total("to=9999-12-31") == 2
        assert total("from=9999-12-31") == 1
        assert total("from=9999-12-31&to=9999-12-31") == 1
        assert total("from=0001-01-01&to=9999-12-30") == 1
        assert client.get("/api/stats?to=9999-12-31").json()["articles"] == 2
        for path in ("/api/review/next", "/api/review/stats", "/corpus", "/review"):
            assert client.get(f"{path}?from=0001-01-01&to=9999-12-31").status_code == 200


# --- 18: URLs httpx cannot parse; 6to4 and NAT64 ------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://0177.0.0.1/", "http://127.000.000.001/", "http://①②⑦.⓪.⓪.①/", "http://[::1"]
)
def test_urls_httpx_cannot_parse_get_422(client: TestClient, url: str) -> None:
    response = client.post("/api/analyze", json={"url": url})
    assert response.status_code == 422, response.text
    assert "not a valid web address" in response.json()["detail"]
    form = client.post("/analyze", data={"url": url})
    assert form.status_code == 422
    assert "not a valid web address" in form.text


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("2002:7f00:1::", "a loopback address"),  # 6to4 of 127.0.0.1
        ("2002:c0a8:101::1", "a private address"),  # 6to4 of 192.168.1.1
        ("64:ff9b::7f00:1", "a loopback address"),  # NAT64 of 127.0.0.1
        ("64:ff9b::a9fe:a9fe", "a link-local address"),  # NAT64 of 169.254.169.254
        ("64:ff9b:1::808:808", "a private address"),  # local-use NAT64 (RFC 8215)
        ("2002:808:808::", None),  # 6to4 of a public address
        ("64:ff9b::808:808", None),  # NAT64 of a public address (IPv6-only networks, DNS64)
    ],
)
def test_6to4_and_nat64_are_judged_by_the_ipv4_address_they_lead_to(
    address: str, reason: str | None
) -> None:
    assert netguard.refusal(ipaddress.ip_address(address)) == reason


def test_a_6to4_url_of_loopback_is_not_fetched() -> None:
    with pytest.raises(InputError, match="public pages only"):
        Fetcher(max_bytes=1000, timeout=2)("http://[2002:7f00:1::]/secret", ident="t")


# --- 19: NUL characters --------------------------------------------------------------------------

ANN = {"reviewer": "Ann\x00"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/articles?source=Daily%00", None),
        ("GET", "/api/articles?q=corrupt%00", None),
        ("GET", "/api/articles?technique=Doubt%00", None),
        ("GET", "/api/stats?source=%00", None),
        ("GET", "/api/review/next?source=%00", None),
        ("GET", "/api/review/stats?source=%00", None),
        ("GET", "/corpus?source=%00", None),
        ("GET", "/review?q=a%00b", None),
        ("PATCH", "/api/articles/{a}/spans/{s}", {"status": "accepted", "reviewer": "a\x00b"}),
        ("POST", "/api/articles/{a}/spans", {"start": 4, "end": 18, "technique": "Doubt"} | ANN),
        ("POST", "/api/articles/{a}/reviewed", {"reviewer": "\x00"}),
    ],
)
def test_nul_in_a_filter_or_a_reviewer_name_is_422_on_both_backends(
    fake_model: Model, store_url: str, method: str, path: str, body: dict[str, Any] | None
) -> None:
    with client_on(fake_model, store_url) as client:
        article = store(client, source="Daily")
        url = path.format(a=article["id"], s=article["analysis"]["spans"][0]["id"])
        response = client.request(method, url, json=body)
        assert response.status_code == 422, response.text
        assert "NUL character" in json.dumps(response.json())
        assert client.get(f"/api/articles/{article['id']}").json() == article


# --- 20: rows damaged on disk --------------------------------------------------------------------

PATHS = (
    "/",
    "/corpus",
    "/review",
    "/articles/1",
    "/api/articles",
    "/api/articles/1",
    "/api/articles/1/export/json",
    "/api/articles/1/export/html",
    "/api/stats",
    "/api/stats?by=category",
    "/api/stats?by=month",
    "/api/review/next",
    "/api/review/stats",
)


@pytest.mark.parametrize(
    ("table", "column", "value", "damaged"),
    [
        ("articles", "score", "abc", ["/", "/corpus", "/api/articles"]),
        ("counts", "n", "many", ["/api/articles", "/api/stats?by=category"]),
        ("spans", "start", "x", ["/articles/1", "/api/articles/1", "/api/review/next", "/review"]),
        ("spans", "score", "high", ["/api/articles/1/export/json", "/api/review/next"]),
        ("spans", "status", "weird", ["/api/articles/1", "/api/review/stats"]),
    ],
)
def test_rows_damaged_on_disk_get_503(
    fake_model: Model, tmp_path: Path, table: str, column: str, value: object, damaged: list[str]
) -> None:
    db = tmp_path / "corpus.db"
    with client_on(fake_model, f"sqlite:///{db}") as client:
        store(client, source="Daily", date="2024-01-10")
        with sqlite3.connect(db) as conn:
            conn.execute(f'UPDATE {table} SET "{column}" = ?', (value,))
        statuses = {path: client.get(path).status_code for path in PATHS}
        assert {path for path, status in statuses.items() if status == 503} >= set(damaged)
        assert set(statuses.values()) <= {200, 503}, statuses
        assert "damaged" in client.get(damaged[0], headers={"Accept": "text/html"}).text


# --- 22: X-Forwarded-For -------------------------------------------------------------------------


def served(
    monkeypatch: pytest.MonkeyPatch, fake_model: Model, tmp_path: Path, *options: str
) -> Any:
    """The ASGI app ``propscan serve`` hands uvicorn, wrapped as uvicorn wraps it."""
    given: dict[str, Any] = {}
    monkeypatch.setattr("propscan.model.bundle.load_model", lambda model_dir=None: fake_model)
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: given.update(app=app, **kwargs))
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    result = CliRunner().invoke(serve, ["--db", db, "--token", TOKEN, *options])
    assert result.exit_code == 0, result.output
    config = uvicorn.Config(**{**given, "log_config": None})
    config.load()
    return config.loaded_app


def guesses(app: Any, peer: str, forwarded: list[str]) -> list[int]:
    """The statuses of wrong tokens sent from ``peer``, one per X-Forwarded-For value."""

    async def send() -> list[int]:
        transport = httpx.ASGITransport(app=app, client=(peer, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://propscan") as client:
            statuses = []
            for address in forwarded:
                headers = {"Authorization": "Bearer wrong-0123456789", "X-Forwarded-For": address}
                statuses.append((await client.get("/api/articles", headers=headers)).status_code)
            return statuses

    return asyncio.run(send())


def test_forwarded_for_is_not_trusted_by_default(
    monkeypatch: pytest.MonkeyPatch, fake_model: Model, tmp_path: Path
) -> None:
    app = served(monkeypatch, fake_model, tmp_path)
    rotating = [f"203.0.113.{n}" for n in range(11)]
    assert guesses(app, "127.0.0.1", rotating) == [401] * 10 + [429]


def test_forwarded_for_is_trusted_from_the_proxies_named(
    monkeypatch: pytest.MonkeyPatch, fake_model: Model, tmp_path: Path
) -> None:
    app = served(monkeypatch, fake_model, tmp_path, "--forwarded-allow-ips", "127.0.0.1, ::1")
    assert guesses(app, "127.0.0.1", ["203.0.113.7"] * 11) == [401] * 10 + [429]
    assert guesses(app, "127.0.0.1", ["203.0.113.8"]) == [401]  # another client behind it
    rotating = [f"198.51.100.{n}" for n in range(11)]
    assert guesses(app, "192.0.2.1", rotating) == [401] * 10 + [429]  # not a proxy named


def test_forwarded_allow_ips_must_be_addresses() -> None:
    result = CliRunner().invoke(serve, ["--forwarded-allow-ips", "proxy.local", "--get", "/"])
    assert result.exit_code == 2
    assert "not an IP address or network" in result.output


# --- 23: the OpenAPI spec and the answers ---------------------------------------------------------


def spec(client: TestClient) -> dict[str, Any]:
    found: dict[str, Any] = client.get("/openapi.json").json()
    return found


@pytest.mark.parametrize("path", ["/api/articles", "/api/stats", "/api/review/next"])
def test_filter_dates_are_dates_in_the_spec(client: TestClient, path: str) -> None:
    parameters = spec(client)["paths"][path]["get"]["parameters"]
    for name in ("from", "to"):
        (schema,) = [p["schema"] for p in parameters if p["name"] == name]
        assert {"type": "string", "format": "date"} in schema["anyOf"]
    assert client.get(f"{path}?from=2024-01-31&to=").status_code == 200
    assert client.get(f"{path}?to=31/01/2024").status_code == 422


@pytest.mark.parametrize("fmt", ["json", "ptc", "html"])
def test_each_export_answers_a_documented_content_type(client: TestClient, fmt: str) -> None:
    article = store(client)
    documented = spec(client)["paths"]["/api/articles/{article_id}/export/{fmt}"]["get"]
    response = client.get(f"/api/articles/{article['id']}/export/{fmt}")
    assert response.status_code == 200
    media_type = response.headers["content-type"].partition(";")[0]
    assert media_type in documented["responses"]["200"]["content"]


@pytest.mark.parametrize(
    ("path", "methods"),
    [("/api/articles", {"GET", "POST"}), ("/api/articles/1", {"GET", "DELETE"})],
)
def test_405_allows_every_method_of_the_path(
    client: TestClient, path: str, methods: set[str]
) -> None:
    for method in ("PUT", "OPTIONS"):
        response = client.request(method, path)
        assert response.status_code == 405
        assert set(response.headers["allow"].split(", ")) == methods
        assert response.json() == {"detail": "Method Not Allowed"}
