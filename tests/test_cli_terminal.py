"""The text view as a user sees it: colour in a terminal, short tags, control characters shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from propscan import cli
from propscan.cli import common
from propscan.model.bundle import Model
from propscan.render.visible import visible
from propscan.techniques import TECHNIQUES
from terminal import run_in_terminal

TEXT = "Brave patriots rise\n\nThe corrupt elites lied. The corrupt elites always lie.\n"


@pytest.fixture
def runner(fake_model: Model, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(common, "load_model", lambda model_dir=None: fake_model)
    return CliRunner()


def _background(label: str) -> str:
    red, green, blue = (int(TECHNIQUES[label].color[i : i + 2], 16) for i in (1, 3, 5))
    return f"48;2;{red};{green};{blue}m"


@pytest.mark.issue(11)
def test_text_view_is_highlighted_in_a_terminal(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    status, out = run_in_terminal(["analyze", str(article)])
    assert status == 0, out
    assert _background("Loaded_Language") in out
    assert "[1 LOADED]" in out


def test_no_colour_in_a_terminal_with_no_color_or_into_a_file(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    status, out = run_in_terminal(["analyze", str(article)], env={"NO_COLOR": "1"})
    assert status == 0 and "corrupt elites" in out
    assert _background("Loaded_Language") not in out
    report = tmp_path / "report.txt"
    status, _ = run_in_terminal(["analyze", str(article), "-o", str(report)])
    assert status == 0
    assert "\x1b" not in report.read_text(encoding="utf-8")


@pytest.mark.issue(11)
def test_text_view_reads_without_colour(runner: CliRunner) -> None:
    result = runner.invoke(cli.main, ["analyze", "-"], input=TEXT.encode())
    assert result.exit_code == 0, result.output
    assert "The [1>corrupt elites[1 LOADED] lied." in result.stdout
    assert '[1 LOADED] Loaded language (54%): "corrupt elites"' in result.stdout


@pytest.mark.issue(10)
def test_terminal_escapes_in_an_article_are_shown_not_obeyed(tmp_path: Path) -> None:
    hostile = (
        "\x1b]0;pwned\x07Title \x1b[31mred\x1b[0m\n\n"
        "Click \x1b]8;;https://evil.example/\x1b\\here\x1b]8;;\x1b\\ now. "
        "The corrupt elites \u202eeil\x9b2J lied.\n"
    )
    article = tmp_path / "article.txt"
    article.write_text(hostile, encoding="utf-8")
    status, out = run_in_terminal(["analyze", str(article)])
    assert status == 0, out
    for raw in ("\x1b[31m", "\x1b]8;", "\x1b]0;", "\u202e", "\x9b", "\x07"):
        assert raw not in out
    # Ingest already drops C0 controls such as ESC (issue 10); what is left is shown, not obeyed.
    assert "[31mred" in out and "]8;;https://evil.example/" in out
    assert "<U+202E>eil<U+009B>2J" in out
    assert visible("a\x1b[31mb\u202e") == "a␛[31mb<U+202E>"  # text that skipped ingest


LONG = (
    "Harbour news\n\nThe brave patriots "
    + "of the old harbour town, who have waited through long winters and short summers, " * 3
    + "were betrayed by the corrupt elites again.\n"
)


@pytest.mark.issue(20)
def test_plain_output_marks_span_starts_and_wraps_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(LONG, encoding="utf-8")
    result = runner.invoke(cli.main, ["analyze", str(article)])  # stdout is not a terminal
    assert result.exit_code == 0, result.output
    assert "[1>brave patriots[1 LOADED]" in result.output.replace("Brave", "brave")
    assert "[2>corrupt elites[2 LOADED]" in result.output
    body = next(line for line in result.output.splitlines() if "[1>" in line)
    assert "[2 LOADED]" in body and len(body) > 200  # one line: not wrapped at 80 or 100


@pytest.mark.issue(20)
def test_a_terminal_gets_colour_and_no_start_marks(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    status, out = run_in_terminal(["analyze", str(article)])
    assert status == 0 and "[1 LOADED]" in out and "[1>" not in out


@pytest.mark.issue(20)
@pytest.mark.parametrize("taxonomy", ["ptc2020", "semeval2023"])
def test_piped_technique_tables_cut_no_name(runner: CliRunner, taxonomy: str) -> None:
    result = runner.invoke(cli.main, ["techniques", "--taxonomy", taxonomy])
    assert result.exit_code == 0
    assert "…" not in result.output
    assert "Appeal_to_Hypocrisy" in result.output or taxonomy == "ptc2020"
