"""The corpus lives in the user's data folder by default; read-only commands create none."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from propscan import cli
from propscan.model import bundle
from propscan.model.bundle import Model


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_model: Model) -> Path:
    """A fresh data folder, and a working folder that is not it; returns the data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("PROPSCAN_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(bundle, "load_model", lambda model_dir=None: fake_model)
    return tmp_path / "data" / "propscan"


@pytest.mark.issue(11)
def test_read_only_commands_create_no_database(elsewhere: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    stats = runner.invoke(cli.main, ["stats"])
    assert stats.exit_code == 1
    assert f"no corpus at {elsewhere / 'propscan.db'}" in stats.stderr
    served = runner.invoke(cli.main, ["serve", "--get", "/api/stats"])
    assert served.exit_code == 0, served.output
    assert f"no corpus at {elsewhere / 'propscan.db'} yet" in served.stderr
    assert not list(tmp_path.rglob("*.db"))


@pytest.mark.issue(11)
def test_help_says_where_the_database_is(elsewhere: Path) -> None:
    for command in ("serve", "stats", "export"):
        shown = CliRunner().invoke(cli.main, [command, "--help"], terminal_width=400).output
        assert str(elsewhere / "propscan.db") in " ".join(shown.split()), command


@pytest.mark.issue(11)
def test_web_app_stores_in_the_data_folder_by_default(elsewhere: Path, tmp_path: Path) -> None:
    from propscan.server import Settings, create_app

    app = create_app(Settings())
    assert app.state.store.url == f"sqlite:///{elsewhere / 'propscan.db'}"
    assert (elsewhere / "propscan.db").exists()
    assert not (tmp_path / "propscan.db").exists()
