"""Bad input is a 4xx JSON error, never a 500; every response has the security headers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from propscan.model.bundle import Model
from propscan.server import Settings, create_app
from propscan.server.deps import get_model

TEXT = "Shocking news\n\nThe corrupt elites betrayed the brave patriots again."
HUGE = 2**63


@pytest.fixture
def app(fake_model: Model) -> FastAPI:
    app = create_app(Settings(db="sqlite:///:memory:", max_bytes=10_000))
    app.dependency_overrides[get_model] = lambda: fake_model
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        yield client


def raw_json(text: str) -> dict[str, object]:
    """A JSON body as written by hand, so that it can hold a lone surrogate escape."""
    return {"content": text.encode(), "headers": {"content-type": "application/json"}}


@pytest.mark.issue(10)
@pytest.mark.parametrize("field", ["text", "html", "url", "title", "source"])
def test_a_lone_surrogate_is_422(client: TestClient, field: str) -> None:
    body = (
        '{"text": "a \\ud800 b"}' if field == "text" else f'{{"text": "x", "{field}": "\\ud800"}}'
    )
    for path in ("/api/analyze", "/api/articles"):
        response = client.post(path, **raw_json(body))  # type: ignore[arg-type]
        assert response.status_code == 422, response.text
        assert response.json()["detail"][0]["loc"] == ["body", field]


@pytest.mark.issue(10)
def test_a_lone_surrogate_in_an_unknown_field_is_422(client: TestClient) -> None:
    response = client.post("/api/analyze", **raw_json('{"text": "x", "\\udc80": 1}'))  # type: ignore[arg-type]
    assert response.status_code == 422
    assert response.json()["detail"][0]["input"] == "\\udc80"


@pytest.mark.issue(10)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/articles/{HUGE}"),
        ("GET", f"/api/articles/{2**31}"),
        ("GET", f"/api/articles/{HUGE}/export/json"),
        ("DELETE", f"/api/articles/{HUGE}"),
        ("GET", f"/api/articles?offset={HUGE}"),
        ("GET", f"/api/articles?offset={2**31}"),
        ("GET", f"/corpus?page={HUGE}"),
        ("GET", f"/corpus?page={2**31}"),
        ("GET", f"/articles/{HUGE}"),
        ("POST", f"/articles/{HUGE}/delete"),
    ],
)
def test_huge_ids_and_offsets_are_422(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/json"


@pytest.mark.issue(10)
def test_the_store_has_no_article_beyond_the_largest_id(app: FastAPI) -> None:
    store = app.state.store
    assert store.get(HUGE) is None
    assert store.delete(HUGE) is False


@pytest.mark.issue(10)
def test_the_connection_is_kept_after_bad_input(client: TestClient) -> None:
    for _ in range(2):
        assert client.get(f"/api/articles/{HUGE}").status_code == 422
        assert client.get("/api/techniques").status_code == 200


@pytest.mark.issue(10)
def test_the_spec_documents_errors_and_one_input(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    article = spec["components"]["schemas"]["ArticleInput"]
    assert article["oneOf"] == [
        {"required": ["text"]},
        {"required": ["url"]},
        {"required": ["html"]},
    ]
    analyze = spec["paths"]["/api/analyze"]["post"]["responses"]
    assert {"400", "413", "422"} <= set(analyze)
    schema = analyze["422"]["content"]["application/json"]["schema"]["$ref"]
    assert schema.endswith("/ValidationErrorOut")
    assert client.post("/api/analyze", json={"text": TEXT, "url": None}).status_code == 422
    unparsable = client.post(
        "/api/analyze", content=b'{"text": "\xff"}', headers={"content-type": "application/json"}
    )
    assert unparsable.status_code == 400


# --- headers ------------------------------------------------------------------------------------


def assert_safe(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"


@pytest.mark.issue(10)
def test_every_response_has_the_security_headers(fake_model: Model) -> None:
    app = create_app(
        Settings(db="sqlite:///:memory:", max_bytes=1000, token="t" * 20, allowed_hosts=("*",))
    )
    app.dependency_overrides[get_model] = lambda: fake_model

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    auth = {"Authorization": "Bearer " + "t" * 20}
    with TestClient(app, raise_server_exceptions=False) as client:
        responses = {
            "docs": client.get("/docs", headers=auth),
            "redoc": client.get("/redoc", headers=auth),
            "401": client.get("/api/techniques"),
            "413": client.post("/api/analyze", json={"text": "x" * 2000}, headers=auth),
            "422": client.get(f"/api/articles/{HUGE}", headers=auth),
            "500": client.get("/boom", headers=auth),
            "login": client.get("/login"),
        }
    assert [r.status_code for r in responses.values()] == [200, 200, 401, 413, 422, 500, 200]
    for response in responses.values():
        assert_safe(response)
