"""HTML renderer: one self-contained, offline report with every technique span highlighted."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from propscan.article import Analysis
from propscan.render.segments import Segment, describe, percent, split

_BAND = 3
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
.text mark { color: #000; border-radius: 2px; cursor: help;
  -webkit-box-decoration-break: clone; box-decoration-break: clone; }
"""


def to_html(analyses: Sequence[Analysis]) -> str:
    """A complete HTML document reporting every analysis, with inline CSS and no external URLs."""
    if len(analyses) == 1:
        heading = analyses[0].article.title or analyses[0].article.id
    else:
        heading = f"propscan report: {len(analyses)} articles"
    body = "\n".join(_article(a) for a in analyses) or '<p class="none">No articles.</p>'
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(heading)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        "<header><h1>propscan report</h1>\n"
        '<p class="note">Highlights mark propaganda techniques. Hover one to see the technique, '
        "its definition and the model's confidence. Where techniques overlap, the first keeps "
        "the background colour and each further one adds a coloured band underneath.</p>"
        f"</header>\n{body}\n</body>\n</html>\n"
    )


def _article(analysis: Analysis) -> str:
    """One article: heading, metadata, score, legend and highlighted text."""
    a = analysis.article
    fields = [
        ("ID", a.id),
        ("Source", a.source),
        ("URL", a.url),
        ("Date", a.date),
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
    if spans:
        findings = _legend(analysis)
    else:
        findings = '<p class="none">No propaganda technique was found in this article.</p>'
    text = "".join(_segment(a.text, segment) for segment in split(a.text, analysis.spans))
    return (
        f'<article class="analysis">\n<h2>{escape(a.title or a.id)}</h2>\n'
        f'<dl class="meta">{meta}</dl>\n{summary}\n{findings}\n'
        f'<div class="text">{text}</div>\n</article>'
    )


def _legend(analysis: Analysis) -> str:
    """The techniques found, most frequent first, each with its colour and count."""
    ranked = sorted(analysis.counts.items(), key=lambda item: (-item[1], item[0]))
    items = []
    for label, count in ranked:
        t = describe(label)
        items.append(
            f'<li data-label="{escape(label)}" title="{escape(t.definition)}">'
            f'<span class="swatch" style="background:{t.color}"></span>'
            f'{escape(t.name)} <span class="count">{count}</span></li>'
        )
    return f'<ul class="legend">{"".join(items)}</ul>'


def _segment(text: str, segment: Segment) -> str:
    """A piece of text, wrapped in a highlight when spans cover it."""
    fragment = escape(text[segment.start : segment.end])
    if not segment.spans:
        return fragment
    techniques = [describe(s.technique) for s in segment.spans]
    style = f"background:{techniques[0].color}"
    if len(techniques) > 1:
        bands = ",".join(
            f"inset 0 -{_BAND * depth}px 0 {t.color}" for depth, t in enumerate(techniques[1:], 1)
        )
        style += f";box-shadow:{bands};padding-bottom:{_BAND * (len(techniques) - 1)}px"
    labels = " ".join(s.technique for s in segment.spans)
    tooltip = "\n".join(
        f"{t.name} ({percent(s.score)}): {t.definition}"
        for s, t in zip(segment.spans, techniques, strict=True)
    )
    return (
        f'<mark data-technique="{escape(labels)}" style="{style}" '
        f'title="{escape(tooltip)}">{fragment}</mark>'
    )
