"""``--min-confidence`` on ``analyze`` and ``min_confidence`` on the API drop unsure spans."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import FakeClassifier
from propscan import cli
from propscan.cli import common
from propscan.model import DetectedSpan
from propscan.model.bundle import Model
from propscan.server import Settings, create_app
from propscan.server.deps import get_model

TEXT = "Shocking news\n\nThe corrupt elites betrayed the brave patriots again."


class SureAndUnsure:
    """'corrupt elites' with confidence 0.9, 'brave patriots' with 0.3."""

    def detect(self, text: str, *, spans_only: bool = False) -> list[DetectedSpan]:
        found = [
            (text.find(p), len(p), c) for p, c in (("corrupt elites", 0.9), ("brave patriots", 0.3))
        ]
        return [(start, start + size, c) for start, size, c in found if start >= 0]


@pytest.fixture
def model() -> Model:
    return Model(name="mixed", tagger=SureAndUnsure(), classifier=FakeClassifier())


@pytest.fixture
def client(model: Model) -> Iterator[TestClient]:
    app = create_app(Settings(db="sqlite:///:memory:"))
    app.dependency_overrides[get_model] = lambda: model
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.mark.issue(11)
def test_analyze_min_confidence_drops_unsure_spans(
    model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "load_model", lambda model_dir=None: model)
    runner = CliRunner()
    every = runner.invoke(cli.main, ["analyze", "-", "-f", "json"], input=TEXT.encode())
    sure = runner.invoke(
        cli.main, ["analyze", "-", "-f", "json", "--min-confidence", "0.4"], input=TEXT.encode()
    )
    assert every.exit_code == 0 and sure.exit_code == 0, sure.output
    assert [s["text"] for s in json.loads(every.stdout)["spans"]] == [
        "corrupt elites",
        "brave patriots",
    ]
    assert [s["text"] for s in json.loads(sure.stdout)["spans"]] == ["corrupt elites"]


@pytest.mark.issue(11)
def test_api_min_confidence_drops_unsure_spans(client: TestClient) -> None:
    response = client.post("/api/analyze?min_confidence=0.4", json={"text": TEXT})
    assert response.status_code == 200, response.text
    assert [s["text"] for s in response.json()["spans"]] == ["corrupt elites"]
    stored = client.post("/api/articles", json={"text": TEXT}).json()
    found = client.get(f"/api/articles/{stored['id']}?min_confidence=0.4").json()
    assert [s["text"] for s in found["analysis"]["spans"]] == ["corrupt elites"]
    assert len(client.get(f"/api/articles/{stored['id']}").json()["analysis"]["spans"]) == 2
    assert client.post("/api/analyze?min_confidence=2", json={"text": TEXT}).status_code == 422
