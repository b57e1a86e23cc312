"""HTML renderer: one self-contained, offline report with every technique span highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from propscan.article import Analysis, Span
from propscan.render.segments import Segment, describe, grouped_counts, percent, split
from propscan.render.tags import short_tag
from propscan.render.text import TRAINING_NOTE, hidden_note

_BAND = 4
"""Height in pixels of each coloured band that marks an extra, overlapping technique."""

_CSS = """
body { font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1f;
  background: #f6f6f4; max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
header h1 { font-size: 1.3rem; margin: .5rem 0; }
header p, .note { color: #555; font-size: .9rem; margin: .25rem 0; }
article.analysis { background: #fff; border: 1px solid #ddd; border-radius: 8px;
  padding: 1rem 1.5rem; margin: 1.25rem 0; }
article.analysis h2 { font-size: 1.25rem; margin: 0 0 .5rem; overflow-wrap: anywhere; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0 0 .5rem;
  font-size: .9rem; color: #444; }
.meta dt { font-weight: 600; }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.score strong { font-size: 1.15rem; }
.legend { list-style: none; padding: 0; margin: .5rem 0; display: flex; flex-wrap: wrap;
  gap: .35rem 1rem; font-size: .9rem; }
.legend li { display: flex; align-items: center; gap: .35rem; cursor: help; }
.swatch { display: inline-block; width: 1rem; height: 1rem; border-radius: 3px;
  border: 1px solid rgba(0, 0, 0, .25); }
.count { color: #555; font-variant-numeric: tabular-nums; }
.none { font-style: italic; color: #555; }
.text { white-space: pre-wrap; overflow-wrap: break-word; line-height: 2.1;
  font-family: Georgia, "Times New Roman", serif; font-size: 1.05rem; margin-top: 1rem; }
.findings { font-size: .9rem; padding-left: 1.8rem; }
.findings li { margin: .2rem 0; scroll-margin-top: 2rem; }
.findings a { color: inherit; text-decoration: underline; text-decoration-color: #999; }
a.ref { font: 600 .72rem system-ui, sans-serif; color: #000; text-decoration: none;
  padding: 0 .2rem; margin: 0 .1rem; border-radius: 3px; border: 1px solid rgba(0, 0, 0, .45);
  white-space: nowrap; vertical-align: .15em; scroll-margin-top: 40vh; }
a.ref:hover, .findings a:hover { text-decoration: underline; }
a.ref:target, .findings li:target { outline: 3px solid #1f4e79; outline-offset: 2px; }
.tag { font: 600 .75rem system-ui, sans-serif; padding: 0 .3rem; border-radius: 3px;
  border: 1px solid rgba(0, 0, 0, .3); color: #000; }
.text mark { color: #000; border-radius: 2px; cursor: help;
  -webkit-box-decoration-break: clone; box-decoration-break: clone; }
"""


def to_html(analyses: Sequence[Analysis]) -> str:
    """A complete HTML document reporting every analysis, with inline CSS and no external URLs.

    One article's title is the page heading (shown once); several articles get their own."""
    single = len(analyses) == 1
    if single:
        heading = analyses[0].article.title or analyses[0].article.id
    else:
        heading = f"propscan report: {len(analyses)} articles"
    body = "\n".join(
        _article(a, titled=not single, key=f"article{n}") for n, a in enumerate(analyses, 1)
    )
    body = body or '<p class="none">No articles.</p>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(heading)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<header><h1>{escape(heading)}</h1>\n"
        '<p class="note">propscan report. Highlights mark propaganda techniques; each ends with '
        "its number and technique tag, which links to its entry in the findings list, and each "
        "finding, with the model's confidence, links back to it. Where techniques overlap, the "
        "first keeps the background colour and each further one adds a coloured band "
        "underneath.</p>"
        f"</header>\n{body}\n</body>\n</html>\n"
    )


def _article(analysis: Analysis, *, titled: bool, key: str) -> str:
    """One article: heading (when several), metadata, score, legend, text and findings; its
    link targets start with ``key``."""
    a = analysis.article
    fields = [
        ("ID", a.id),
        ("Source", a.source),
        ("URL", a.url),
        ("Date", a.date),
        ("Language", analysis.language),
        ("Model", analysis.model),
    ]
    meta = "".join(
        f"<dt>{name}</dt><dd>{escape(value)}</dd>" for name, value in fields if value is not None
    )
    spans = len(analysis.spans)
    summary = (
        f'<p class="score">Propaganda score: <strong>{percent(analysis.score)}</strong> of the '
        f"text in {spans} technique span{'' if spans == 1 else 's'}</p>"
    )
    if analysis.in_training_data:
        summary += f'<p class="note"><strong>{escape(TRAINING_NOTE)}</strong></p>'
    if analysis.hidden:
        summary += f'<p class="note">{escape(hidden_note(analysis))}.</p>'

    if spans:
        legend, findings = _legend(analysis), _findings(analysis, key)
    else:
        legend = '<p class="none">No propaganda technique was found in this article.</p>'
        findings = ""
    text = _text(analysis, key)
    title = f"<h2>{escape(a.title or a.id)}</h2>\n" if titled else ""
    return (
        f'<article class="analysis">\n{title}'
        f'<dl class="meta">{meta}</dl>\n{summary}\n{legend}\n'
        f'<div class="text">{text}</div>\n{findings}</article>'
    )


def _findings(analysis: Analysis, key: str) -> str:
    """Every span in order, numbered as its highlight: its tag, technique, confidence and text
    (kept on paper too), linking to the highlight."""
    items = []
    for number, span in enumerate(analysis.spans, 1):
        t = describe(span.technique)
        quote = analysis.article.text[span.start : span.end]
        items.append(
            f'<li id="{key}-finding{number}"><a href="#{key}-highlight{number}">'
            f'<span class="tag" style="background:{t.color}">{escape(short_tag(span.technique))}'
            f"</span> {escape(t.name)} ({percent(span.score)}): “{escape(quote)}”</a></li>"
        )
    return f'<h3>Findings</h3>\n<ol class="findings">{"".join(items)}</ol>\n'


def _text(analysis: Analysis, key: str) -> str:
    """The article text highlighted, each span ending with its numbered tag (as in the terminal
    view), a link to its finding."""
    text = analysis.article.text
    ends: dict[int, list[tuple[int, Span]]] = {}
    for number, span in enumerate(analysis.spans, 1):
        ends.setdefault(span.end, []).append((number, span))
    return "".join(
        _segment(text, segment)
        + "".join(_ref(key, number, span) for number, span in ends.get(segment.end, []))
        for segment in split(text, analysis.spans)
    )


def _ref(key: str, number: int, span: Span) -> str:
    """``[2 LOADED]`` after a highlight: a link to its finding, and the finding's target."""
    t = describe(span.technique)
    return (
        f'<a class="ref" id="{key}-highlight{number}" href="#{key}-finding{number}" '
        f'style="background:{t.color}" title="{escape(t.name)} ({percent(span.score)}): '
        f'finding {number}">[{number} {escape(short_tag(span.technique))}]</a>'
    )


def _legend(analysis: Analysis) -> str:
    """The techniques found, most frequent first, each with its colour and count; in the 2023
    taxonomy under their categories."""
    lists = []
    for category, total, members in grouped_counts(analysis):
        items = []
        for label, count in members:
            t = describe(label)
            items.append(
                f'<li data-label="{escape(label)}" title="{escape(t.definition)}">'
                f'<span class="swatch" style="background:{t.color}"></span>'
                f'{escape(t.name)} <span class="count">{count}</span></li>'
            )
        heading = (
            f'<h4 class="category">{escape(category)} <span class="count">{total}</span></h4>'
            if category is not None
            else ""
        )
        lists.append(f'{heading}<ul class="legend">{"".join(items)}</ul>')
    return "".join(lists)


def _segment(text: str, segment: Segment) -> str:
    """A piece of text, wrapped in a highlight when spans cover it."""
    fragment = escape(text[segment.start : segment.end])
    if not segment.spans:
        return fragment
    techniques = [describe(s.technique) for s in segment.spans]
    style = f"background:{techniques[0].color}"
    if len(techniques) > 1:  # a border prints and shows below the text; shadows for the rest
        style += f";border-bottom:{_BAND}px solid {techniques[1].color}"
        bands = ",".join(
            f"0 {_BAND * depth}px 0 {t.color}" for depth, t in enumerate(techniques[2:], 1)
        )
        if bands:
            style += f";box-shadow:{bands}"
    labels = " ".join(s.technique for s in segment.spans)
    tooltip = "\n".join(
        f"{t.name} ({percent(s.score)}): {t.definition}"
        for s, t in zip(segment.spans, techniques, strict=True)
    )
    return (
        f'<mark data-technique="{escape(labels)}" style="{style}" '
        f'title="{escape(tooltip)}">{fragment}</mark>'
    )
