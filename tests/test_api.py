"""The REST API, the pages and ``propscan serve --get``, with the fake model and no network."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient

from propscan.article import Analysis, Article
from propscan.cli.serve import serve
from propscan.corpus.store import Store
from propscan.errors import InputError
from propscan.model.bundle import Model
from propscan.pipeline import analyze
from propscan.server import Settings, create_app
from propscan.server.auth import COOKIE
from propscan.server.deps import get_fetcher, get_model
from propscan.server.fetch import Fetcher
from propscan.server.highlight import pieces
from propscan.techniques import TECHNIQUES

TEXT = "Shocking news\n\nThe corrupt elites betrayed the brave patriots again."
PAGE = (
    "<html><head><title>Harbour news</title></head><body><article><h1>Harbour news</h1>"
    "<p>The corrupt elites have once again ignored the brave patriots of our town, who "
    "gathered in the square to protest against the deal that nobody asked for.</p>"
    "<p>Residents said the decision was taken behind closed doors last spring.</p>"
    "</article></body></html>"
)
CALM = "Calm report\n\nThe council met on Tuesday."
BRAVE = "Brave report\n\nThe brave patriots marched."
BASE = "http://127.0.0.1"


def site(request: httpx.Request) -> httpx.Response:
    """A fake web: one article page, one text file, one PDF, one huge page, one 404."""
    match request.url.path:
        case "/article":
            return httpx.Response(200, text=PAGE, headers={"content-type": "text/html"})
        case "/plain.txt":
            return httpx.Response(200, text=TEXT, headers={"content-type": "text/plain"})
        case "/paper.pdf":
            return httpx.Response(
                200, content=b"%PDF-1.4", headers={"content-type": "application/pdf"}
            )
        case "/huge":
            return httpx.Response(200, text="x " * 60_000, headers={"content-type": "text/plain"})
    return httpx.Response(404, text="not here")


MEMORY = Settings(db="sqlite:///:memory:", max_bytes=100_000)


def make_app(fake_model: Model, settings: Settings = MEMORY) -> FastAPI:
    """The app with the fake model and the fake web, on an in-memory store."""
    app = create_app(settings)
    app.dependency_overrides[get_model] = lambda: fake_model
    transport = httpx.MockTransport(site)
    app.dependency_overrides[get_fetcher] = lambda: Fetcher(
        max_bytes=100_000, timeout=5, transport=transport
    )
    return app


@pytest.fixture
def app(fake_model: Model) -> FastAPI:
    return make_app(fake_model)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


def store_of(app: FastAPI) -> Store:
    store: Store = app.state.store
    return store


def add(client: TestClient, **body: object) -> dict[str, object]:
    response = client.post("/api/articles", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, object] = response.json()
    return result


# --- analyse ------------------------------------------------------------------------------------


def test_analyze_text_returns_spans_and_stores_nothing(client: TestClient, app: FastAPI) -> None:
    response = client.post(
        "/api/analyze", json={"text": TEXT, "source": "Daily", "date": "2024-03-01"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert [(s["text"], s["technique"]) for s in body["spans"]] == [
        ("corrupt elites", "Loaded_Language"),
        ("brave patriots", "Loaded_Language"),
    ]
    start, end = body["spans"][0]["start"], body["spans"][0]["end"]
    assert TEXT[start:end] == "corrupt elites"
    assert 0 < body["spans"][0]["score"] <= 1
    assert body["counts"] == {"Loaded_Language": 2}
    assert 0 < body["score"] < 1
    assert (body["title"], body["source"], body["date"], body["model"]) == (
        "Shocking news",
        "Daily",
        "2024-03-01",
        "fake",
    )
    assert store_of(app).count() == 0


def test_analyze_html(client: TestClient) -> None:
    body = client.post("/api/analyze", json={"html": PAGE, "title": "Given title"}).json()
    assert body["title"] == "Given title"
    assert "brave patriots" in body["text"] and "<p>" not in body["text"]
    assert body["counts"] == {"Loaded_Language": 2}


def test_analyze_url_is_fetched_and_extracted(client: TestClient) -> None:
    body = client.post("/api/analyze", json={"url": "https://news.example/article"}).json()
    assert body["url"] == "https://news.example/article"
    assert body["source"] == "news.example"
    assert body["counts"] == {"Loaded_Language": 2}
    plain = client.post("/api/analyze", json={"url": "http://news.example/plain.txt"}).json()
    assert plain["title"] == "Shocking news"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://news.example/missing", "answered 404"),
        ("https://news.example/paper.pdf", "application/pdf, not an HTML or text page"),
        ("https://news.example/huge", "over the 0.1 MB limit"),
        ("ftp://news.example/article", "not an http:// or https:// address"),
        ("file:///etc/passwd", "not an http:// or https:// address"),
    ],
)
def test_bad_urls_are_422_with_the_reason(client: TestClient, url: str, reason: str) -> None:
    response = client.post("/api/analyze", json={"url": url})
    assert response.status_code == 422
    assert reason in response.json()["detail"]


def test_unreachable_url_is_422() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    fetch = Fetcher(max_bytes=1000, timeout=1, transport=httpx.MockTransport(refuse))
    with pytest.raises(InputError, match="could not fetch it"):
        fetch("http://down.example/", ident="x")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": TEXT, "url": "https://news.example/article"},
        {"text": TEXT, "colour": "red"},
        {"text": TEXT, "date": "yesterday"},
        {"text": 42},
        ["not", "an", "object"],
    ],
)
def test_malformed_input_is_422_json(client: TestClient, body: object) -> None:
    response = client.post("/api/analyze", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]


def test_invalid_json_and_empty_text_are_422(client: TestClient) -> None:
    broken = client.post(
        "/api/analyze", content=b'{"text": ', headers={"content-type": "application/json"}
    )
    assert broken.status_code == 422
    empty = client.post("/api/analyze", json={"text": "  \n "})
    assert empty.status_code == 422
    assert empty.json() == {"detail": "empty article (nothing but whitespace)"}


def test_bodies_over_the_limit_are_413(client: TestClient) -> None:
    big = {"text": "word " * 30_000}
    declared = client.post("/api/analyze", json=big)
    assert declared.status_code == 413
    assert "0.1 MB limit" in declared.json()["detail"]

    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(30):
            yield b"word " * 1000
        yield b'"}'

    streamed = client.post(
        "/api/articles", content=chunks(), headers={"content-type": "application/json"}
    )
    assert streamed.status_code == 413


# --- stored articles ----------------------------------------------------------------------------


def test_store_get_list_delete(client: TestClient) -> None:
    created = client.post("/api/articles", json={"text": TEXT, "source": "Daily"})
    assert created.status_code == 201
    stored = created.json()
    assert created.headers["location"] == f"/api/articles/{stored['id']}"
    assert stored["analysis"]["counts"] == {"Loaded_Language": 2}
    assert len(stored["content_hash"]) == 64

    fetched = client.get(f"/api/articles/{stored['id']}").json()
    assert fetched == stored
    listing = client.get("/api/articles").json()
    assert listing["total"] == 1
    assert listing["items"][0]["id"] == stored["id"]
    assert "text" not in listing["items"][0]

    assert client.delete(f"/api/articles/{stored['id']}").status_code == 204
    assert client.get(f"/api/articles/{stored['id']}").status_code == 404
    missing = client.delete(f"/api/articles/{stored['id']}")
    assert missing.status_code == 404
    assert missing.json() == {"detail": f"no stored article with id {stored['id']}"}


def test_the_same_article_is_stored_once(client: TestClient) -> None:
    first = add(client, text=TEXT)
    second = add(client, text=TEXT)
    assert first["id"] == second["id"]


def test_list_filters(client: TestClient) -> None:
    add(client, text=TEXT, source="Daily", date="2024-01-10")
    add(
        client,
        text=CALM,
        source="Weekly",
        date="2024-02-10",
    )
    add(
        client,
        text=BRAVE,
        source="Weekly",
        date="2024-03-10",
    )

    def titles(query: str) -> list[str]:
        response = client.get(f"/api/articles?{query}")
        assert response.status_code == 200, response.text
        return sorted(item["title"] for item in response.json()["items"])

    assert titles("source=Weekly") == ["Brave report", "Calm report"]
    assert titles("technique=Loaded_Language") == ["Brave report", "Shocking news"]
    assert titles("q=council") == ["Calm report"]
    assert titles("from=2024-02-01&to=2024-02-28") == ["Calm report"]
    assert titles("from=&to=&q=") == ["Brave report", "Calm report", "Shocking news"]
    page = client.get("/api/articles?limit=1&offset=1").json()
    assert (page["total"], len(page["items"]), page["items"][0]["title"]) == (3, 1, "Calm report")


@pytest.mark.parametrize(
    "query",
    ["technique=Lies", "from=2024-13-01", "limit=0", "limit=501", "offset=-1", "by=planet"],
)
def test_bad_filters_are_422(client: TestClient, query: str) -> None:
    path = "/api/stats" if query.startswith("by=") else "/api/articles"
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_stats(client: TestClient) -> None:
    add(client, text=TEXT, source="Daily", date="2024-01-10")
    add(
        client,
        text=CALM,
        source="Weekly",
        date="2024-01-20",
    )
    add(
        client,
        text=BRAVE,
        source="Weekly",
        date="2024-03-10",
    )

    by_technique = client.get("/api/stats?by=technique").json()
    assert by_technique["articles"] == 3
    (row,) = by_technique["rows"]
    assert {k: row[k] for k in ("key", "articles", "spans", "per_article")} == {
        "key": "Loaded_Language",
        "articles": 2,
        "spans": 3,
        "per_article": 1.0,
    }
    assert row["per_1000_words"] == pytest.approx(1000 * 3 / row["words"])
    assert row["per_article_low"] <= row["per_article"] <= row["per_article_high"]
    assert row["per_1000_words_low"] <= row["per_1000_words"] <= row["per_1000_words_high"]
    by_source = {r["key"]: r for r in client.get("/api/stats?by=source").json()["rows"]}
    assert by_source["Weekly"]["articles"] == 2
    assert by_source["Weekly"]["per_article"] == 0.5
    by_month = client.get("/api/stats?by=month&source=Weekly").json()
    assert [(r["key"], r["articles"]) for r in by_month["rows"]] == [("2024-01", 1), ("2024-03", 1)]


def test_techniques(client: TestClient) -> None:
    body = client.get("/api/techniques").json()
    assert [t["label"] for t in body] == list(TECHNIQUES)
    assert all(t["color"].startswith("#") and t["definition"] for t in body)


@pytest.mark.parametrize(
    ("fmt", "media_type", "expected"),
    [
        ("json", "application/json", '"technique": "Loaded_Language"'),
        ("ptc", "text/plain", "\tLoaded_Language\t"),
        ("html", "text/html", "<mark"),
    ],
)
def test_export(client: TestClient, fmt: str, media_type: str, expected: str) -> None:
    stored = add(client, text=TEXT)
    response = client.get(f"/api/articles/{stored['id']}/export/{fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert response.headers["content-disposition"].startswith("attachment")
    assert expected in response.text
    assert client.get(f"/api/articles/{stored['id']}/export/xml").status_code == 422


def test_failed_analysis_is_recorded_and_answered_with_json(fake_model: Model) -> None:
    class Broken:
        def detect(self, text: str, *, spans_only: bool = False) -> list[tuple[int, int, float]]:
            raise RuntimeError("tagger exploded")

    app = make_app(Model(name="broken", tagger=Broken(), classifier=fake_model.classifier))
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        response = client.post("/api/articles", json={"text": TEXT})
        [failure] = store_of(app).failures()
    assert response.status_code == 500
    assert response.json() == {"detail": "internal error (RuntimeError); see the server log"}
    assert failure.error == "RuntimeError: tagger exploded"


def test_openapi_and_offline_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/analyze", "/api/articles", "/api/articles/{article_id}", "/api/stats"} <= set(
        spec["paths"]
    )
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "cdn." not in docs.text and "/docs-static/swagger-ui-bundle.js" in docs.text
    assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
    plotly = client.get("/vendor/plotly.min.js")
    assert plotly.status_code == 200 and "plotly" in plotly.text[:2000].lower()


# --- pages --------------------------------------------------------------------------------------

INJECTED = "Breaking <script>alert('pwned')</script> news\n\nThe corrupt elites <b>lied</b>."


def test_analyse_form_stores_and_shows_highlights(client: TestClient, app: FastAPI) -> None:
    response = client.post(
        "/analyze", data={"text": TEXT, "source": "Daily"}, follow_redirects=False
    )
    assert response.status_code == 303
    article_url = response.headers["location"]
    assert store_of(app).count() == 1
    page = client.get(article_url)
    assert page.status_code == 200
    color = TECHNIQUES["Loaded_Language"].color
    assert f'data-spans="0" style="background:{color}">corrupt elites</mark>' in page.text
    assert "Content-Security-Policy" in page.headers
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_overlapping_spans_get_bands(fake_model: Model) -> None:
    model = Model(
        name="overlap",
        tagger=fake_model.tagger,
        classifier=fake_model.classifier,
        second_label_ratio=0.4,
    )
    parts = pieces(analyze(Article(id="a", text=TEXT), model))
    marked = [p for p in parts if p.spans]
    assert [p.text for p in marked] == ["corrupt elites", "brave patriots"]
    assert (
        "box-shadow:inset 0 -3px 0 " + TECHNIQUES["Name_Calling,Labeling"].color in marked[0].style
    )


def test_article_text_is_escaped_everywhere(client: TestClient) -> None:
    response = client.post(
        "/analyze", data={"text": INJECTED, "title": "<img src=x onerror=alert(1)>"}
    )
    page = response.text
    assert response.status_code == 200
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<b>lied</b>" not in page
    data = page.split('id="spans-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data
    assert json.loads(data)[0]["text"] == "corrupt elites"


def test_analyse_form_errors_keep_the_input(client: TestClient) -> None:
    neither = client.post("/analyze", data={"text": " ", "title": "Kept"})
    assert neither.status_code == 422
    assert "exactly one of them" in neither.text and 'value="Kept"' in neither.text
    bad_url = client.post("/analyze", data={"url": "https://news.example/missing"})
    assert bad_url.status_code == 422 and "answered 404" in bad_url.text
    bad_date = client.post("/analyze", data={"text": TEXT, "date": "soon"})
    assert bad_date.status_code == 422 and "is not like 2024-01-31" in bad_date.text


def test_upload_a_file(client: TestClient, app: FastAPI) -> None:
    files = {"file": ("harbour.html", PAGE.encode(), "text/html")}
    response = client.post("/analyze", files=files, data={"date": "2024-05-01"})
    assert response.status_code == 200
    [summary] = store_of(app).search()
    assert (summary.external_id, summary.title, summary.date) == (
        "harbour",
        "Harbour news",
        "2024-05-01",
    )


def test_corpus_page_lists_and_filters(client: TestClient) -> None:
    empty = client.get("/corpus")
    assert "No articles stored yet" in empty.text and "plotly" not in empty.text
    first = add(client, text=TEXT, source="Daily")
    add(client, text="Calm report\n\nThe council met.", source="Weekly")
    page = client.get("/corpus")
    assert f'href="/articles/{first["id"]}">Shocking news</a>' in page.text
    assert "Calm report" in page.text and '<script src="/vendor/plotly.min.js">' in page.text
    filtered = client.get("/corpus?source=Daily&q=&technique=&from=&to=")
    assert "Shocking news" in filtered.text and "Calm report" not in filtered.text
    assert client.get("/corpus?technique=Nope").status_code == 422


def test_delete_form_and_missing_article(client: TestClient, app: FastAPI) -> None:
    stored = add(client, text=TEXT)
    response = client.post(f"/articles/{stored['id']}/delete", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/corpus")
    assert store_of(app).count() == 0
    assert client.get(f"/articles/{stored['id']}").status_code == 404


# --- access ---------------------------------------------------------------------------------------


def test_token_protects_api_and_pages(fake_model: Model) -> None:
    app = make_app(fake_model, replace(MEMORY, token="s3cret", allowed_hosts=("*",)))
    with TestClient(app, base_url="http://news-desk.example") as client:
        denied = client.get("/api/techniques")
        assert denied.status_code == 401
        assert denied.headers["www-authenticate"] == "Bearer"
        assert client.get("/openapi.json").status_code == 401
        wrong = client.get("/api/techniques", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        ok = client.get("/api/techniques", headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200

        page = client.get("/corpus?q=x", headers={"accept": "text/html"}, follow_redirects=False)
        assert (page.status_code, page.headers["location"]) == (303, "/login?next=/corpus%3Fq%3Dx")
        assert client.get("/static/app.css").status_code == 200
        assert client.post("/login", data={"token": "guess"}).status_code == 401
        for target in ("//evil.example/", "/\t/evil.example", "https://evil.example/"):
            away = client.post(
                "/login", data={"token": "s3cret", "next": target}, follow_redirects=False
            )
            assert away.headers["location"] == "/"
        login = client.post(
            "/login", data={"token": "s3cret", "next": "/corpus?q=x"}, follow_redirects=False
        )
        assert (login.status_code, login.headers["location"]) == (303, "/corpus?q=x")
        assert "s3cret" not in login.headers["set-cookie"]
        assert COOKIE in client.cookies
        assert client.get("/corpus").status_code == 200
        assert client.get("/api/articles").status_code == 200
        client.post("/logout")
        assert client.get("/api/articles").status_code == 401


def test_host_and_origin_checks(client: TestClient) -> None:
    rebound = client.get("/api/techniques", headers={"host": "attacker.example"})
    assert rebound.status_code == 400
    cross = client.post(
        "/api/articles", json={"text": TEXT}, headers={"origin": "https://attacker.example"}
    )
    assert cross.status_code == 403
    same = client.post("/api/articles", json={"text": TEXT}, headers={"origin": BASE})
    assert same.status_code == 201


# --- command line -------------------------------------------------------------------------------


def test_serve_get_prints_one_response(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    runner = CliRunner()
    ok = runner.invoke(serve, ["--db", db, "--get", "/api/techniques"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)[0]["label"] == "Appeal_to_Authority"
    missing = runner.invoke(serve, ["--db", db, "--get", "/api/articles/7"])
    assert missing.exit_code == 1
    assert json.loads(missing.stdout) == {"detail": "no stored article with id 7"}


def test_serve_get_sends_the_token(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    result = CliRunner().invoke(
        serve, ["--db", db, "--token", "t0k-0123456789abcdef", "--get", "/api/articles"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 0


def test_serve_refuses_public_host_without_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PROPSCAN_TOKEN", raising=False)
    result = CliRunner().invoke(serve, ["--host", "0.0.0.0", "--get", "/"])
    assert result.exit_code == 2
    assert "give --token" in result.output


def test_serve_bad_database_is_exit_1(tmp_path: Path) -> None:
    result = CliRunner().invoke(serve, ["--db", "mysql://x/y", "--get", "/"])
    assert result.exit_code == 1
    assert "unsupported database" in result.output


def test_only_web_addresses_are_linked(client: TestClient, app: FastAPI) -> None:
    article = Article(id="x", text=TEXT, url="javascript:alert(1)")
    article_id = store_of(app).add(Analysis(article, ()))
    page = client.get(f"/articles/{article_id}").text
    assert 'href="javascript:' not in page and "javascript:alert(1)" in page
