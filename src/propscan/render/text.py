"""Terminal renderer: highlighted article text, numbered footnotes and a technique table.

Each highlight ends with its footnote number and the technique's short tag (``[1 LOADED]``);
without colour it also starts with its number (``[1>``), so the view reads in plain text.
Control characters in the article are shown, never sent raw.
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from propscan.article import Analysis, Span
from propscan.render.segments import describe, grouped_counts, percent, split
from propscan.render.tags import short_tag
from propscan.render.visible import visible
from propscan.techniques import category_of

_FRAGMENT_CHARS = 60
"""Longest fragment quoted in a footnote before it is cut with an ellipsis."""
TRAINING_NOTE = (
    "Note: the model was trained on this very article, so these results show what it learnt, "
    "not how well it does on new news."
)
WIDTH = 100
"""Columns of the view when it is wrapped (a terminal)."""
UNWRAPPED_WIDTH = 100_000
"""Columns given to tables when nothing is wrapped, so that no cell is cut."""


def to_text(analyses: Sequence[Analysis], *, color: bool = True, wrap: bool = True) -> str:
    """Render analyses for a terminal; without ``color`` the output has no ANSI escapes and
    each highlight's start is marked; without ``wrap`` (output to a file or a pipe) no line is
    wrapped and no table cell cut."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=color,
        color_system="truecolor" if color else None,
        width=WIDTH if wrap else UNWRAPPED_WIDTH,
        soft_wrap=not wrap,
        highlight=False,
        markup=False,
        emoji=False,
    )
    for index, analysis in enumerate(analyses):
        if index:
            console.print("─" * WIDTH)
        _print_analysis(console, analysis, color=color)
    return buffer.getvalue()


def _print_analysis(console: Console, analysis: Analysis, *, color: bool) -> None:
    """Heading, metadata, marked-up text, footnotes and count table of one analysis."""
    a = analysis.article
    console.print(Text(visible(a.title or a.id), style="bold"))
    fields = [
        ("id", a.id),
        ("source", a.source),
        ("url", a.url),
        ("date", a.date),
        ("language", _language(analysis)),
        ("model", analysis.model),
    ]
    console.print(
        Text(
            visible(" · ".join(f"{name}: {value}" for name, value in fields if value)), style="dim"
        )
    )
    spans = len(analysis.spans)
    console.print(
        f"Propaganda score: {percent(analysis.score)} of the text in "
        f"{spans} technique span{'' if spans == 1 else 's'}"
    )
    if analysis.hidden:
        console.print(hidden_note(analysis) + " (--min-confidence 0 shows them)", style="dim")
    if analysis.in_training_data:
        console.print(TRAINING_NOTE, style="bold")
    console.print()
    console.print(_marked_text(analysis, mark_starts=not color))
    console.print()
    if not spans:
        console.print("No propaganda technique was found.")
        return
    for number, span in enumerate(analysis.spans, 1):
        t = describe(span.technique)
        line = Text(f"[{number} {short_tag(span.technique)}] ")
        line.append(t.name, style=f"black on {t.color}")
        if analysis.taxonomy == "semeval2023":
            line.append(f" · {category_of(span.technique)}", style="dim")
        line.append(f" ({percent(span.score)}): ")
        line.append(f'"{_fragment(a.text[span.start : span.end])}"')
        if span.voice is not None:
            line.append(f" — {who_and_whom(span)}", style="dim")
        console.print(line)
    console.print()
    console.print(_count_table(analysis))
    if analysis.entities:
        console.print(_entities_table(analysis))


def _language(analysis: Analysis) -> str | None:
    """The article's language, marked when the model was not trained on it."""
    if analysis.language is None:
        return None
    return analysis.language + (" (untested for this model)" if analysis.untested_language else "")


def who_and_whom(span: Span) -> str:
    """Whose words a span is and at whom it is aimed, in a few words."""
    said = "author" if span.voice == "author" else f"quoted: {span.speaker or 'unnamed speaker'}"
    return said + (f"; aimed at {span.target}" if span.target else "")


ENTITY_ROWS = 12
"""Entities the terminal view lists: the most aimed-at, then the most mentioned."""


def _entities_table(analysis: Analysis) -> Table:
    """The article's named entities: the role it casts each in and the techniques aimed at it."""
    table = Table(title="Who is cast as what", title_justify="left")
    table.add_column("Entity")
    table.add_column("Type")
    table.add_column("Mentions", justify="right")
    table.add_column("Role (confidence)")
    table.add_column("Techniques aimed at it")
    for entity in (analysis.entities or ())[:ENTITY_ROWS]:
        aimed = ", ".join(f"{describe(t).name} ×{n}" for t, n in entity.techniques.items())
        role = ""
        if entity.main_role is not None and entity.confidence is not None:
            fine = ", ".join(entity.fine_roles)
            role = f"{entity.main_role}: {fine} ({percent(entity.confidence)})"
        table.add_row(visible(entity.name), entity.type, str(entity.mentions), role, aimed)
    return table


def hidden_note(analysis: Analysis) -> str:
    """How many findings the view leaves out, and below which confidence."""
    n, limit = analysis.hidden, percent(analysis.min_confidence)
    return f"{n} finding{'' if n == 1 else 's'} under {limit} confidence hidden"


def _marked_text(analysis: Analysis, *, mark_starts: bool = False) -> Text:
    """The article on its spans' colours (underlined where they overlap), ``[n TAG]`` at span
    ends and, with ``mark_starts``, ``[n>`` at span starts."""
    text = analysis.article.text
    numbered = list(enumerate(analysis.spans, 1))
    starting, ending = defaultdict(list), defaultdict(list)
    for number, span in numbered:
        starting[span.start].append((number, span))
        ending[span.end].append((number, span))
    marked = Text()
    for segment in split(text, analysis.spans):
        if mark_starts:
            for number, _ in starting.pop(segment.start, ()):
                marked.append(f"[{number}>", style="bold")
        style = ""
        if segment.spans:
            overlap = " underline" if len(segment.spans) > 1 else ""
            style = f"black on {describe(segment.spans[0].technique).color}{overlap}"
        marked.append(visible(text[segment.start : segment.end]), style=style)
        for number, span in ending.pop(segment.end, ()):
            tag = f"[{number} {short_tag(span.technique)}]"
            marked.append(tag, style=f"bold {describe(span.technique).color}")
    return marked


def _fragment(quote: str) -> str:
    """A span's text on one line, cut with an ellipsis when long."""
    flat = visible(" ".join(quote.split()))
    if len(flat) <= _FRAGMENT_CHARS:
        return flat
    return flat[: _FRAGMENT_CHARS - 1].rstrip() + "…"


def _count_table(analysis: Analysis) -> Table:
    """Spans per technique, most frequent first; in the 2023 taxonomy under their categories."""
    table = Table(title="Techniques found")
    table.add_column("Technique")
    table.add_column("Spans", justify="right")
    for category, total, members in grouped_counts(analysis):
        if category is not None:
            table.add_row(Text(category, style="bold"), Text(str(total), style="bold"))
        for label, count in members:
            t = describe(label)
            name = Text("  " if category is not None else "")
            name.append(t.name, style=f"black on {t.color}")
            table.add_row(name, str(count))
    table.add_section()
    table.add_row(Text("Total", style="bold"), str(len(analysis.spans)))
    return table
