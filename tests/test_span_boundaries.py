"""Spans a reader can trust: whole words, no blank lines, no stray punctuation (issue 9)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from propscan.model.span_boundaries import clean_span, snap_to_words, split_at_blank_lines, trim
from propscan.model.transformer.text import smooth_spans

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "examples"


def _inside_word(text: str, start: int, end: int) -> bool:
    def cut(i: int) -> bool:
        return 0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum()

    return cut(start) or cut(end)


@pytest.mark.issue(9)
@pytest.mark.parametrize(
    ("text", "fragment", "expected"),
    [
        (
            "Hurrah! The brave Syrian people won.",
            "rrah! The brave Syrian people",
            "Hurrah! The brave Syrian people",
        ),
        ("These bloodthirsty thugs.", "rsty", "bloodthirsty"),
        ("Traitors, all of them.", "Traitor", "Traitors"),
        ("a well-known liar", "ell-kno", "well-known"),
        # Issue 21: the same in each language of the multilingual data (texts written here).
        ("Ces traîtres corrompus ont menti.", "aîtres corromp", "traîtres corrompus"),
        ("Diese korrupten Verräter lügen.", "rrupten Verrä", "korrupten Verräter"),
        ("Questi traditori corrotti mentono.", "ditori corr", "traditori corrotti"),
        ("Ci skorumpowani zdrajcy kłamią.", "korumpowani zdraj", "skorumpowani zdrajcy"),
        ("Эти продажные предатели лгут.", "родажные предат", "продажные предатели"),
        ("l'élite s'est trompée", "lite s'es", "élite s'est"),  # the article l' is a word
        # A span never stops on an elided article (regression: "les requins de l").
        ("les requins de l'immobilier", "requins de l", "requins de l'immobilier"),
        ("all’inizio dell’anno", "inizio dell", "inizio dell’anno"),
        ("Mr. Trump's wishes", "Trump", "Trump"),  # a possessive is not an elision
    ],
)
def test_spans_are_widened_to_whole_words(text: str, fragment: str, expected: str) -> None:
    start = text.index(fragment)
    first, last = snap_to_words(text, start, start + len(fragment))
    assert text[first:last] == expected


@pytest.mark.issue(9)
def test_spans_are_split_at_blank_lines() -> None:
    text = "The end is near.\n\n  Rise up now!\nAnd fight."
    parts = [text[s:e] for s, e in clean_span(text, 4, len(text))]
    assert parts == ["end is near", "Rise up now!\nAnd fight"]
    assert list(split_at_blank_lines(text, 0, 10)) == [(0, 10)]


@pytest.mark.issue(9)
@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        (", shameful lies.", "shameful lies"),
        ("— the “enemy of the people”;", "the “enemy of the people”"),
        ("Who benefits?", "Who benefits?"),
        ("(sic) - traitors!", "(sic) - traitors!"),
        ("...", ""),
    ],
)
def test_trim_drops_punctuation_the_gold_never_has(fragment: str, expected: str) -> None:
    first, last = trim(fragment, 0, len(fragment))
    assert fragment[first:last] == expected


@pytest.mark.issue(9)
@given(
    st.text(alphabet="ab ,.!\n“”", min_size=1, max_size=60),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=6),
    st.integers(0, 10),
)
def test_smoothed_spans_never_cut_words_or_cross_blank_lines(
    text: str, raw: list[tuple[int, int]], gap: int
) -> None:
    spans = [(min(s, len(text) - 1), min(s + n, len(text)), 0.5) for s, n in raw]
    for start, end, _ in smooth_spans(text, spans, max_gap=gap, min_chars=1):
        assert 0 <= start < end <= len(text)
        assert not _inside_word(text, start, end)
        assert not re.search(r"\n\s*\n", text[start:end])
        assert text[start].isalnum() or text[start] in "“\"‘'#("
        assert text[end - 1].isalnum() or text[end - 1] in "”\"’'?!)…"


@pytest.mark.issue(9)
def test_bundled_model_highlights_whole_words_on_real_articles() -> None:
    from propscan.model.bundle import load_model
    from propscan.pipeline import analyze
    from propscan.text.ingest import read_file

    paths = sorted(EXAMPLES.glob("*.txt")) or [Path("examples/harbour-town.txt")]
    model = load_model()
    spans = 0
    for path in paths:
        analysis = analyze(read_file(path), model)
        text = analysis.article.text
        for span in analysis.spans:
            spans += 1
            assert not _inside_word(text, span.start, span.end), text[span.start : span.end]
            assert not re.search(r"\n\s*\n", text[span.start : span.end])
    assert spans > 0
