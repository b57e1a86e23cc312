"""The review API: spans with ids and status, accept/reject/relabel, add, mark reviewed, the
review queue and agreement statistics, and every bad input."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from propscan.model.bundle import Model
from test_api import BASE, BRAVE, TEXT, make_app

pytestmark = pytest.mark.issue(12)


@pytest.fixture
def app(fake_model: Model) -> FastAPI:
    return make_app(fake_model)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url=BASE) as test_client:
        yield test_client


def stored(client: TestClient, text: str = TEXT, **extra: str) -> dict[str, Any]:
    response = client.post("/api/articles", json={"text": text, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def spans_by_text(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["text"]: s for s in body["analysis"]["spans"]}


def test_spans_have_id_status_and_origin(client: TestClient) -> None:
    body = stored(client)
    spans = body["analysis"]["spans"]
    assert [s["status"] for s in spans] == ["predicted", "predicted"]
    assert [s["origin"] for s in spans] == ["fake", "fake"]
    assert len({s["id"] for s in spans}) == 2
    assert body["reviewed"] is None
    again = client.get(f"/api/articles/{body['id']}").json()
    assert again["analysis"]["spans"] == spans


def test_reject_relabel_add_and_mark_reviewed(client: TestClient) -> None:
    body = stored(client)
    ident = body["id"]
    by_text = spans_by_text(body)
    elites, patriots = by_text["corrupt elites"]["id"], by_text["brave patriots"]["id"]

    rejected = client.patch(
        f"/api/articles/{ident}/spans/{elites}", json={"status": "rejected", "reviewer": "ana"}
    )
    assert rejected.status_code == 200, rejected.text
    assert (rejected.json()["status"], rejected.json()["reviewer"]) == ("rejected", "ana")
    relabelled = client.patch(
        f"/api/articles/{ident}/spans/{patriots}", json={"technique": "Flag-Waving"}
    )
    assert relabelled.status_code == 200, relabelled.text
    assert relabelled.json()["status"] == "corrected"
    assert relabelled.json()["original_technique"] == "Loaded_Language"
    start = TEXT.index("betrayed")
    added = client.post(
        f"/api/articles/{ident}/spans",
        json={"start": start, "end": start + 8, "technique": "Doubt", "text": "betrayed"},
    )
    assert added.status_code == 201, added.text
    assert added.json()["status"] == "added" and added.json()["text"] == "betrayed"
    assert added.headers["location"] == f"/api/articles/{ident}/spans/{added.json()['id']}"
    overlapping = client.post(
        f"/api/articles/{ident}/spans",
        json={"start": start, "end": start + 8, "technique": "Loaded_Language"},
    )
    assert overlapping.status_code == 201

    after = client.get(f"/api/articles/{ident}").json()
    assert {s["text"]: s["status"] for s in after["analysis"]["spans"]} == {
        "corrupt elites": "rejected",
        "brave patriots": "corrected",
        "betrayed": "added",
    }
    assert len(after["analysis"]["spans"]) == 4
    assert after["analysis"]["counts"] == {"Doubt": 1, "Flag-Waving": 1, "Loaded_Language": 1}

    marked = client.post(f"/api/articles/{ident}/reviewed", json={"reviewer": "ana"})
    assert marked.status_code == 200, marked.text
    assert marked.json()["reviewed"] and marked.json()["reviewer"] == "ana"
    restored = client.patch(f"/api/articles/{ident}/spans/{elites}", json={"status": "accepted"})
    assert restored.json()["status"] == "accepted"
    assert client.post(f"/api/articles/{ident}/reviewed").status_code == 200


def test_mark_reviewed_accepts_untouched_predictions(client: TestClient) -> None:
    ident = stored(client)["id"]
    body = client.post(f"/api/articles/{ident}/reviewed").json()
    assert [s["status"] for s in body["analysis"]["spans"]] == ["accepted", "accepted"]


SPANS = "/api/articles/{a}/spans"
SPAN = SPANS + "/{s}"
DOUBT = {"technique": "Doubt"}


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "detail"),
    [
        ("patch", SPAN, {"status": "maybe"}, 422, None),
        ("patch", SPAN, {"technique": "Nonsense"}, 422, "unknown"),
        ("patch", SPAN, {}, 422, None),
        ("patch", SPAN, {"status": "accepted"} | DOUBT, 422, None),
        ("patch", SPAN, {"status": "accepted", "extra": 1}, 422, None),
        ("patch", "/api/articles/{a}/spans/999999", {"status": "accepted"}, 404, "no span"),
        ("patch", "/api/articles/999999/spans/{s}", {"status": "accepted"}, 404, "no span"),
        ("patch", "/api/articles/{a}/spans/0", {"status": "accepted"}, 422, None),
        ("patch", "/api/articles/{a}/spans/x", {"status": "accepted"}, 422, None),
        ("post", SPANS, {"start": 5, "end": 3} | DOUBT, 422, "not inside"),
        ("post", SPANS, {"start": 0, "end": 10**6} | DOUBT, 422, "not inside"),
        ("post", SPANS, {"start": -1, "end": 3} | DOUBT, 422, None),
        ("post", SPANS, {"start": 4, "end": 4} | DOUBT, 422, "not inside"),
        ("post", SPANS, {"start": 13, "end": 15} | DOUBT, 422, "white space"),
        ("post", SPANS, {"start": 0, "end": 3, "technique": "Nonsense"}, 422, "unknown"),
        ("post", SPANS, {"start": 0, "end": 3, "text": "xyz"} | DOUBT, 422, "is not"),
        ("post", SPANS, {"start": 0, "end": 3}, 422, None),
        ("post", "/api/articles/999999/spans", {"start": 0, "end": 3} | DOUBT, 404, "no stored"),
        ("post", "/api/articles/999999/reviewed", None, 404, "no stored"),
        ("post", "/api/articles/{a}/reviewed", {"who": "x"}, 422, None),
        ("get", "/api/review/next?technique=Nonsense", None, 422, "unknown technique"),
        ("get", "/api/review/next?limit=0", None, 422, None),
        ("get", "/api/review/stats?from=yesterday", None, 422, "not a date"),
    ],
)
def test_bad_review_requests_get_json_errors(
    client: TestClient,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    status: int,
    detail: str | None,
) -> None:
    article = stored(client)
    span = article["analysis"]["spans"][0]["id"]
    url = path.format(a=article["id"], s=span)
    response = client.request(method.upper(), url, json=body)
    assert response.status_code == status, response.text
    assert "detail" in response.json()
    if detail:
        assert detail in str(response.json()["detail"])
    assert client.get(f"/api/articles/{article['id']}").json() == article


def test_cross_site_review_is_refused(client: TestClient) -> None:
    article = stored(client)
    span = article["analysis"]["spans"][0]["id"]
    response = client.patch(
        f"/api/articles/{article['id']}/spans/{span}",
        json={"status": "rejected"},
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    again = client.get(f"/api/articles/{article['id']}").json()
    assert again["analysis"]["spans"][0]["status"] == "predicted"


def test_review_queue_least_sure_first_and_filters(client: TestClient, app: FastAPI) -> None:
    first = stored(client, source="Daily")
    second = stored(client, BRAVE, source="Weekly")
    store = app.state.store
    with store._engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE spans SET score = 0.1 WHERE article_id = {second['id']}")
    body = client.get("/api/review/next").json()
    assert body["total"] == 3
    top = body["items"][0]
    assert (top["article_id"], top["span"]["text"], top["source"]) == (
        second["id"],
        "brave patriots",
        "Weekly",
    )
    assert top["before"].endswith("The ") and top["after"] == " marched."
    assert client.get("/api/review/next?source=Daily").json()["total"] == 2
    assert client.get("/api/review/next?technique=Doubt").json()["total"] == 0
    assert len(client.get("/api/review/next?limit=1").json()["items"]) == 1
    client.post(f"/api/articles/{first['id']}/reviewed")
    assert client.get("/api/review/next").json()["total"] == 1


def test_review_stats(client: TestClient) -> None:
    body = stored(client)
    spans = spans_by_text(body)
    client.patch(
        f"/api/articles/{body['id']}/spans/{spans['corrupt elites']['id']}",
        json={"status": "rejected"},
    )
    client.post(f"/api/articles/{body['id']}/spans", json={"start": 0, "end": 8} | DOUBT)
    client.post(f"/api/articles/{body['id']}/reviewed")
    rows = {r["technique"]: r for r in client.get("/api/review/stats").json()}
    assert rows["Loaded_Language"] == {
        "technique": "Loaded_Language",
        "unreviewed": 0,
        "accepted": 1,
        "rejected": 1,
        "relabelled": 0,
        "added": 0,
        "precision": 0.5,
    }
    assert rows["Doubt"]["added"] == 1 and rows["Doubt"]["precision"] is None


def test_review_routes_are_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "patch" in paths["/api/articles/{article_id}/spans/{span_id}"]
    assert "post" in paths["/api/articles/{article_id}/spans"]
    assert "post" in paths["/api/articles/{article_id}/reviewed"]
    assert "get" in paths["/api/review/next"]
    assert "get" in paths["/api/review/stats"]


def test_review_queue_page(client: TestClient) -> None:
    first = stored(client, source="Daily <b>")
    page = client.get("/review")
    assert page.status_code == 200
    assert "2 predictions to check" in page.text
    assert f'href="/articles/{first["id"]}#s' in page.text
    assert "Daily &lt;b&gt;" in page.text and "Daily <b>" not in page.text
    assert "1 prediction to check" not in client.get("/review?source=Other").text
    assert "Nothing left to review with these filters" in client.get("/review?source=Other").text
    assert client.get("/review?technique=Nonsense").status_code == 422


def test_article_page_shows_the_review(client: TestClient) -> None:
    body = stored(client)
    span = body["analysis"]["spans"][0]["id"]
    client.patch(f"/api/articles/{body['id']}/spans/{span}", json={"status": "rejected"})
    page = client.get(f"/articles/{body['id']}").text
    assert "Not reviewed yet: 1 of 2 spans unchecked." in page
    assert f'data-id="{span}" data-status="rejected"' in page
    assert ">Restore</button>" in page
    client.post(f"/api/articles/{body['id']}/reviewed", json={"reviewer": "ana"})
    assert "by ana." in client.get(f"/articles/{body['id']}").text
