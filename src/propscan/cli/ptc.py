"""``propscan ptc``: SemEval-2020 Task 11 submission files for a folder of PTC articles,
paragraph labels in the format of SemEval-2023 Task 3, subtask 3, and entity roles in the format
of SemEval-2025 Task 10, subtask 1."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from propscan.article import Analysis, Article
from propscan.cli.common import (
    errors_as_exit,
    fail,
    model_option,
    model_or_exit,
    output_option,
    progress,
    stderr,
    taxonomy_option,
)
from propscan.errors import InputError
from propscan.model.bundle import Model
from propscan.pipeline import analyze, check_taxonomy, classify
from propscan.tasks.paragraphs import article_line_scores, decide_lines
from propscan.tasks.ptc import read_articles, read_template, span_lines, technique_lines
from propscan.tasks.scoring import paragraph_rows
from propscan.techniques import TaxonomyKey
from propscan.text.language import UNKNOWN, detect_language, untested_note


@click.group()
def ptc() -> None:
    """Write SemEval submission files for a folder of PTC articles (2020 Task 11; paragraphs as
    in 2023 Task 3, subtask 3) and entity roles (2025 Task 10, subtask 1)."""


@ptc.command(name="spans")
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@output_option
@model_option
@taxonomy_option
def ptc_spans(
    articles_dir: Path, output: Any, model_dir: Path | None, taxonomy: TaxonomyKey
) -> None:
    """Span identification: 'ID<TAB>start<TAB>end' per detected span (the same spans in
    both taxonomies; each article's language chooses the model, as in 'analyze').

    Example:

    \b
        propscan ptc spans dev-articles -o dev-si.txt
    """
    model = _model_for(model_dir, taxonomy)
    for article in _read_folder(articles_dir):
        routed = model.for_language(detect_language(article.text).language)
        found = routed.tagger.detect(article.text, spans_only=True)
        _write_lines(output, span_lines(article.id, [(start, end) for start, end, _ in found]))


@ptc.command(name="full")
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@output_option
@model_option
@taxonomy_option
def ptc_full(
    articles_dir: Path, output: Any, model_dir: Path | None, taxonomy: TaxonomyKey
) -> None:
    """Spans and techniques: 'ID<TAB>technique<TAB>start<TAB>end' per detected span.

    Example:

    \b
        propscan ptc full dev-articles -o dev-full.txt
    """
    for analysis in _analyse_folder(articles_dir, model_dir, taxonomy):
        _write_lines(output, technique_lines(analysis.article.id, analysis.spans))


@ptc.command(name="paragraphs")
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@output_option
@model_option
@taxonomy_option
@click.option(
    "--union",
    is_flag=True,
    help="Give a line the techniques of the detected spans that touch it, instead of the "
    "paragraph decision (per-technique thresholds; semeval2023 only).",
)
def ptc_paragraphs(
    articles_dir: Path, output: Any, model_dir: Path | None, taxonomy: TaxonomyKey, union: bool
) -> None:
    """Techniques per paragraph (SemEval-2023 Task 3, subtask 3 format):
    'ID<TAB>line<TAB>technique,technique,...' per non-empty line (numbered from 1).

    With --taxonomy semeval2023 a line keeps each technique whose best span score on it
    (span confidence × technique probability) reaches the technique's threshold, chosen by
    cross-validation; with ptc2020 (or --union, or a model without such thresholds, e.g. the
    multilingual one) it takes the techniques of the detected spans that touch it.

    Example:

    \b
        propscan ptc paragraphs dev-articles --taxonomy semeval2023 -o dev-paragraphs.txt
    """
    model = _model_for(model_dir, taxonomy)
    for article in _read_folder(articles_dir):
        routed = model.for_language(detect_language(article.text).language)
        head = routed.semeval2023
        if taxonomy == "semeval2023" and not union and head and head.paragraph_thresholds:
            scores, labels = article_line_scores(article, routed, taxonomy)
            rows = decide_lines(scores, labels, head.paragraph_thresholds)
        else:
            spans = analyze(article, model, taxonomy).spans
            rows = paragraph_rows(article.text, [(s.technique, s.start, s.end) for s in spans])
        _write_lines(
            output,
            (f"{article.id}\t{line}\t{','.join(techniques)}" for line, techniques in rows),
        )


@ptc.command(name="techniques")
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("template", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_option
@model_option
@taxonomy_option
def ptc_techniques(
    articles_dir: Path, template: Path, output: Any, model_dir: Path | None, taxonomy: TaxonomyKey
) -> None:
    """Technique classification: label every span of a TC template, keeping its order.

    Template lines are 'ID<TAB>?<TAB>start<TAB>end' or 'ID<TAB>start<TAB>end'; a span
    listed k times gets its k likeliest techniques.

    Example:

    \b
        propscan ptc techniques dev-articles dev-task-tc-template.out -o dev-tc.txt
    """
    model = _model_for(model_dir, taxonomy)
    with errors_as_exit():
        articles = {a.id: a for a in read_articles(articles_dir)}
        wanted = read_template(template)
        missing = sorted({ident for ident, _, _ in wanted} - set(articles))
        if missing:
            raise InputError(
                f"{template}: articles not in {articles_dir}: {', '.join(missing[:5])}"
            )
        for ident, start, end in wanted:
            if end > len(articles[ident].text):
                raise InputError(f"{template}: span {ident} {start}-{end} is past the article end")
    by_article: dict[str, list[tuple[int, int]]] = {}
    for ident, start, end in wanted:
        by_article.setdefault(ident, []).append((start, end))
    labelled = {
        ident: iter(classify(articles[ident], spans, model, taxonomy))
        for ident, spans in progress(list(by_article.items()), "classifying")
    }
    _write_lines(
        output,
        (f"{ident}\t{next(labelled[ident]).technique}\t{s}\t{e}" for ident, s, e in wanted),
    )


@ptc.command(name="roles")
@click.argument("docs_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("mentions_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the annotations.",
)
@click.option(
    "--roles-model",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A role model folder (default: the bundled one).",
)
def ptc_roles(docs_dir: Path, mentions_file: Path, out: Path, roles_model: Path | None) -> None:
    """Entity framing (SemEval-2025 Task 10, subtask 1): give every mention of the task's
    mentions file ('document<TAB>mention<TAB>start<TAB>end', end inclusive) its main role and
    fine role, in the task's annotation format, which its scorer reads.

    Example:

    \b
        propscan ptc roles EN/raw-documents EN/mentions.txt -o EN-predictions.txt
    """
    from propscan.model.roles import RoleModel, bundled_role_model
    from propscan.tasks.entity_framing import read_documents, read_mentions, write_mentions

    with errors_as_exit():
        documents = read_documents(docs_dir)
        mentions = read_mentions(mentions_file, documents)
        model = RoleModel.load(roles_model) if roles_model else bundled_role_model()
        write_mentions(model.label(documents, mentions), out)
    click.echo(f"{len(mentions)} mentions labelled; written to {out}", err=True)


def _read_folder(articles_dir: Path) -> Iterator[Article]:
    with errors_as_exit():
        articles = read_articles(articles_dir)
    if not articles:
        fail(f"{articles_dir}: no .txt articles in this folder")
        sys.exit(1)
    yield from progress(articles, "analysing")


def _model_for(model_dir: Path | None, taxonomy: TaxonomyKey) -> Model:
    """The model, or exit status 1 when it cannot load or has no head for ``taxonomy``."""
    model = model_or_exit(model_dir)
    with errors_as_exit():
        check_taxonomy(model, taxonomy)
    return model


def _analyse_folder(
    articles_dir: Path, model_dir: Path | None, taxonomy: TaxonomyKey
) -> Iterator[Analysis]:
    model = _model_for(model_dir, taxonomy)
    for article in _read_folder(articles_dir):
        analysis = analyze(article, model, taxonomy)
        routed = model.for_language(analysis.language)
        note = untested_note(analysis.language or UNKNOWN, routed.languages)
        if note:
            stderr.print(f"warning: article {article.id}: {note}", highlight=False)
        yield analysis


def _write_lines(output: Any, lines: Iterator[str]) -> None:
    for line in lines:
        output.write(line + "\n")
