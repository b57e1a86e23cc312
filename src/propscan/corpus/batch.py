"""Resumable batch analysis into a corpus store, on a local pool of worker processes.

Each worker loads the model once. The parent reads the inputs, skips articles already stored
with the same model (by text hash), and is the only writer: every article is committed with its
spans and counts in one transaction, so an interrupted run leaves whole articles only and a
rerun picks up where it stopped. An article whose analysis raises is recorded as a failure.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Literal

from propscan.article import Analysis, Article
from propscan.cores import available_cores
from propscan.corpus.sources import Item, Unreadable
from propscan.corpus.store import Store, content_hash
from propscan.errors import PropscanError, StoreError
from propscan.model import THREADS_VARIABLE
from propscan.model.bundle import Model, load_model
from propscan.pipeline import STORED_TAXONOMY, analyze

Outcome = Literal["stored", "updated", "skipped", "failed"]
ModelLoader = Callable[[], Model]

_model: Model | None = None
_load_error: PropscanError | None = None
_attributing = False
"""Whether this worker attributes its analyses (``--entities``)."""


@dataclass
class BatchResult:
    """What a run did; ``errors`` holds 'ID: reason' for each failed article. ``updated``
    counts articles already stored whose metadata (title, source, URL, date) changed."""

    stored: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    untested: Counter[str] = field(default_factory=Counter)
    """Stored articles per language the model was not trained on (their results untested)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, turned into an interruption like Ctrl-C (see ``sigterm_as_interrupt``)."""


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM (from timeout, systemd, docker) stops the run as Ctrl-C does:
    finished articles are committed and the workers shut down. Main thread only."""

    def interrupt(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def model_loader(model_dir: Path | None = None) -> ModelLoader:
    """A picklable loader of the bundled model, or of the model in ``model_dir``."""
    return partial(load_model, model_dir)


def run_batch(
    items: Iterable[Item],
    store: Store,
    *,
    workers: int = 1,
    loader: ModelLoader = load_model,
    on_item: Callable[[Outcome], None] | None = None,
    commit_every: int = 16,
    commit_seconds: float = 1.0,
    entities: bool = False,
) -> BatchResult:
    """Analyse ``items`` into ``store`` with ``workers`` processes (1: in this process); with
    ``entities``, with voices, targets and entities too (``propscan.attribute``)."""
    result = BatchResult()
    began = time.perf_counter()
    executor: Executor
    if workers > 1:
        executor = ProcessPoolExecutor(
            workers,
            mp_context=_context(),
            initializer=_init_worker,
            initargs=(
                loader,
                True,
                max(1, available_cores() // workers),
                os.getpid(),
                entities,
            ),
        )
    else:
        _init_worker(loader, False, None, None, entities)
        executor = _Inline()
    with _Writer(store, result, on_item, commit_every, commit_seconds) as writer:
        try:
            model_name = executor.submit(_model_name).result()
            done = store.hashes(model_name)
            pending: set[Future[Analysis | str]] = set()
            for item in items:
                if isinstance(item, Unreadable):
                    writer.fail(item.id, "", item.error)
                    continue
                digest = content_hash(item.text)
                if digest in done:
                    writer.skip(item, model_name)
                    continue
                done.add(digest)
                future = executor.submit(_analyze, item)
                future.add_done_callback(partial(writer.attach, item, digest))
                pending.add(future)
                if len(pending) >= 4 * workers:
                    _, pending = wait(pending, return_when=FIRST_COMPLETED)
                writer.flush_if_due()
            wait(pending)
        finally:
            executor.shutdown(wait=True, cancel_futures=True)
    result.seconds = time.perf_counter() - began
    return result


class _Writer:
    """Collects finished analyses and commits them in small groups from the parent process."""

    def __init__(
        self,
        store: Store,
        result: BatchResult,
        on_item: Callable[[Outcome], None] | None,
        every: int,
        seconds: float,
    ) -> None:
        self.store, self.result, self.on_item = store, result, on_item
        self.every, self.seconds = every, seconds
        self.buffer: list[Analysis] = []
        self.finished: list[tuple[Article, str, Analysis | str]] = []
        self.last = time.monotonic()

    def __enter__(self) -> _Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        """Commit what is finished, even when the run is interrupted."""
        self.flush()

    def attach(self, article: Article, digest: str, future: Future[Analysis | str]) -> None:
        """Future callback (may run on the pool's thread): queue the outcome for the parent."""
        if not future.cancelled():
            outcome = future.result() if future.exception() is None else repr(future.exception())
            self.finished.append((article, digest, outcome))

    def skip(self, article: Article, model: str) -> None:
        """An article already stored: keep its analysis, take its new metadata if any."""
        if self.store.update_metadata(article, model):
            self.result.updated += 1
            self._tick("updated")
        else:
            self.result.skipped += 1
            self._tick("skipped")

    def fail(self, ident: str, digest: str, error: str) -> None:
        self.store.record_failure(ident, digest, error)
        self.result.failed += 1
        self.result.errors.append(f"{ident}: {error}")
        self._tick("failed")

    def flush_if_due(self) -> None:
        self._drain()
        due = time.monotonic() - self.last >= self.seconds
        if len(self.buffer) >= self.every or (self.buffer and due):
            self.flush()

    def flush(self) -> None:
        """Commit the finished analyses as one group; if the group fails, one by one, so that
        an article the store refuses is recorded as a failure and the others are kept."""
        self._drain()
        self.last = time.monotonic()
        if not self.buffer:
            return
        try:
            self.store.add_many(self.buffer)
            stored = self.buffer
        except StoreError:
            stored = [analysis for analysis in self.buffer if self._add_alone(analysis)]
        for analysis in stored:
            self.result.stored += 1
            if analysis.untested_language and analysis.language:
                self.result.untested[analysis.language] += 1
            self._tick("stored")
        self.buffer = []

    def _add_alone(self, analysis: Analysis) -> bool:
        try:
            self.store.add(analysis)
        except StoreError as error:
            article = analysis.article
            self.fail(article.id, content_hash(article.text), f"not stored: {error}")
            return False
        return True

    def _drain(self) -> None:
        while self.finished:
            article, digest, outcome = self.finished.pop(0)
            if isinstance(outcome, Analysis):
                self.buffer.append(outcome)
            else:
                self.fail(article.id, digest, outcome)

    def _tick(self, outcome: Outcome) -> None:
        if self.on_item:
            self.on_item(outcome)


class _Inline(Executor):
    """Runs each task at once in this process: the one-worker case, without a pool."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:
            future.set_exception(error)
        return future


def _context() -> multiprocessing.context.BaseContext:
    """Fork workers from a fresh server process that has imported the pipeline: they start
    fast and, unlike plain fork, inherit no database connection or thread of this process."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["propscan.pipeline"])
    return context


def _init_worker(
    loader: ModelLoader,
    in_pool: bool,
    threads: int | None,
    parent: int | None,
    entities: bool = False,
) -> None:
    """Load the model once per worker; pool workers leave Ctrl-C and SIGTERM to the parent,
    exit when it dies, and share the cores (``threads`` each, for multi-threaded models).
    With ``entities`` each analysis is attributed too."""
    global _model, _load_error, _attributing
    _model, _load_error, _attributing = None, None, entities
    if in_pool:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    if threads is not None:
        os.environ[THREADS_VARIABLE] = str(threads)
    try:
        _model = loader()
    except PropscanError as error:  # raised again by _model_name, in the parent
        _load_error = error


def _exit_with(parent: int) -> None:
    """Wait for the ``parent`` process to end (even by kill -9), then end this worker."""
    try:
        handle = os.pidfd_open(parent)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd (not Linux, or an old kernel): poll instead
        while _alive(parent):
            time.sleep(0.5)
        os._exit(1)
    select.select([handle], [], [])
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def _model_name() -> str:
    if _model is None:
        raise _load_error or PropscanError("the model was not loaded")
    return _model.name


def _analyze(article: Article) -> Analysis | str:
    """The analysis of one article, or its error as 'Type: message'."""
    assert _model is not None
    try:
        analysis = analyze(article, _model, STORED_TAXONOMY)
        if _attributing:
            from propscan.attribute import attribute

            analysis = attribute(analysis)
        return analysis
    except Exception as error:
        return f"{type(error).__name__}: {error}"
