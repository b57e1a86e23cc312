"""Importing an article again with new metadata updates the stored copy, and says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from propscan import cli
from propscan.cli import corpus_run as corpus
from propscan.corpus.store import Store
from propscan.model.bundle import Model

TEXT = "Harbour news\n\nThe corrupt elites closed the ferry."


def _feed(path: Path, **metadata: str) -> None:
    record = {"id": "h1", "text": TEXT, **metadata}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")


@pytest.mark.issue(11)
def test_new_metadata_of_a_stored_article_is_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_model: Model
) -> None:
    monkeypatch.setattr(corpus, "model_loader", lambda _model_dir: lambda: fake_model)
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    feed = tmp_path / "feed.jsonl"
    runner = CliRunner()
    args = ["analyze", str(feed), "--db", url, "--workers", "1"]
    _feed(feed)
    assert runner.invoke(cli.main, args).exit_code == 0
    _feed(feed, source="Harbour Herald", date="2024-05-01")
    again = runner.invoke(cli.main, args)
    assert again.exit_code == 0, again.output
    assert "updated the metadata of 1 and skipped 0 already stored" in again.stderr
    with Store(url) as store:
        (stored,) = store.iter_articles()
    assert (stored.analysis.article.source, stored.analysis.article.date) == (
        "Harbour Herald",
        "2024-05-01",
    )
    unchanged = runner.invoke(cli.main, args)
    assert "updated the metadata of 0 and skipped 1 already stored" in unchanged.stderr
