"""Token access: strong tokens, random expiring sessions, a limit on wrong tokens."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi import FastAPI
from fastapi.testclient import TestClient

from propscan.cli.serve import serve
from propscan.corpus.store import Store
from propscan.model.bundle import Model
from propscan.server import Settings, create_app
from propscan.server.auth import COOKIE
from propscan.server.deps import get_model
from propscan.server.sessions import FailureLimit, Sessions

TOKEN = "correct-horse-battery-staple"
SETTINGS = Settings(db="sqlite:///:memory:", token=TOKEN, allowed_hosts=("*",))


def make_app(fake_model: Model, settings: Settings = SETTINGS) -> FastAPI:
    app = create_app(settings)
    app.dependency_overrides[get_model] = lambda: fake_model
    return app


def log_in(client: TestClient) -> str:
    response = client.post("/login", data={"token": TOKEN}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return client.cookies[COOKIE]


@pytest.mark.issue(10)
def test_short_tokens_are_refused_with_a_way_to_make_one() -> None:
    result = CliRunner().invoke(serve, ["--token", "a", "--get", "/"])
    assert result.exit_code == 2
    assert "at least 16 characters" in result.output
    assert "secrets.token_urlsafe" in result.output


@pytest.mark.issue(10)
def test_sessions_are_random_and_logout_revokes_them(fake_model: Model) -> None:
    app = make_app(fake_model)
    with TestClient(app) as first, TestClient(app) as second:
        cookie = log_in(first)
        assert cookie != log_in(second)
        assert first.get("/api/articles").status_code == 200
        first.post("/logout")
        stolen = {"Cookie": f"{COOKIE}={cookie}"}
        assert second.get("/api/articles", headers=stolen).status_code == 401
        assert second.get("/api/articles").status_code == 200


@pytest.mark.issue(10)
def test_sessions_expire(tmp_path: Path) -> None:
    with Store(f"sqlite:///{tmp_path / 's.db'}") as store:
        sessions = Sessions(store, seconds=0.05)
        session = sessions.open()
        assert sessions.valid(session)
        time.sleep(0.1)
        assert not sessions.valid(session)
        assert not sessions.valid("made-up") and not sessions.valid("")


@pytest.mark.issue(19)
def test_every_worker_knows_a_session_and_only_its_hash_is_stored(tmp_path: Path) -> None:
    """Two server processes on one store (``serve --workers 2``): a login in one is valid in
    the other, a logout in one ends it in both, and the store holds no session id."""
    url = f"sqlite:///{tmp_path / 's.db'}"
    with Store(url) as first_store, Store(url) as second_store:
        first, second = Sessions(first_store), Sessions(second_store)
        session = first.open()
        assert second.valid(session)
        second.close(session)
        assert not first.valid(session)
    assert session.encode() not in (tmp_path / "s.db").read_bytes()


@pytest.mark.issue(10)
def test_wrong_tokens_are_limited_per_client(fake_model: Model) -> None:
    app = make_app(fake_model)
    app.state.failures = FailureLimit(attempts=3, window=60)
    with TestClient(app) as client:
        for _ in range(3):
            assert client.post("/login", data={"token": "guess" * 4}).status_code == 401
        blocked = client.post("/login", data={"token": TOKEN})
        assert blocked.status_code == 429
        assert 1 <= int(blocked.headers["retry-after"]) <= 60
        api = client.get("/api/articles", headers={"Authorization": f"Bearer {TOKEN}"})
        assert api.status_code == 429
    app.state.failures = FailureLimit(attempts=2, window=60)
    with TestClient(app) as client:
        wrong = {"Authorization": "Bearer wrong-token-0123456789"}
        assert [client.get("/api/articles", headers=wrong).status_code for _ in range(3)] == [
            401,
            401,
            429,
        ]


@pytest.mark.issue(10)
def test_failures_are_forgotten_after_the_window() -> None:
    limit = FailureLimit(attempts=2, window=0.05)
    limit.fail("a")
    limit.fail("a")
    assert limit.wait("a") >= 1
    assert limit.wait("b") == 0
    time.sleep(0.1)
    assert limit.wait("a") == 0
