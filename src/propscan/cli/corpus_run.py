"""``propscan analyze --db``: analyse many articles into a corpus store (local or Ray)."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import click
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from propscan.cli.common import fail, stderr
from propscan.corpus.batch import (
    BatchResult,
    Outcome,
    Terminated,
    model_loader,
    run_batch,
    sigterm_as_interrupt,
)
from propscan.corpus.sources import TextSource, chain, is_literal_text, open_source
from propscan.corpus.store import Store
from propscan.errors import PropscanError


def analyze_corpus(
    inputs: Sequence[str],
    *,
    db: str | None,
    workers: int,
    engine: str,
    parquet: Path | None,
    model_dir: Path | None,
    max_bytes: int,
    entities: bool = False,
) -> int:
    """Analyse folders and JSONL/CSV/Parquet files into a store; return the exit status."""
    if parquet and engine != "ray":
        raise click.UsageError("--parquet needs --engine ray (or use 'propscan export')")
    if entities and engine == "ray":
        raise click.UsageError("--entities runs with the local engine only, not --engine ray")
    if engine == "ray" and not (db or parquet):
        raise click.UsageError("--engine ray needs --db URL, --parquet FILE, or both")
    try:
        sources = [
            TextSource(item)
            if is_literal_text(item)
            else open_source(Path(item), max_bytes=max_bytes)
            for item in inputs
        ]
        store = Store(db) if db else None
    except PropscanError as error:
        fail(str(error))
        return 1
    pairs = zip(inputs, sources, strict=True)
    empty = [item for item, source in pairs if Path(item).is_dir() and not len(source)]
    for item in empty:
        fail(f"{item}: no .txt or .html article in this folder or its subfolders")
    total = sum(len(source) for source in sources)
    loader = model_loader(model_dir)
    try:
        with sigterm_as_interrupt(), _progress_bar(total) as on_item:
            if engine == "ray":
                result = _ray()(
                    chain(sources),
                    store=store,
                    parquet=parquet,
                    loader=loader,
                    workers=workers,
                    on_item=on_item,
                )
            else:
                assert store is not None
                result = run_batch(
                    chain(sources),
                    store,
                    workers=workers,
                    loader=loader,
                    on_item=on_item,
                    entities=entities,
                )
    except KeyboardInterrupt as stop:
        stderr.print("interrupted: every finished article is stored; rerun to resume")
        return 128 + (signal.SIGTERM if isinstance(stop, Terminated) else signal.SIGINT)
    except PropscanError as error:
        fail(str(error))
        return 1
    finally:
        if store:
            store.close()
    targets = [store.url] if store else []
    _report(result, " and ".join([*targets, *([str(parquet)] if parquet else [])]))
    return 1 if result.failed or empty else 0


def _ray() -> Callable[..., BatchResult]:
    """``run_ray``, or a usage error saying how to install Ray."""
    try:
        import ray  # noqa: F401
    except ImportError:
        raise click.UsageError("--engine ray needs pip install 'propscan[ray]'") from None
    from propscan.corpus.ray_engine import run_ray

    return run_ray


def _report(result: BatchResult, target: str) -> None:
    for error in result.errors:
        fail(error)
    rate = result.stored / result.seconds if result.seconds else 0.0
    stderr.print(
        f"stored {result.stored}, updated the metadata of {result.updated} and skipped "
        f"{result.skipped} already stored, failed "
        f"{result.failed} in {result.seconds:.1f} s ({rate:.1f} articles/s) -> {target}",
        highlight=False,
    )
    if result.untested:
        languages = ", ".join(f"{code} {n}" for code, n in result.untested.most_common())
        stderr.print(
            f"warning: {result.untested.total()} stored articles are in languages the model was "
            f"not trained on, so their results are untested ({languages}); "
            "'propscan stats --by language' counts them",
            highlight=False,
        )


class _RateColumn(ProgressColumn):
    """Articles per second over the last half minute."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} articles/s" if speed else "… articles/s")


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[Outcome], None]]:
    """A progress bar on stderr (shown on a terminal) and the callback that advances it."""
    columns = (
        TextColumn("analysing"),
        BarColumn(),
        MofNCompleteColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[outcomes]}"),
    )
    seen = {"stored": 0, "updated": 0, "skipped": 0, "failed": 0}
    with Progress(*columns, console=stderr, transient=True) as progress:
        task = progress.add_task("analysing", total=total, outcomes="")

        def advance(outcome: Outcome) -> None:
            seen[outcome] += 1
            summary = " · ".join(f"{n} {name}" for name, n in seen.items() if n)
            progress.update(task, advance=1, outcomes=summary)

        yield advance
