"""``propscan stats``, ``propscan export`` and analysing into a store, driven like a user."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from conftest import FakeClassifier, FakeTagger
from propscan.article import Article
from propscan.cli import corpus_run as corpus
from propscan.cli.corpus_run import analyze_corpus
from propscan.cli.export import export_command
from propscan.cli.stats import stats_command
from propscan.corpus.sources import open_source
from propscan.model.bundle import Model

ARTICLES = {
    "one.txt": "Elites out\n\nThe corrupt elites lied. The brave patriots knew it.",
    "two.txt": "Harbour\n\nThe corrupt elites closed the ferry.",
    "three.txt": "Quiet day\n\nNothing happened in the harbour today.",
    "empty.txt": "  ",
}


def fake_loader() -> Model:
    return Model("fake", FakeTagger(["corrupt elites", "brave patriots"]), FakeClassifier())


@pytest.fixture
def corpus_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A SQLite store holding the ARTICLES, analysed with the fake model."""
    monkeypatch.setattr(corpus, "model_loader", lambda _model_dir: fake_loader)
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    status = analyze_corpus([str(folder)], **_options(url))
    assert status == 1  # empty.txt could not be read; the others are stored
    return url


def _options(url: str | None, **changes: object) -> dict[str, object]:
    options: dict[str, object] = {
        "db": url,
        "workers": 1,
        "engine": "local",
        "parquet": None,
        "model_dir": None,
        "max_bytes": 1_000_000,
    }
    return options | changes


def run(command: click.Command, *args: str) -> str:
    result = CliRunner().invoke(command, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_analyze_reports_what_it_did_and_a_rerun_skips(
    capsys: pytest.CaptureFixture[str], corpus_db: str, tmp_path: Path
) -> None:
    err = capsys.readouterr().err
    assert "error: empty: " in err
    assert "stored 3, updated the metadata of 0 and skipped 0 already stored, failed 1" in err
    assert analyze_corpus([str(tmp_path / "articles")], **_options(corpus_db)) == 1
    err = capsys.readouterr().err
    assert "stored 0, updated the metadata of 0 and skipped 3 already stored, failed 1" in err


def test_stats_by_technique_as_csv(corpus_db: str) -> None:
    output = run(stats_command, "--db", corpus_db, "--by", "technique", "--format", "csv")
    header, row = output.splitlines()
    assert header == (
        "key,articles,spans,per_article,per_article_low,per_article_high,words,"
        "per_1000_words,per_1000_words_low,per_1000_words_high"
    )
    assert row.startswith("Loaded_Language,2,3,1.0000,")


def test_stats_table_with_filters(corpus_db: str) -> None:
    output = run(stats_command, "--db", corpus_db, "--by", "source", "--q", "ferry")
    assert "1 articles in" in output
    assert "(unknown)" in output and "│        1 │     1 │" in output


def test_stats_as_json_by_month(corpus_db: str) -> None:
    output = run(stats_command, "--db", corpus_db, "--by", "month", "--format", "json")
    (row,) = json.loads(output)
    assert row | {"key": "(unknown)", "articles": 3, "spans": 3, "per_article": 1.0} == row
    assert row["per_1000_words"] == pytest.approx(3000 / row["words"])
    assert row["per_1000_words_low"] <= row["per_1000_words"] <= row["per_1000_words_high"]


def test_stats_without_a_corpus_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(stats_command, ["--db", f"sqlite:///{tmp_path / 'none.db'}"])
    assert result.exit_code == 1
    assert "fill one with 'propscan analyze INPUT --db" in result.output


def test_export_jsonl_ptc_and_csv(corpus_db: str) -> None:
    lines = run(export_command, "--db", corpus_db, "--format", "jsonl").splitlines()
    records = [json.loads(line) for line in lines]
    assert sorted(r["id"] for r in records) == ["one", "three", "two"]
    assert {r["model"] for r in records} == {"fake"}
    ptc = run(export_command, "--db", corpus_db, "--format", "ptc", "--q", "patriots")
    assert ptc == "one\tLoaded_Language\t16\t30\none\tLoaded_Language\t41\t55\n"
    rows = list(csv.DictReader(io.StringIO(run(export_command, "--db", corpus_db, "-f", "csv"))))
    assert [(r["id"], r["spans"], r["Loaded_Language"], r["Slogans"]) for r in rows] == [
        ("one", "2", "2", "0"),
        ("three", "0", "0", "0"),
        ("two", "1", "1", "0"),
    ]


def test_export_parquet_reads_back_as_an_input(corpus_db: str, tmp_path: Path) -> None:
    out = tmp_path / "corpus.parquet"
    run(export_command, "--db", corpus_db, "--format", "parquet", "-o", str(out))
    assert pq.read_table(out).num_rows == 3
    articles = [item for item in open_source(out) if isinstance(item, Article)]
    assert sorted(a.id for a in articles) == ["one", "three", "two"]


def test_export_parquet_needs_a_file(corpus_db: str) -> None:
    result = CliRunner().invoke(export_command, ["--db", corpus_db, "--format", "parquet"])
    assert result.exit_code == 2
    assert "--format parquet needs -o FILE" in result.output


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"parquet": Path("x.parquet")}, "--parquet needs --engine ray"),
        ({"engine": "ray", "db": None}, "--engine ray needs --db URL"),
    ],
)
def test_analyze_usage_errors(changes: dict[str, object], message: str) -> None:
    with pytest.raises(click.UsageError, match=message):
        analyze_corpus(["."], **_options("sqlite:///:memory:", **changes))  # type: ignore[arg-type]


def test_analyze_missing_input_and_bad_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert analyze_corpus([str(tmp_path / "nope")], **_options("sqlite:///:memory:")) == 1
    assert "no such file or folder" in capsys.readouterr().err
    assert analyze_corpus([str(tmp_path)], **_options("mysql://x/y")) == 1
    assert "unsupported database 'mysql'" in capsys.readouterr().err


@pytest.mark.issue(11)
def test_stats_table_names_techniques_and_keeps_a_long_url_on_one_line(
    corpus_db: str, tmp_path: Path
) -> None:
    long_db = tmp_path / ("a-rather-long-folder-name-" * 4) / "corpus.db"
    long_db.parent.mkdir()
    Path(corpus_db.removeprefix("sqlite:///")).rename(long_db)
    result = CliRunner().invoke(stats_command, ["--db", f"sqlite:///{long_db}"], terminal_width=80)
    assert result.exit_code == 0, result.output
    assert f"3 articles in sqlite:///{long_db}\n" in result.output
    assert "Loaded language" in result.output and "Loaded_Language" not in result.output


@pytest.mark.issue(20)
def test_jsonl_spans_carry_review_status_and_origin(corpus_db: str) -> None:
    from propscan.corpus.store import Store

    with Store(corpus_db) as store:
        (one,) = [s for s in store.iter_articles() if s.analysis.article.id == "one"]
        first, second = one.spans
        store.review_span(one.id, first.id, verdict="accepted", reviewer="ann")
        store.review_span(one.id, second.id, verdict="rejected", reviewer="ann")
        store.add_span(one.id, 0, 5, "Slogans", reviewer="ann")
    lines = run(export_command, "--db", corpus_db, "--format", "jsonl", "--q", "patriots")
    (record,) = [json.loads(line) for line in lines.splitlines()]
    spans = [(s["start"], s["technique"], s["status"], s["origin"]) for s in record["spans"]]
    assert spans == [(0, "Slogans", "added", "added"), (16, "Loaded_Language", "accepted", "fake")]
    assert record["spans"][1]["text"] == record["text"][16:30]


@pytest.mark.issue(23)
@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_span_rows_carry_article_metadata_and_review(
    corpus_db: str, tmp_path: Path, fmt: str
) -> None:
    from propscan.corpus.store import Store

    with Store(corpus_db) as store:
        (one,) = [s for s in store.iter_articles() if s.analysis.article.id == "one"]
        store.review_span(one.id, one.spans[1].id, verdict="rejected", reviewer="ann")
        store.add_span(one.id, 0, 5, "Slogans", reviewer="ann")
    out = tmp_path / f"spans.{fmt}"
    run(export_command, "--db", corpus_db, "-f", fmt, "--rows", "span", "-o", str(out))
    if fmt == "csv":
        rows = list(csv.DictReader(out.open(encoding="utf-8")))
    else:
        rows = [{k: str(v) for k, v in r.items()} for r in pq.read_table(out).to_pylist()]
    mine = [r for r in rows if r["external_id"] == "one"]
    assert [(r["start"], r["technique"], r["status"], r["origin"]) for r in mine] == [
        ("0", "Slogans", "added", "added"),
        ("16", "Loaded_Language", "predicted", "fake"),
    ]
    assert mine[1]["text"] == "corrupt elites" and mine[1]["title"] == "Elites out"
    assert {r["external_id"] for r in rows} == {"one", "two"}  # three has no span
    assert mine[1]["category"] == "Manipulative wording"


def test_span_rows_need_a_table_format(corpus_db: str) -> None:
    result = CliRunner().invoke(
        export_command, ["--db", corpus_db, "-f", "jsonl", "--rows", "span"]
    )
    assert result.exit_code == 2 and "--rows span is for --format csv or parquet" in result.output
