"""Several server processes on one port (issue 19, item 3): the settings travel to each worker
through the environment, each worker gets its share of the cores, and an in-memory store
(which workers could not share) is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from propscan.cli.serve import serve
from propscan.server import Settings, service
from propscan.server.workers import (
    SETTINGS_VARIABLE,
    app_from_environment,
    lanes_of,
    settings_json,
)


@pytest.mark.issue(19)
def test_a_worker_app_is_made_from_the_settings_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(
        db=f"sqlite:///{tmp_path / 's.db'}", token="a-long-enough-token-1234", model_dir=None
    )
    monkeypatch.setenv(SETTINGS_VARIABLE, settings_json(settings, lanes=1))
    monkeypatch.setattr(service, "_LANES", service._LANES)  # restored afterwards
    app = app_from_environment()
    assert app.state.settings == settings
    assert service._LANES.short._value == 1  # type: ignore[attr-defined]
    with TestClient(app, base_url="http://127.0.0.1") as client:
        assert client.get("/api/techniques").status_code == 401
        headers = {"Authorization": "Bearer a-long-enough-token-1234"}
        assert client.get("/api/techniques", headers=headers).status_code == 200


@pytest.mark.issue(19)
def test_workers_share_out_the_cores() -> None:
    assert lanes_of(1) >= 1 and lanes_of(1000) == 1


@pytest.mark.issue(19)
def test_workers_refuse_an_in_memory_store() -> None:
    result = CliRunner().invoke(serve, ["--db", "sqlite:///:memory:", "--workers", "2"])
    assert result.exit_code == 2 and "in memory" in result.output
