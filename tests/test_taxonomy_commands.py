"""Choosing a taxonomy: ``propscan techniques``, ``GET /api/techniques`` and the paragraph file
of ``propscan ptc paragraphs`` (subtask 3 of SemEval-2023 Task 3)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from propscan import cli
from propscan.cli import common
from propscan.model.bundle import Model
from propscan.server import Settings, create_app
from propscan.techniques import CATEGORIES, SEMEVAL2023, TECHNIQUES

pytestmark = pytest.mark.issue(13)


@pytest.fixture
def runner(fake_model: Model, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(common, "load_model", lambda model_dir=None: fake_model)
    return CliRunner()


@pytest.fixture
def client() -> Iterator[TestClient]:
    app = create_app(Settings(db="sqlite:///:memory:", max_bytes=100_000))
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def _listing(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli.main, ["techniques", *args], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_techniques_lists_ptc2020_by_default(runner: CliRunner) -> None:
    listing = _listing(runner)
    assert listing == _listing(runner, "--taxonomy", "ptc2020")
    assert all(label in listing for label in TECHNIQUES)
    assert "False_Dilemma-No_Choice" not in listing


def test_techniques_lists_semeval2023_by_category(runner: CliRunner) -> None:
    listing = _listing(runner, "--taxonomy", "semeval2023")
    positions = [listing.index(f"{c.name}: {c.description}") for c in CATEGORIES]
    assert positions == sorted(positions)
    for technique in SEMEVAL2023.techniques.values():
        at = listing.index(f" {technique.label} ")
        category = max(p for p in positions if p < at)
        assert CATEGORIES[positions.index(category)].name == technique.category
    assert "Black-and-White_Fallacy" in listing  # the PTC class of False_Dilemma-No_Choice
    assert "(none)" in listing  # Obfuscation-Vagueness-Confusion has no PTC class


def test_techniques_refuses_an_unknown_taxonomy(runner: CliRunner) -> None:
    result = runner.invoke(cli.main, ["techniques", "--taxonomy", "semeval2021"])
    assert result.exit_code == 2
    assert "ptc2020" in result.output


def test_api_techniques_by_taxonomy(client: TestClient) -> None:
    default = client.get("/api/techniques").json()
    assert default == client.get("/api/techniques?taxonomy=ptc2020").json()
    assert [t["label"] for t in default] == list(TECHNIQUES)
    assert all(t["category"] is None for t in default)
    body = client.get("/api/techniques?taxonomy=semeval2023").json()
    assert [t["label"] for t in body] == list(SEMEVAL2023.labels)
    assert [t["category"] for t in body] == [t.category for t in SEMEVAL2023.techniques.values()]
    assert set(body[0]) == {"label", "name", "definition", "color", "category"}
    assert client.get("/api/techniques?taxonomy=nope").status_code == 422


def test_api_techniques_taxonomy_is_documented(client: TestClient) -> None:
    operation = client.get("/openapi.json").json()["paths"]["/api/techniques"]["get"]
    (parameter,) = operation["parameters"]
    assert parameter["name"] == "taxonomy"
    assert parameter["schema"]["enum"] == ["ptc2020", "semeval2023"]
    assert parameter["schema"]["default"] == "ptc2020"
    assert "semeval2023" in parameter["description"]


def test_ptc_paragraphs_writes_the_subtask3_format(runner: CliRunner, tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    text = "Shocking news\n\nThe corrupt elites betrayed the brave patriots.\n \nThe end."
    (articles / "article42.txt").write_text(text, encoding="utf-8")
    (articles / "article7.txt").write_text("Nothing to see here.\n", encoding="utf-8")
    out = tmp_path / "paragraphs.txt"
    result = runner.invoke(cli.main, ["ptc", "paragraphs", str(articles), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == ("42\t1\t\n42\t3\tLoaded_Language\n42\t5\t\n7\t1\t\n")
