"""What ``propscan analyze`` takes as articles, and what it says about doubtful ones."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from propscan import cli
from propscan.cli import common
from propscan.cli import corpus_run as corpus
from propscan.model.bundle import Model

TEXT = "Brave patriots rise\n\nThe corrupt elites lied. The corrupt elites always lie.\n"


@pytest.fixture
def runner(fake_model: Model, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(common, "load_model", lambda model_dir=None: fake_model)
    monkeypatch.setattr(corpus, "model_loader", lambda _model_dir: lambda: fake_model)
    return CliRunner()


def _ids(stdout: str) -> list[str]:
    return [json.loads(line)["id"] for line in stdout.splitlines()]


@pytest.mark.issue(11)
def test_bomless_utf16_is_read_as_text_with_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(TEXT.encode("utf-16-le"))
    result = runner.invoke(cli.main, ["analyze", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["text"] == TEXT
    assert f"warning: {path}: read as UTF-16LE without a byte-order mark" in result.stderr


@pytest.mark.issue(11)
def test_latin1_french_and_english_reads_right(runner: CliRunner, tmp_path: Path) -> None:
    text = "Summit à Bruxelles\n\nA naïve façade. Déjà vu: the corrupt elites lied.\n"
    path = tmp_path / "brussels.txt"
    path.write_bytes(text.encode("latin-1"))
    result = runner.invoke(cli.main, ["analyze", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["text"] == text
    assert "warning" not in result.stderr


@pytest.mark.issue(11)
def test_folder_takes_txt_and_html_in_subfolders_only(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "news" / "2024").mkdir(parents=True)
    (tmp_path / "news" / ".git").mkdir()
    (tmp_path / "news" / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "news" / "2024" / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "news" / "README.md").write_text("# Notes\n\nNot an article.\n", encoding="utf-8")
    (tmp_path / "news" / ".git" / "HEAD").write_text("ref: main\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["analyze", str(tmp_path / "news"), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert _ids(result.stdout) == [
        "2024/b",
        "a",
    ]  # ids from the path below the folder (issue 20, item 11)
    assert "skipped" in result.stderr and "README.md: not a .txt or .html article" in result.stderr
    assert "HEAD" not in result.stderr


@pytest.mark.issue(11)
@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_feeds_are_read_record_by_record_without_db(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    path = tmp_path / f"feed{suffix}"
    if suffix == ".jsonl":
        lines = [{"id": "r1", "text": TEXT}, {"id": "r2", "text": "The corrupt elites again."}]
        path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    else:
        path.write_text(f'id,text\nr1,"{TEXT}"\nr2,The corrupt elites again.\n', encoding="utf-8")
    result = runner.invoke(cli.main, ["analyze", str(path), "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert _ids(result.stdout) == ["r1", "r2"]


@pytest.mark.issue(11)
@pytest.mark.parametrize("with_db", [False, True])
def test_record_errors_name_the_line_once(runner: CliRunner, tmp_path: Path, with_db: bool) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"text": TEXT}) + "\n" + json.dumps({"url": "https://example.org/a"}) + "\n",
        encoding="utf-8",
    )
    db = ["--db", f"sqlite:///{tmp_path / 'c.db'}", "--workers", "1"] if with_db else []
    result = runner.invoke(cli.main, ["analyze", str(path), "-f", "jsonl", *db])
    assert result.exit_code == 1
    assert "error: feed:2: no 'text' or 'html' field" in result.stderr
    assert "'url' alone is not fetched" in result.stderr
    assert "feed:2: feed:2" not in result.stderr


@pytest.mark.issue(11)
@pytest.mark.parametrize("with_db", [False, True])
def test_empty_folder_is_an_error(runner: CliRunner, tmp_path: Path, with_db: bool) -> None:
    (tmp_path / "empty").mkdir()
    db = ["--db", f"sqlite:///{tmp_path / 'c.db'}", "--workers", "1"] if with_db else []
    result = runner.invoke(cli.main, ["analyze", str(tmp_path / "empty"), *db])
    assert result.exit_code == 1
    assert "no .txt or .html article in this folder or its subfolders" in result.stderr


@pytest.mark.issue(20)
@pytest.mark.parametrize("with_db", [False, True])
def test_same_named_files_of_two_subfolders_keep_apart_ids(
    runner: CliRunner, tmp_path: Path, with_db: bool
) -> None:
    for sub, words in (("x", "The corrupt elites lied."), ("y", "Brave patriots rise.")):
        (tmp_path / "coll" / sub).mkdir(parents=True)
        (tmp_path / "coll" / sub / "article.txt").write_text(f"Title {sub}\n\n{words}\n", "utf-8")
    (tmp_path / "coll" / "article7.txt").write_text("Top\n\nThe corrupt elites.\n", "utf-8")
    url = f"sqlite:///{tmp_path / 'c.db'}"
    db = ["--db", url, "--workers", "1"] if with_db else ["-f", "jsonl"]
    result = runner.invoke(cli.main, ["analyze", str(tmp_path / "coll"), *db])
    assert result.exit_code == 0, result.output
    if with_db:
        from propscan.corpus.store import Store

        with Store(url) as store:
            ids = sorted(s.analysis.article.id for s in store.iter_articles())
    else:
        ids = sorted(_ids(result.stdout))
    assert ids == ["7", "x/article", "y/article"]


@pytest.mark.issue(20)
@pytest.mark.parametrize("with_db", [False, True])
def test_a_quoted_sentence_is_analysed_with_or_without_a_store(
    runner: CliRunner, tmp_path: Path, with_db: bool
) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'c.db'}", "--workers", "1"] if with_db else []
    result = runner.invoke(cli.main, ["analyze", "They are traitors.", *db])
    assert result.exit_code == 0, result.output
    assert "no such file" not in result.output
    if with_db:
        assert "stored 1," in result.stderr


@pytest.mark.issue(20)
def test_the_english_warning_names_the_input_by_its_path(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "fr.txt").write_text(
        "Le gouvernement a annoncé des mesures pour les familles et les entreprises de la région.",
        encoding="utf-8",
    )
    result = runner.invoke(cli.main, ["analyze", str(folder)])
    assert f"warning: {folder / 'fr.txt'}: the text looks like 'fr'" in result.stderr


def test_a_text_too_long_for_a_file_name_is_analysed_not_a_traceback() -> None:
    """Regression (issue 22 session): a quoted text of over 255 bytes raised OSError
    'File name too long' while propscan checked whether it named a file."""
    from click.testing import CliRunner

    from propscan.cli import main

    text = "They are traitors, and everyone knows it. " * 10
    result = CliRunner().invoke(main, ["analyze", text, "-f", "json"])
    assert result.exit_code == 0, result.output
    assert result.exception is None
