"""Long single texts cost per MB what ordinary articles do, and show progress inside the text
(issue 20, item 7): the parts that grew with text x spans are now linear."""

from __future__ import annotations

import random
import re
from itertools import pairwise
from pathlib import Path

import pytest

from propscan.article import Span
from propscan.model.bundle import Model
from propscan.model.repetition import WordIndex, recurs_elsewhere
from propscan.pipeline import BLOCK_CHARS, analyze
from propscan.render.segments import split
from propscan.text.ingest import from_text
from terminal import run_in_terminal

pytestmark = pytest.mark.issue(20)
PARAGRAPH = "The corrupt elites lied to the brave patriots of the harbour town again today.\n\n"


def test_analysis_reports_progress_block_by_block(fake_model: Model) -> None:
    text = PARAGRAPH * (3 * BLOCK_CHARS // len(PARAGRAPH))
    done: list[int] = []
    analysis = analyze(from_text(text), fake_model, on_progress=done.append)
    assert len(done) >= 3 and sum(done) == len(text)
    found = {analysis.article.text[s.start : s.end].lower() for s in analysis.spans}
    assert len({(s.start, s.end) for s in analysis.spans}) == 2 * text.count("corrupt elites")
    assert found == {"corrupt elites", "brave patriots"}  # none lost or cut at block edges


def test_a_long_text_shows_a_progress_bar_in_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(PARAGRAPH * (3 * BLOCK_CHARS // len(PARAGRAPH)), encoding="utf-8")
    status, out = run_in_terminal(["analyze", str(path), "-f", "json", "-o", "/dev/null"])
    assert status == 0, out
    assert "analysing" in out and "/150.0 kB" in out  # the bar counts the text analysed


def brute_force_segments(text: str, spans: list[Span]) -> list[tuple[int, int, set[Span]]]:
    """Each piece of the text between span edges and the spans covering all of it."""
    edges = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    edges = [e for e in edges if 0 <= e <= len(text)]
    return [(a, b, {s for s in spans if s.start <= a and b <= s.end}) for a, b in pairwise(edges)]


def test_split_lists_exactly_the_spans_covering_each_piece() -> None:
    rng = random.Random(7)
    for _ in range(500):
        text = "x" * rng.randrange(1, 60)
        spans = []
        for _ in range(rng.randrange(0, 7)):
            start = rng.randrange(len(text))
            spans.append(Span(start, rng.randrange(start + 1, len(text) + 1), "A", 0.5))
        got = [(s.start, s.end, set(s.spans)) for s in split(text, spans)]
        assert got == brute_force_segments(text, spans)


def test_the_word_index_answers_as_scanning_the_text_does() -> None:
    text = "Freedom now. We want freedom, and the tyrants fear it; freedom! Peace, not war."
    words = list(re.finditer(r"\w+", text))
    index = WordIndex(text)
    for first in words:
        for last in words:
            if last.start() < first.start():
                continue
            start, end = first.start(), last.end()
            outside = set(re.findall(r"\w+", (text[:start] + " " + text[end:]).lower()))
            inside = [w.lower() for w in re.findall(r"\w+", text[start:end])]
            keys = {w for w in inside if len(w) >= 4} or set(inside)
            assert recurs_elsewhere(text, start, end, index) == bool(keys & outside)
