"""The renderers, on analyses built by hand."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from propscan.article import Analysis, Article, Span
from propscan.render import FORMATS, render, to_html, to_json, to_jsonl, to_ptc, to_text
from propscan.render.segments import split
from propscan.techniques import FALLBACK_COLOR, TECHNIQUES

TEXT = "The corrupt elites lied.\nThey always lie, and they will lie again."


def _color(label: str) -> str:
    return TECHNIQUES[label].color


@pytest.fixture
def analysis() -> Analysis:
    """'corrupt elites' is loaded language and name calling; 'elites lied' is doubt."""
    article = Article("42", TEXT, title="Elites", source="Daily Example", date="2020-01-01")
    return Analysis(
        article,
        (
            Span(12, 23, "Doubt", 0.5),
            Span(4, 18, "Loaded_Language", 0.83),
            Span(4, 18, "Name_Calling,Labeling", 0.61),
        ),
        model="test",
    )


@pytest.fixture
def empty() -> Analysis:
    return Analysis(Article("7", "Nothing to see here."), ())


class Marks(HTMLParser):
    """Collects the text inside ``<mark>`` elements with their ``data-technique`` and style."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[str, str, str]] = []
        self.open: tuple[str, str] | None = None
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag == "mark":
            self.open = (found.get("data-technique") or "", found.get("style") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open is not None:
            self.marks.append((data, *self.open))


def _marks(document: str) -> Marks:
    parser = Marks()
    parser.feed(document)
    parser.close()
    return parser


def test_ptc_lines_are_exact(analysis: Analysis, empty: Analysis) -> None:
    assert to_ptc([analysis, empty]) == (
        "42\tLoaded_Language\t4\t18\n42\tName_Calling,Labeling\t4\t18\n42\tDoubt\t12\t23\n"
    )
    assert to_ptc([empty]) == ""


def test_json_round_trip(analysis: Analysis, empty: Analysis) -> None:
    one = json.loads(to_json([analysis]))
    assert one == json.loads(json.dumps(analysis.to_dict()))
    assert one["spans"][0]["text"] == "corrupt elites"
    assert to_json([analysis]).startswith('{\n  "id": "42"')
    several = json.loads(to_json([analysis, empty]))
    assert [item["id"] for item in several] == ["42", "7"]


def test_jsonl_one_compact_object_per_line(analysis: Analysis, empty: Analysis) -> None:
    lines = to_jsonl([analysis, empty]).splitlines()
    assert len(lines) == 2
    assert [json.loads(line)["id"] for line in lines] == ["42", "7"]
    assert "\n" not in lines[0] and lines[0].startswith('{"id": "42"')


def test_json_keeps_non_ascii() -> None:
    analysis = Analysis(Article("x", "Vigano\u0300 — «quoted»"), ())
    assert "«quoted»" in to_json([analysis]) and "«quoted»" in to_jsonl([analysis])


def test_segments_split_at_every_boundary(analysis: Analysis) -> None:
    pieces = [
        (TEXT[s.start : s.end], [span.technique for span in s.spans])
        for s in split(TEXT, analysis.spans)
    ]
    assert pieces[:4] == [
        ("The ", []),
        ("corrupt ", ["Loaded_Language", "Name_Calling,Labeling"]),
        ("elites", ["Loaded_Language", "Name_Calling,Labeling", "Doubt"]),
        (" lied", ["Doubt"]),
    ]
    assert "".join(piece for piece, _ in pieces) == TEXT


def test_html_overlapping_and_duplicated_spans(analysis: Analysis) -> None:
    marks = _marks(to_html([analysis])).marks
    assert [(text, labels) for text, labels, _ in marks] == [
        ("corrupt ", "Loaded_Language Name_Calling,Labeling"),
        ("elites", "Loaded_Language Name_Calling,Labeling Doubt"),
        (" lied", "Doubt"),
    ]
    (_, _, both), (_, _, three), (_, _, doubt) = marks
    loaded, naming, doubtful = (
        _color(t) for t in ("Loaded_Language", "Name_Calling,Labeling", "Doubt")
    )
    assert both == f"background:{loaded};border-bottom:4px solid {naming}"
    assert three.startswith(f"background:{loaded};border-bottom:4px solid {naming}")
    assert f"0 4px 0 {doubtful}" in three
    assert doubt == f"background:{doubtful}"


def test_html_tooltip_names_technique_definition_and_confidence(analysis: Analysis) -> None:
    document = to_html([analysis])
    assert "Loaded language (83%): Uses words and phrases" in document
    assert "Name calling / labeling (61%)" in document
    assert "Doubt (50%)" in document


def test_html_is_self_contained_report(analysis: Analysis, empty: Analysis) -> None:
    document = to_html([analysis, empty])
    assert document.lower().startswith("<!doctype html>")
    assert document.count("<html") == 1 and "<style>" in document
    assert not re.search(r"""src\s*=|href\s*=\s*"(?!#)|@import|url\(|https?://""", document)
    assert "white-space: pre-wrap" in document
    assert "Daily Example" in document and "2020-01-01" in document
    assert "Propaganda score: <strong>31%</strong>" in document
    assert f'style="background:{_color("Doubt")}"></span>Doubt <span class="count">1</span>' in (
        document
    )
    assert "No propaganda technique was found" in document
    assert "\nThey always lie" in document


def test_html_escapes_text_and_metadata() -> None:
    text = "Before <script>alert(1)</script> & after"
    article = Article(
        "a<1>", text, title="<script>alert('t')</script>", source='"quoted" <i>', url='x"><b>'
    )
    analysis = Analysis(article, (Span(7, 32, "Slogans", 0.9), Span(0, 6, 'Odd"<label>', 0.4)))
    document = to_html([analysis])
    parser = _marks(document)
    assert parser.scripts == 0
    assert "<script>" not in document and "<i>" not in document and "<b>" not in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "<title>&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;</title>" in document
    assert ("<script>alert(1)</script>", "Slogans", f"background:{_color('Slogans')}") in (
        parser.marks
    )
    assert ("Before", 'Odd"<label>', f"background:{FALLBACK_COLOR}") in parser.marks


def test_text_without_colour_has_footnotes_and_table(analysis: Analysis) -> None:
    out = to_text([analysis], color=False)
    assert "\x1b" not in out
    assert "The [1>[2>corrupt [3>elites[1 LOADED][2 NAME-CALLING] lied[3 DOUBT]." in out
    assert '[1 LOADED] Loaded language (83%): "corrupt elites"' in out
    assert '[2 NAME-CALLING] Name calling / labeling (61%): "corrupt elites"' in out
    assert '[3 DOUBT] Doubt (50%): "elites lied"' in out
    assert "Elites" in out and "Daily Example" in out
    table = out[out.index("Techniques found") :]
    assert re.search(r"Loaded language\s*│\s*1", table)
    assert re.search(r"Total\s*│\s*3", table)


def test_text_with_colour_uses_technique_backgrounds(analysis: Analysis) -> None:
    out = to_text([analysis], color=True)
    red, green, blue = (int(_color("Loaded_Language")[i : i + 2], 16) for i in (1, 3, 5))
    assert f"48;2;{red};{green};{blue}m" in out


def test_text_cuts_long_fragments() -> None:
    text = "word " * 40
    out = to_text([Analysis(Article("1", text), (Span(0, 150, "Repetition", 0.7),))], color=False)
    assert re.search(r'\[1 REPETITION\] Repetition \(70%\): "(word ){11}word…"', out)


def test_text_without_spans_says_so(empty: Analysis) -> None:
    out = to_text([empty], color=False)
    assert "No propaganda technique was found." in out
    assert "Nothing to see here." in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_render_dispatches_every_format(fmt: str, analysis: Analysis) -> None:
    assert render([analysis], fmt, color=False)


def test_render_matches_the_format_functions(analysis: Analysis) -> None:
    assert render([analysis], "ptc") == to_ptc([analysis])
    assert render([analysis], "jsonl") == to_jsonl([analysis])
    assert render([analysis], "text", color=False) == to_text([analysis], color=False)


def test_unknown_format_raises(analysis: Analysis) -> None:
    with pytest.raises(ValueError, match="unknown format 'xml'"):
        render([analysis], "xml")


@pytest.mark.issue(11)
def test_html_report_lists_findings_and_shows_the_title_once(analysis: Analysis) -> None:
    document = to_html([analysis])
    body = document[document.index("<body>") :]
    assert body.count(">Elites<") == 1
    findings = body[body.index('<ol class="findings">') :]
    assert "LOADED</span> Loaded language (83%): “corrupt elites”" in findings
    assert "DOUBT</span> Doubt (50%): “elites lied”" in findings
