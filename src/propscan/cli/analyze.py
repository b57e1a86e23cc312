"""``propscan analyze``: mark the technique spans of files, folders, feeds, stdin or text."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import click

from propscan.article import DEFAULT_MIN_CONFIDENCE, Analysis, Article
from propscan.cli.common import (
    errors_as_exit,
    fail,
    model_option,
    model_or_exit,
    output_option,
    own_taxonomy_option,
    stderr,
    text_progress,
)
from propscan.cli.corpus_options import corpus_options
from propscan.corpus.sources import (
    FEED_SUFFIXES,
    Unreadable,
    is_literal_text,
    names_a_path,
    open_source,
)
from propscan.errors import InputError
from propscan.pipeline import analyze_many, check_taxonomy
from propscan.render import FORMATS, render
from propscan.techniques import TaxonomyKey
from propscan.text.ingest import (
    DEFAULT_MAX_BYTES,
    collect,
    from_bytes,
    from_text,
    read_file,
    relative_id,
)
from propscan.text.language import UNKNOWN, untested_note

Named = tuple[str, Article | InputError]
"""An input's name as messages show it (its path, 'stdin', 'text' or FEED:N) and what it gave."""


def _inputs(items: Sequence[str], max_bytes: int) -> Iterator[Named]:
    """Articles from files, folders, JSONL/CSV/Parquet feeds (record by record), '-' for
    stdin, or literal text, each with the name messages give it."""
    paths = []
    for item in items:
        if item == "-":
            yield "stdin", _guard(partial(_read_stdin, max_bytes))
        elif not item.strip():  # Path("") is the current folder: never analyse it unasked
            yield "", InputError("an empty argument: give a file, a folder, '-' or quoted text")
        elif is_literal_text(item):
            yield "text", _guard(partial(from_text, item, ident="text"))
        elif names_a_path(item):
            paths.append(Path(item))
        else:
            yield (
                item,
                InputError(f"{item}: no such file or folder (quote a sentence to analyse text)"),
            )
    for path in paths:
        if path.is_file() and path.suffix.lower() in FEED_SUFFIXES:
            yield from _records(path)
            continue
        files, skipped = collect([path])
        for other in skipped:
            stderr.print(f"skipped {other}: not a .txt or .html article", highlight=False)
        if path.is_dir() and not files:
            yield (
                str(path),
                InputError(f"{path}: no .txt or .html article in this folder or its subfolders"),
            )
        for file in files:
            ident = relative_id(file, path) if path.is_dir() else None
            yield str(file), _guard(partial(read_file, file, max_bytes=max_bytes, ident=ident))


def _records(path: Path) -> Iterator[Named]:
    """The articles of a JSONL, CSV or Parquet feed, one per record (named FEED:N)."""
    try:
        source = open_source(path)
    except InputError as error:
        yield str(path), error
        return
    for number, item in enumerate(source, 1):
        name = f"{path}:{number}"
        yield name, InputError(f"{item.id}: {item.error}") if isinstance(item, Unreadable) else item


def _wants_colour(output: Any) -> bool:
    """Colour for a terminal, unless NO_COLOR is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR") and bool(output.isatty())


def _read_stdin(max_bytes: int) -> Article:
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"stdin: more than the {max_bytes / 1e6:.1f} MB limit for one article")
    return from_bytes(data, ident="stdin")


def _guard(make: Callable[[], Article]) -> Article | InputError:
    try:
        return make()
    except InputError as error:
        return error


@click.command(name="analyze")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_TEXT...")
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True
)
@output_option
@model_option
@click.option(
    "--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    metavar="P",
    help="Leave out spans whose confidence is below P (0 to 1). Default: "
    f"{DEFAULT_MIN_CONFIDENCE:g} for the text and html views (saying how many are hidden), 0 "
    "(every span) for json, jsonl and ptc.",
)
@click.option(
    "--language",
    metavar="CODE",
    callback=lambda _ctx, _param, value: value.strip().lower() if value else None,
    help="The articles' language as an ISO 639-1 code (en, fr, de, …), instead of detecting "
    "it. A language the model was not trained on is analysed with a warning.",
)
@click.option(
    "--entities",
    is_flag=True,
    help="Also say who speaks (author or a quote, and whose), at whom each technique is aimed, "
    "and which people, organisations, groups and places the article names. Needs the entities "
    "extra (pip install 'propscan[entities]'); adds about 0.2 s per article.",
)
@click.option(
    "--voice",
    type=click.Choice(["all", "author", "quoted"]),
    default="all",
    show_default=True,
    help="Keep only the author's own words or only quotes (implies --entities).",
)
@own_taxonomy_option
@corpus_options
def analyze_command(
    inputs: tuple[str, ...],
    fmt: str,
    output: Any,
    model_dir: Path | None,
    max_bytes: int,
    min_confidence: float | None,
    language: str | None,
    entities: bool,
    voice: str,
    taxonomy: TaxonomyKey | None,
    db: str | None,
    workers: int,
    engine: str,
    parquet: Path | None,
) -> None:
    """Mark the technique spans of articles: files, folders, '-' for stdin, or quoted text.

    Exit status: 0 when every input was analysed, 1 when some could not be read (the
    others are still analysed), 2 on a usage error.

    Example:

    \b
        propscan analyze article.txt
        propscan analyze news/ --format jsonl -o news.jsonl
        cat page.html | propscan analyze - --format html -o report.html
        propscan analyze news/ feed.jsonl --db sqlite:///corpus.db --workers 2
        propscan analyze article.txt --taxonomy semeval2023
        propscan analyze article.txt --entities --voice author
    """
    if db or engine != "local" or parquet:
        if taxonomy not in (None, "ptc2020"):
            raise click.UsageError(
                "a corpus store keeps the PTC-2020 labels (the review loop and retraining use "
                "them); its views group them by SemEval-2023 category, e.g. 'propscan stats "
                "--by category'"
            )
        if min_confidence:
            raise click.UsageError(
                "--min-confidence filters what is shown; a corpus keeps every span "
                "(filter it later, e.g. on the web app's article pages)"
            )
        if voice != "all":
            raise click.UsageError(
                "--voice filters what is shown; a corpus keeps every span (use "
                "'propscan stats --by voice' on it)"
            )
        from propscan.cli.corpus_run import analyze_corpus  # the store, only when it is used

        sys.exit(
            analyze_corpus(
                inputs,
                db=db,
                workers=workers,
                engine=engine,
                parquet=parquet,
                model_dir=model_dir,
                max_bytes=max_bytes,
                entities=entities,
            )
        )
    model = model_or_exit(model_dir)
    if min_confidence is None:
        min_confidence = DEFAULT_MIN_CONFIDENCE if fmt in ("text", "html") else 0.0
    if taxonomy is not None:
        with errors_as_exit():
            for choice in (model, *model.routes):
                check_taxonomy(choice, taxonomy)
    named: list[tuple[str, Article]] = []
    failures = 0
    for name, item in _inputs(inputs, max_bytes):
        if isinstance(item, InputError):
            failures += 1
            fail(str(item))
            continue
        named.append((name, item))
    analyses: list[Analysis] = []
    with text_progress(sum(len(a.text) for _, a in named), "analysing") as advance:
        articles = [article for _, article in named]
        results = analyze_many(articles, model, taxonomy, on_progress=advance, language=language)
        for (name, _), analysis in zip(named, results, strict=True):
            routed = model.for_language(analysis.language)
            note = untested_note(analysis.language or UNKNOWN, routed.languages)
            if note:
                stderr.print(f"warning: {name}: {note}", highlight=False)
            if analysis.in_training_data:
                stderr.print(
                    f"warning: {name} is one of the articles the model was trained on: its "
                    "results show what the model learnt, not how well it does on new news",
                    highlight=False,
                )
            shown = analysis.at_least(min_confidence)
            if entities or voice != "all":
                from propscan.attribute import attribute  # spaCy: only when asked for

                with errors_as_exit():
                    shown = attribute(shown).in_voice(voice)
            analyses.append(shown)
    if analyses:
        output.write(render(analyses, fmt, color=_wants_colour(output), wrap=bool(output.isatty())))
    if failures:
        sys.exit(1)
