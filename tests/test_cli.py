"""Drive the command line like a user: inputs, formats, PTC files, exit codes."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from propscan import cli
from propscan.cli import common
from propscan.cli import evaluate as model_commands
from propscan.model import bundle
from propscan.model.bundle import Model
from propscan.model.training_texts import TRAINING_HASHES, write_training_hashes
from propscan.train.evaluation import SPLIT

TEXT = "Brave patriots rise\n\nThe corrupt elites lied. The corrupt elites always lie.\n"


@pytest.fixture
def runner(fake_model: Model, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    for module in (common, model_commands):  # analyze and ptc; evaluate --model
        monkeypatch.setattr(module, "load_model", lambda model_dir=None: fake_model)
    return CliRunner()


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article42.txt").write_text(TEXT, encoding="utf-8")
    (folder / "article7.txt").write_text("Nothing to see here.\n", encoding="utf-8")
    return folder


def test_analyze_json(runner: CliRunner, articles: Path) -> None:
    result = runner.invoke(cli.main, ["analyze", str(articles / "article42.txt"), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["id"] == "42"
    assert [s["text"] for s in data["spans"]] == ["corrupt elites", "corrupt elites"]
    assert data["counts"] == {"Loaded_Language": 2}


def test_analyze_folder_jsonl_and_literal_text(runner: CliRunner, articles: Path) -> None:
    result = runner.invoke(
        cli.main, ["analyze", str(articles), "The corrupt elites won.", "-f", "jsonl"]
    )
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["text", "42", "7"]
    assert [sum(r["counts"].values()) for r in rows] == [1, 2, 0]


def test_analyze_stdin(runner: CliRunner) -> None:
    result = runner.invoke(cli.main, ["analyze", "-", "-f", "ptc"], input=TEXT.encode())
    assert result.exit_code == 0, result.output
    assert result.stdout == "stdin\tLoaded_Language\t25\t39\nstdin\tLoaded_Language\t50\t64\n"


def test_analyze_text_view_names_techniques(runner: CliRunner, articles: Path) -> None:
    result = runner.invoke(cli.main, ["analyze", str(articles / "article42.txt")])
    assert result.exit_code == 0, result.output
    assert "Loaded language" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colour codes


def test_analyze_writes_output_file(runner: CliRunner, articles: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(
        cli.main, ["analyze", str(articles / "article42.txt"), "-f", "html", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty article"), (b"  \n ", "empty article"), (bytes(range(256)) * 20, "binary")],
)
def test_bad_files_give_one_line_and_exit_1(
    runner: CliRunner, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = runner.invoke(cli.main, ["analyze", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}: ")  # names the file, not its id
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_missing_path_and_good_file_together(runner: CliRunner, articles: Path) -> None:
    result = runner.invoke(
        cli.main, ["analyze", "nope.txt", str(articles / "article42.txt"), "-f", "jsonl"]
    )
    assert result.exit_code == 1
    assert "nope.txt: no such file or folder" in result.stderr
    assert len(result.stdout.splitlines()) == 1  # the good file is still analysed


def test_oversized_file(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 1_100_000, encoding="utf-8")
    result = runner.invoke(cli.main, ["analyze", str(path)])
    assert result.exit_code == 1
    assert "MB limit" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one line, however long


def test_non_english_warns_but_analyses(runner: CliRunner) -> None:
    text = "Les élites corrompues ont encore menti, a déclaré le maire de la ville hier soir."
    result = runner.invoke(cli.main, ["analyze", text, "-f", "jsonl"])
    assert result.exit_code == 0, result.output
    assert "looks like 'fr'" in result.stderr and "untested" in result.stderr
    assert json.loads(result.stdout)["language"] == "fr"
    assert json.loads(result.stdout)["untested_language"] is True


def test_ptc_spans_and_full(runner: CliRunner, articles: Path) -> None:
    spans = runner.invoke(cli.main, ["ptc", "spans", str(articles)])
    assert spans.exit_code == 0, spans.output
    assert spans.stdout == "42\t25\t39\n42\t50\t64\n"
    full = runner.invoke(cli.main, ["ptc", "full", str(articles)])
    assert full.stdout == "42\tLoaded_Language\t25\t39\n42\tLoaded_Language\t50\t64\n"


def test_ptc_techniques_follows_template(runner: CliRunner, articles: Path, tmp_path: Path) -> None:
    template = tmp_path / "template.out"
    template.write_text("42\t?\t25\t39\n42\t?\t25\t39\n7\t0\t7\n", encoding="utf-8")
    out = tmp_path / "tc.txt"
    result = runner.invoke(
        cli.main, ["ptc", "techniques", str(articles), str(template), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (
        "42\tLoaded_Language\t25\t39\n42\tName_Calling,Labeling\t25\t39\n7\tLoaded_Language\t0\t7\n"
    )


def test_ptc_techniques_rejects_unknown_article(
    runner: CliRunner, articles: Path, tmp_path: Path
) -> None:
    template = tmp_path / "template.out"
    template.write_text("999\t?\t1\t5\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["ptc", "techniques", str(articles), str(template)])
    assert result.exit_code == 1
    assert "articles not in" in result.stderr


def test_every_command_has_help_with_an_example() -> None:
    runner = CliRunner()
    for path in (
        ["analyze"],
        ["ptc", "spans"],
        ["ptc", "full"],
        ["ptc", "techniques"],
        ["ptc", "paragraphs"],
        ["techniques"],
        ["train"],
        ["evaluate"],
    ):
        result = runner.invoke(cli.main, [*path, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output, path


@pytest.mark.parametrize(
    "other", [["--kind", "crf-linear"], ["--taxonomy", "semeval2023"], ["--model", "."]]
)
def test_evaluate_task_tc_refuses_options_it_cannot_honour(
    tmp_path: Path, other: list[str]
) -> None:
    result = CliRunner().invoke(cli.main, ["evaluate", str(tmp_path), "--task", "tc", *other])
    assert result.exit_code != 0
    assert "--task tc cross-validates the transformer-onnx classifier" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.corpus
def test_train_and_evaluate_on_a_small_corpus(ptc_dir: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "train-articles").mkdir(parents=True)
    names = sorted(p.name for p in (ptc_dir / "train-articles").glob("*.txt"))[:6]
    ids = set()
    for name in names:
        (corpus / "train-articles" / name).write_bytes(
            (ptc_dir / "train-articles" / name).read_bytes()
        )
        ids.add(name.removeprefix("article").removesuffix(".txt"))
    lines = (ptc_dir / "train-task-flc-tc.labels").read_text(encoding="utf-8").splitlines()
    (corpus / "train-task-flc-tc.labels").write_text(
        "".join(line + "\n" for line in lines if line.split("\t")[0] in ids), encoding="utf-8"
    )
    runner = CliRunner()
    result = runner.invoke(
        cli.main, ["evaluate", str(corpus), "--kind", "crf-linear", "--folds", "2"]
    )
    assert result.exit_code == 0, result.output
    for row in (
        "SI (spans)",
        "TC (gold spans)",
        "full task",
        "F1 per fold",
        "Loaded_Language",
    ):
        assert row in result.stdout
    model_dir = tmp_path / "model"
    trained = runner.invoke(
        cli.main,
        [
            "train",
            str(corpus),
            "--kind",
            "crf-linear",
            "-o",
            str(model_dir),
            "--hold-out-fold",
            "0",
        ],
    )
    assert trained.exit_code == 0, trained.output
    manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    held_out = {"fold": 0, "folds": 5, "seed": 0, "split": SPLIT, "articles": 2}
    assert manifest["held_out"] == held_out
    assert manifest["trained_on"]["articles"] == 4
    assert len((model_dir / TRAINING_HASHES).read_text(encoding="utf-8").split()) == 4
    scored = runner.invoke(cli.main, ["evaluate", str(corpus), "--model", str(model_dir)])
    assert scored.exit_code == 0, scored.output
    assert "fold 0 of 5 (seed 0): 2 held-out articles" in scored.stdout
    assert "full task" in scored.stdout
    # a cross-validation fold's model records no seed (issue 20 session: a KeyError)
    manifest["held_out"] = {"fold": 0, "folds": 5}
    (model_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert (
        runner.invoke(cli.main, ["evaluate", str(corpus), "--model", str(model_dir)]).exit_code == 0
    )
    # a model whose training articles include the fold's (folds split another way): refused
    texts = [p.read_text(encoding="utf-8") for p in (corpus / "train-articles").glob("*.txt")]
    write_training_hashes(model_dir, texts)
    bundle._load_cached.cache_clear()
    refused = runner.invoke(cli.main, ["evaluate", str(corpus), "--model", str(model_dir)])
    assert refused.exit_code == 1 and "no held-out score can be given" in refused.stderr
    spans = runner.invoke(
        cli.main, ["ptc", "spans", str(corpus / "train-articles"), "--model", str(model_dir)]
    )
    assert spans.exit_code == 0, spans.output
    for line in spans.stdout.splitlines():
        ident, start, end = line.split("\t")
        assert ident in ids and 0 <= int(start) < int(end)


def test_evaluate_rejects_a_folder_that_is_not_a_corpus(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.main, ["evaluate", str(tmp_path)])
    assert result.exit_code == 1
    assert "should hold one '*-articles' folder" in result.stderr


def test_unknown_model_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.main, ["analyze", "some words here", "--model", str(tmp_path)])
    assert result.exit_code == 1
    assert "no model at" in result.stderr


def test_evaluate_model_needs_held_out_articles(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "train-articles").mkdir()
    (tmp_path / "train-articles" / "article1.txt").write_text("Some text.\n", encoding="utf-8")
    (tmp_path / "train-task-flc-tc.labels").write_text("1\tDoubt\t0\t4\n", encoding="utf-8")
    result = runner.invoke(cli.main, ["evaluate", str(tmp_path), "--model", str(tmp_path)])
    assert result.exit_code == 1
    assert "trained on every article" in result.stderr


def test_transformer_training_without_the_extra_says_what_to_install(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "train-articles").mkdir()
    (tmp_path / "train-articles" / "article1.txt").write_text("Some text.\n", encoding="utf-8")
    (tmp_path / "train-task-flc-tc.labels").write_text("1\tDoubt\t0\t4\n", encoding="utf-8")
    if importlib.util.find_spec("torch"):  # imported earlier, the module must still be refused
        import propscan.train.transformer  # noqa: F401
    monkeypatch.setitem(sys.modules, "propscan.train.transformer", None)  # as if torch were missing
    result = runner.invoke(
        cli.main, ["train", str(tmp_path), "--kind", "transformer-onnx", "-o", str(tmp_path / "m")]
    )
    assert result.exit_code == 1
    assert "pip install 'propscan[train]'" in result.stderr


@pytest.mark.parametrize("argument", ["", "   "])
def test_an_empty_argument_is_refused_not_read_as_the_current_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argument: str
) -> None:
    """Regression: `propscan analyze ""` analysed every file of the current folder."""
    (tmp_path / "notes.txt").write_text("The corrupt elites lied again.", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli.main, ["analyze", argument])
    assert result.exit_code == 1
    assert "empty argument" in result.stderr
    assert "notes" not in result.output
