"""Voices, targets and entities in the corpus store (issue 22, items 1 and 4): stored and read
back, counted by voice, speaker, target and entity, served by the API, and stores made by
earlier versions migrated."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

pytest.importorskip("spacy")
pytest.importorskip("textacy")

from conftest import FakeClassifier, FakeTagger, undo_later_migrations
from propscan.article import Analysis, Article
from propscan.attribute import attribute
from propscan.corpus.store import Store
from propscan.model.bundle import Model
from propscan.pipeline import analyze
from test_attribution import TEXT

MODEL = Model("fake", FakeTagger(["these thugs", "a corrupt liar"]), FakeClassifier())


def attributed(ident: str = "a", more: str = "") -> Analysis:
    return attribute(analyze(Article(ident, TEXT + more), MODEL))


@pytest.mark.issue(22)
def test_voices_targets_and_entities_are_stored_and_read_back(store_url: str) -> None:
    analysis = attributed()
    with Store(store_url) as store:
        stored = store.get(store.add(analysis))
    assert stored is not None
    assert [(s.voice, s.speaker, s.target) for s in stored.analysis.spans] == [
        (s.voice, s.speaker, s.target) for s in analysis.spans
    ]
    assert stored.analysis.entities == analysis.entities


@pytest.mark.issue(22)
def test_stats_by_voice_speaker_target_and_entity(store_url: str) -> None:
    with Store(store_url) as store:
        store.add(attributed("a"))
        store.add(analyze(Article("b", "He is a corrupt liar, they said again."), MODEL))
        voices = {row.key: row.spans for row in store.stats("voice")}
        assert voices == {"author": 1, "quoted": 1, "(not attributed)": 1}
        assert {row.key for row in store.stats("speaker")} == {"John Carter"}
        assert "Mark Ellis" in {row.key for row in store.stats("target")}
        ellis = next(row for row in store.entity_stats() if row.name == "Mark Ellis")
        assert ellis.articles == 1 and ellis.techniques == {"Loaded_Language": 1}
        assert sum(ellis.roles.values()) == 1


@pytest.mark.issue(22)
def test_a_store_of_an_earlier_version_is_migrated(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Store(url) as opened:
        opened.add(analyze(Article("old", TEXT), MODEL))
    with sqlite3.connect(tmp_path / "old.db") as old:  # as propscan 0.2.1 before this left it
        old.execute("UPDATE alembic_version SET version_num = '0005'")
        undo_later_migrations(old)
    with Store(url) as opened:
        assert {row.key for row in opened.stats("voice")} == {"(not attributed)"}
        opened.add(attributed("new", "\n\nA later paragraph."))
        assert any(row.name == "Mark Ellis" for row in opened.entity_stats())


@pytest.mark.issue(22)
def test_api_stores_with_entities_and_lists_entities(tmp_path: Path) -> None:
    from propscan.server import Settings, create_app
    from propscan.server.deps import get_model

    app = create_app(Settings(db=f"sqlite:///{tmp_path / 's.db'}"))
    app.dependency_overrides[get_model] = lambda: MODEL
    client = TestClient(app, base_url="http://127.0.0.1")
    assert client.post("/api/articles?entities=true", json={"text": TEXT}).status_code == 201
    listed = client.get("/api/entities")
    assert listed.status_code == 200, listed.text
    ellis = next(row for row in listed.json() if row["name"] == "Mark Ellis")
    assert ellis["type"] == "person" and ellis["techniques"] == {"Loaded_Language": 1}
    stats = client.get("/api/stats", params={"by": "voice"}).json()
    assert {row["key"] for row in stats["rows"]} == {"author", "quoted"}


@pytest.mark.issue(22)
def test_cli_stores_with_entities_and_counts_by_entity(tmp_path: Path) -> None:
    from propscan.cli import main

    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "one.txt").write_text(TEXT, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    stored = runner.invoke(
        main, ["analyze", str(tmp_path / "news"), "--db", db, "--entities", "--workers", "1"]
    )
    assert stored.exit_code == 0, stored.output
    out = runner.invoke(main, ["stats", "--db", db, "--by", "entity", "--format", "json"])
    assert out.exit_code == 0, out.output
    names = {row["name"] for row in json.loads(out.stdout)}
    assert {"John Carter", "Mark Ellis"} <= names
    refused = runner.invoke(main, ["analyze", TEXT, "--db", db, "--voice", "author"])
    assert refused.exit_code == 2 and "--voice" in refused.output
