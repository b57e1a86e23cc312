"""Analysing an article the model was trained on says so: its results are no test (issue 18,
item 5)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from propscan import cli
from propscan.cli import common
from propscan.model.bundle import DEFAULT_MODEL_DIR, Model, read_model
from propscan.model.training_texts import fingerprint, read_training_hashes, write_training_hashes
from propscan.pipeline import analyze
from propscan.render import render
from propscan.server import Settings, create_app
from propscan.server.deps import get_model
from propscan.text.ingest import from_text

pytestmark = pytest.mark.issue(18)
SEEN = "Harbour news\n\nThe corrupt elites closed the ferry again.\n"
NEW = "Other news\n\nThe corrupt elites opened a school.\n"


@pytest.fixture
def trained(fake_model: Model, tmp_path: Path) -> Model:
    write_training_hashes(tmp_path, [SEEN])
    return replace(fake_model, training_hashes=read_training_hashes(tmp_path))


def test_fingerprints_ignore_line_breaks_bom_and_spacing() -> None:
    assert fingerprint(SEEN) == fingerprint("\ufeff" + SEEN.replace("\n", "\r\n") + "  ")
    assert fingerprint(SEEN) != fingerprint(NEW)


def test_analysis_marks_an_article_seen_in_training(trained: Model) -> None:
    seen, new = analyze(from_text(SEEN), trained), analyze(from_text(NEW), trained)
    assert seen.in_training_data and not new.in_training_data
    assert json.loads(render([seen], "json"))["in_training_data"] is True
    assert seen.at_least(0.9).in_training_data
    assert "trained on this very article" in render([seen], "text", color=False)
    assert "trained on this very article" in render([seen], "html")
    assert "trained on this very article" not in render([new], "text", color=False)


def test_the_command_line_warns(
    trained: Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "load_model", lambda model_dir=None: trained)
    (tmp_path / "seen.txt").write_text(SEEN.replace("\n", "\r\n"), encoding="utf-8")
    (tmp_path / "new.txt").write_text(NEW, encoding="utf-8")
    result = CliRunner().invoke(
        cli.main, ["analyze", str(tmp_path / "seen.txt"), str(tmp_path / "new.txt")]
    )
    assert result.exit_code == 0, result.output
    assert f"warning: {tmp_path / 'seen.txt'} is one of the articles the model was trained on" in (
        result.stderr
    )
    assert "new.txt is one of" not in result.stderr


def test_the_article_page_has_a_note(trained: Model, tmp_path: Path) -> None:
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'c.db'}"))
    app.dependency_overrides[get_model] = lambda: trained
    with TestClient(app, base_url="http://127.0.0.1") as client:
        seen = client.post("/api/articles", json={"text": SEEN}).json()["id"]
        new = client.post("/api/articles", json={"text": NEW}).json()["id"]
        assert 'id="in-training-data"' in client.get(f"/articles/{seen}").text
        assert 'id="in-training-data"' not in client.get(f"/articles/{new}").text
        assert client.post("/api/analyze", json={"text": SEEN}).json()["in_training_data"]
        assert not client.post("/api/analyze", json={"text": NEW}).json()["in_training_data"]


@pytest.mark.corpus
def test_the_bundled_model_knows_its_371_training_articles(ptc_dir: Path) -> None:
    model = read_model(DEFAULT_MODEL_DIR)
    assert len(model.training_hashes) == 371
    article = next((ptc_dir / "train-articles").glob("*.txt"))
    assert model.trained_on(article.read_text(encoding="utf-8"))
    assert not model.trained_on(SEEN)
