"""Batch analysis on Ray Data: actors that each hold one model, ``map_batches`` over the articles.

By default a local Ray instance is started with one actor per worker. To use a cluster, start
Ray on its nodes (each with propscan installed) and pass its address, or set ``RAY_ADDRESS``.
The driver reads the input lazily, ``chunk`` articles at a time (each chunk one Ray Data run,
so the driver never holds the whole input), skips articles already in the store (by text hash)
and writes each batch of results to the store and/or a Parquet file as it comes back, so a
rerun resumes like the local pool.
"""

from __future__ import annotations

import itertools
import logging
import os
import time
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from propscan.article import METADATA, Article
from propscan.corpus.batch import BatchResult, ModelLoader, Outcome
from propscan.corpus.sources import (
    Item,
    Unreadable,
    analysis_from_row,
    analysis_row,
    analysis_schema,
)
from propscan.corpus.store import Store, content_hash
from propscan.pipeline import STORED_TAXONOMY, analyze

CHUNK = 1000
"""Articles the driver reads ahead: one Ray Data run each."""


class Analyzer:
    """A Ray Data actor: loads the model once, then analyses Arrow batches of articles."""

    def __init__(self, loader: ModelLoader) -> None:
        self.model = loader()

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        rows = []
        for record in batch.to_pylist():
            given = {key: record.get(key) for key in ("id", "text", *METADATA)}
            fields = tuple((f["name"], f["value"]) for f in record.get("fields") or ())
            article = Article(**given, fields=fields)
            try:
                rows.append(
                    {**analysis_row(analyze(article, self.model, STORED_TAXONOMY)), "error": None}
                )
            except Exception as error:
                failed = {"model": self.model.name, "score": 0.0, "spans": []}
                rows.append({**record, **failed, "error": f"{type(error).__name__}: {error}"})
        schema = analysis_schema().append(pa.field("error", pa.string()))
        return pa.Table.from_pylist(rows, schema=schema)


def run_ray(
    items: Iterable[Item],
    *,
    store: Store | None,
    parquet: Path | None,
    loader: ModelLoader,
    workers: int = 1,
    address: str | None = None,
    batch_size: int = 8,
    on_item: Callable[[Outcome], None] | None = None,
) -> BatchResult:
    """Analyse ``items`` on Ray with ``workers`` model actors into ``store`` and/or ``parquet``."""
    import pyarrow.parquet as pq

    result = BatchResult()
    began = time.perf_counter()
    tick = on_item or (lambda _: None)
    model_name = loader().name  # here, a missing model fails early with a clear message
    done = store.hashes(model_name) if store else set()
    writer = pq.ParquetWriter(parquet, analysis_schema()) if parquet else None
    try:
        iterator = iter(items)
        while chunk := list(itertools.islice(iterator, CHUNK)):
            rows = _new_rows(chunk, store, done, result, tick)
            if rows:
                _init(address or os.environ.get("RAY_ADDRESS"), workers)
                _run_chunk(rows, store, writer, loader, workers, batch_size, result, tick)
    finally:
        if writer:
            writer.close()
    result.seconds = time.perf_counter() - began
    return result


def _run_chunk(
    rows: list[dict[str, Any]],
    store: Store | None,
    writer: Any,
    loader: ModelLoader,
    workers: int,
    batch_size: int,
    result: BatchResult,
    tick: Callable[[Outcome], None],
) -> None:
    """Analyse one chunk of rows on a Ray Data actor pool, storing batches as they come."""
    import ray

    # about one batch per block, and at least one block per actor (and no more actors than rows)
    workers = min(workers, len(rows))
    blocks = min(len(rows), max(workers, -(-len(rows) // batch_size)))
    with warnings.catch_warnings():
        # Ray Data hands its map actors an object reference, and Ray's core then logs an
        # error-level line on every run that such actors cannot be restarted (Ray issue
        # 57733). Without restarts there is nothing to warn of: a failed run is rerun, and
        # the articles already stored are skipped. Ray deprecates this way of saying it
        # (removed in Ray 2.64, hence the cap in pyproject.toml) and offers no other yet.
        warnings.simplefilter("ignore", DeprecationWarning)
        dataset = ray.data.from_items(rows, override_num_blocks=blocks).map_batches(
            Analyzer,
            fn_constructor_args=(loader,),
            compute=ray.data.ActorPoolStrategy(size=workers),
            batch_size=batch_size,
            batch_format="pyarrow",
            num_cpus=1,
            max_restarts=0,
        )
    batches: Iterable[Any] = dataset.iter_batches(batch_size=None, batch_format="pyarrow")
    for batch in batches:
        good = []
        for row in batch.to_pylist():
            if row["error"]:
                _failed(store, result, row["id"], content_hash(row["text"]), row["error"])
                tick("failed")
            else:
                good.append(row)
        if store:
            store.add_many(analysis_from_row(row) for row in good)
        if writer and good:
            writer.write_table(batch.filter(batch["error"].is_null()).drop(["error"]))
        result.stored += len(good)
        for _ in good:
            tick("stored")


def _new_rows(
    items: Iterable[Item],
    store: Store | None,
    done: set[str],
    result: BatchResult,
    tick: Callable[[Outcome], None],
) -> list[dict[str, Any]]:
    """The articles to analyse, as rows; unreadable and already stored ones are counted."""
    rows = []
    for item in items:
        if isinstance(item, Unreadable):
            _failed(store, result, item.id, "", item.error)
            tick("failed")
        elif (digest := content_hash(item.text)) in done:
            result.skipped += 1
            tick("skipped")
        else:
            done.add(digest)
            fields = [{"name": name, "value": value} for name, value in item.fields]
            rows.append({"id": item.id, "text": item.text, **item.metadata(), "fields": fields})
    return rows


def _init(address: str | None, workers: int) -> None:
    """Connect to the Ray cluster at ``address``, or start a local one with ``workers`` CPUs."""
    import ray

    if ray.is_initialized():
        return
    import ray.data

    for name in ("ray", "ray.data"):
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.getLogger("ray.data._internal.progress").setLevel(logging.ERROR)
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(
            num_cpus=workers,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    ray.data.DataContext.get_current().enable_progress_bars = False


def _failed(store: Store | None, result: BatchResult, ident: str, digest: str, error: str) -> None:
    if store:
        store.record_failure(ident, digest, error)
    result.failed += 1
    result.errors.append(f"{ident}: {error}")
