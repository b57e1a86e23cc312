"""In the server, no request holds the model for long: too-long articles get 413, and a request
that cannot have the model soon gets 503 with Retry-After instead of queueing."""

from __future__ import annotations

import threading
import time

import pytest
from fastapi.testclient import TestClient

from conftest import FakeClassifier, FakeTagger
from propscan.model.bundle import Model
from propscan.server import Settings, create_app, service
from propscan.server.deps import get_model


class SlowOnLongTexts(FakeTagger):
    def detect(self, text: str, *, spans_only: bool = False) -> list[tuple[int, int, float]]:
        if len(text) > 1000:
            time.sleep(1.5)
        return super().detect(text, spans_only=spans_only)


@pytest.fixture
def client() -> TestClient:
    app = create_app(Settings(db="sqlite:///:memory:"))
    model = Model("fake", SlowOnLongTexts(["corrupt elites"]), FakeClassifier())
    app.dependency_overrides[get_model] = lambda: model
    return TestClient(app, base_url="http://127.0.0.1")


@pytest.mark.issue(10)
def test_an_article_over_the_limit_is_413(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "MAX_CHARS", 100)
    response = client.post("/api/analyze", json={"text": "corrupt elites " * 10})
    assert response.status_code == 413
    assert "propscan analyze" in response.json()["detail"]


@pytest.mark.issue(10)
def test_a_short_request_does_not_queue_behind_a_long_one(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "MODEL_WAIT", 0.2)
    long = threading.Thread(
        target=client.post, args=("/api/analyze",), kwargs={"json": {"text": "word " * 1000}}
    )
    long.start()
    time.sleep(0.3)
    began = time.monotonic()
    short = client.post("/api/articles", json={"text": "The corrupt elites."})
    waited = time.monotonic() - began
    long.join()
    assert short.status_code == 503
    assert int(short.headers["retry-after"]) >= 1
    assert waited < 1.0
    assert client.app.state.store.failures() == []  # type: ignore[attr-defined]
    assert client.post("/api/analyze", json={"text": "The corrupt elites."}).status_code == 200


class ThreadSafeSlowOnLongTexts(SlowOnLongTexts):
    thread_safe = True


class ThreadSafeClassifier(FakeClassifier):
    thread_safe = True


@pytest.mark.issue(19)
def test_with_a_thread_safe_model_short_requests_pass_a_long_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A long text waits for its own lane: a short request sent while it runs is answered at
    once instead of queueing behind it (nor told to come back)."""
    monkeypatch.setattr(service, "LONG_CHARS", 1000)
    app = create_app(Settings(db="sqlite:///:memory:"))
    model = Model("fake", ThreadSafeSlowOnLongTexts(["corrupt elites"]), ThreadSafeClassifier())
    app.dependency_overrides[get_model] = lambda: model
    client = TestClient(app, base_url="http://127.0.0.1")
    long = threading.Thread(
        target=client.post, args=("/api/analyze",), kwargs={"json": {"text": "word " * 1000}}
    )
    long.start()
    time.sleep(0.3)
    began = time.monotonic()
    short = client.post("/api/articles", json={"text": "The corrupt elites."})
    waited = time.monotonic() - began
    long.join()
    assert short.status_code == 201
    assert waited < 1.0


@pytest.mark.issue(19)
def test_lanes_serve_waiting_requests_in_arrival_order() -> None:
    lanes = service.Lanes(cores=1)
    model = Model("fake", ThreadSafeSlowOnLongTexts([]), ThreadSafeClassifier())
    lane = lanes.lane(model, 10)
    assert lane.acquire(timeout=1)
    served: list[int] = []

    def wait_then_serve(i: int) -> None:
        with lane:
            served.append(i)

    waiters = []
    for i in range(5):
        waiters.append(threading.Thread(target=wait_then_serve, args=(i,)))
        waiters[-1].start()
        time.sleep(0.05)  # each one queued before the next arrives
    lane.release()
    for waiter in waiters:
        waiter.join()
    assert served == [0, 1, 2, 3, 4]
    assert lanes.lane(model, service.LONG_CHARS + 1) is not lane
    assert lanes.lane(Model("f", FakeTagger([]), FakeClassifier()), 10) is lanes.one_at_a_time
