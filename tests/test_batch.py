"""Resumable batch analysis: local pool, failures, interruption, and the Ray engine."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import FakeClassifier, FakeTagger, reset_postgres
from propscan.article import Analysis, Article
from propscan.corpus import ray_engine
from propscan.corpus.batch import model_loader, run_batch
from propscan.corpus.sources import Unreadable
from propscan.corpus.store import Filters, Store
from propscan.errors import ModelNotFound
from propscan.model.bundle import Model

TESTS = Path(__file__).resolve().parent


class FailingTagger(FakeTagger):
    """Fails on articles that mention 'poison'."""

    def detect(self, text: str, *, spans_only: bool = False) -> list[tuple[int, int, float]]:
        if "poison" in text:
            raise ValueError("poisoned article")
        return super().detect(text, spans_only=spans_only)


def fake_loader() -> Model:
    """A picklable loader of a fake model (pool workers call it)."""
    return Model("fake", FailingTagger(["corrupt elites", "brave patriots"]), FakeClassifier())


def corpus(n: int) -> list[Article]:
    return [
        Article(f"n{i}", f"Article {i}: the corrupt elites fear the brave patriots, {i} times.")
        for i in range(n)
    ]


def stored_ids(store: Store) -> list[str]:
    return sorted(s.external_id for s in store.search(limit=10_000))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(f"sqlite:///{tmp_path / 'corpus.db'}")


@pytest.mark.parametrize("workers", [1, 2])
def test_stores_every_article_once_and_a_rerun_skips_them(store: Store, workers: int) -> None:
    seen: list[str] = []
    result = run_batch(corpus(12), store, workers=workers, loader=fake_loader, on_item=seen.append)
    assert (result.stored, result.skipped, result.failed) == (12, 0, 0)
    assert seen == ["stored"] * 12
    assert stored_ids(store) == sorted(f"n{i}" for i in range(12))
    assert store.stats("technique")[0].spans == 24  # two phrases in each, both loaded language
    again = run_batch(corpus(12), store, workers=workers, loader=fake_loader)
    assert (again.stored, again.skipped, again.failed) == (0, 12, 0)
    assert store.count() == 12


def test_workers_give_the_same_analyses_as_one_process(tmp_path: Path) -> None:
    one, two = Store(f"sqlite:///{tmp_path / '1.db'}"), Store(f"sqlite:///{tmp_path / '2.db'}")
    run_batch(corpus(9), one, workers=1, loader=fake_loader)
    run_batch(corpus(9), two, workers=2, loader=fake_loader)
    by_id = {
        name: {s.analysis.article.id: s.analysis for s in db.iter_articles()}
        for name, db in (("one", one), ("two", two))
    }
    assert by_id["one"] == by_id["two"]


@pytest.mark.parametrize("workers", [1, 2])
def test_failures_are_recorded_and_do_not_stop_the_run(store: Store, workers: int) -> None:
    items = [
        *corpus(3),
        Article("bad", "This article is poison for the tagger."),
        Unreadable("unreadable", "unreadable.txt: empty article"),
        *corpus(6)[3:],
    ]
    result = run_batch(items, store, workers=workers, loader=fake_loader)
    assert (result.stored, result.skipped, result.failed) == (6, 0, 2)
    assert sorted(result.errors) == [
        "bad: ValueError: poisoned article",
        "unreadable: unreadable.txt: empty article",
    ]
    assert sorted((f.external_id, f.error) for f in store.failures()) == [
        ("bad", "ValueError: poisoned article"),
        ("unreadable", "unreadable.txt: empty article"),
    ]
    rerun = run_batch(items, store, workers=workers, loader=fake_loader)
    assert (rerun.stored, rerun.skipped, rerun.failed) == (0, 6, 2)  # failures are retried


def test_the_same_text_twice_in_one_input_is_stored_once(store: Store) -> None:
    twice = [*corpus(2), Article("copy", corpus(1)[0].text)]
    result = run_batch(twice, store, loader=fake_loader)
    assert (result.stored, result.skipped) == (2, 1)


KILLED_RUN = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, whatever the parent
from pathlib import Path
sys.path.insert(0, {tests!r})
from conftest import FakeClassifier, FakeTagger
from propscan.corpus.batch import model_loader, run_batch
from propscan.errors import ModelNotFound
from propscan.model.bundle import Model
from propscan.corpus.sources import open_source
from propscan.corpus.store import Store


class SlowTagger(FakeTagger):
    def detect(self, text, *, spans_only=False):
        time.sleep({delay})
        return super().detect(text, spans_only=spans_only)


def loader():
    return Model("fake", SlowTagger(["corrupt elites", "brave patriots"]), FakeClassifier())


if __name__ == "__main__":
    result = run_batch(open_source(Path(sys.argv[1])), Store(sys.argv[2]), workers=2,
                       loader=loader, commit_every=3)
    print(result.stored, result.skipped, result.failed)
"""


def _run(tmp_path: Path, folder: Path, url: str, delay: float) -> subprocess.Popen[str]:
    script = tmp_path / f"run_{delay}.py"
    script.write_text(KILLED_RUN.format(tests=str(TESTS), delay=delay), encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, str(script), str(folder), url],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _backends(tmp_path: Path, *, with_postgres: bool) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'killed.db'}"]
    postgres = os.environ.get("PROPSCAN_TEST_POSTGRES_URL")
    if postgres and with_postgres:
        reset_postgres(postgres)
        urls.append(postgres)
    return urls


@pytest.mark.issue(5)
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["killed", "ctrl-c"])
def test_an_interrupted_run_resumes_and_stores_every_article_once(
    tmp_path: Path, sig: signal.Signals
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    n = 40
    for article in corpus(n):
        (folder / f"{article.id}.txt").write_text(article.text, encoding="utf-8")
    for url in _backends(tmp_path, with_postgres=sig == signal.SIGKILL):
        run = _run(tmp_path, folder, url, delay=0.3)  # cut midway even when busy
        with Store(url) as store:
            deadline = time.monotonic() + 60
            while store.count() < 6 and time.monotonic() < deadline and run.poll() is None:
                time.sleep(0.05)
            os.killpg(run.pid, sig)  # the run and its workers, mid-article
            run.communicate(timeout=30)
            before = store.count()
            assert 6 <= before < n, f"{url}: not killed midway ({before} stored)"
        rerun = _run(tmp_path, folder, url, delay=0.0)
        out, _ = rerun.communicate(timeout=120)
        assert rerun.returncode == 0
        stored, skipped, failed = map(int, out.split())
        assert (stored + skipped, skipped, failed) == (n, before, 0)
        with Store(url) as store:
            assert stored_ids(store) == sorted(f"n{i}" for i in range(n))
            _assert_no_half_written_article(store)


def _assert_no_half_written_article(store: Store) -> None:
    """Every article has its spans and counts, and there are no orphans."""
    engine = sa.create_engine(store._engine.url)
    with engine.connect() as conn:
        n_spans = conn.execute(sa.text("SELECT sum(n_spans) FROM articles")).scalar()
        spans = conn.execute(sa.text("SELECT count(*) FROM spans")).scalar()
        counted = conn.execute(sa.text("SELECT sum(n) FROM counts")).scalar()
        orphans = conn.execute(
            sa.text("SELECT count(*) FROM spans WHERE article_id NOT IN (SELECT id FROM articles)")
        ).scalar()
    engine.dispose()
    assert n_spans == spans == counted and orphans == 0


def test_ray_engine_stores_and_writes_parquet(
    store: Store, tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ray = pytest.importorskip("ray")
    import pyarrow.parquet as pq

    from propscan.corpus.ray_engine import run_ray

    # Ray's workers import this module and conftest by name to unpickle the fake model.
    ray.init(
        num_cpus=2, include_dashboard=False, runtime_env={"env_vars": {"PYTHONPATH": str(TESTS)}}
    )
    monkeypatch.setattr(ray_engine, "CHUNK", 2)
    read: list[str] = []
    writes: list[tuple[int, int]] = []  # (articles read, articles stored) at each write
    add_many = store.add_many

    def recorded_add_many(batch: Iterable[Analysis]) -> list[int]:
        writes.append((len(read), store.count()))
        return add_many(batch)

    monkeypatch.setattr(store, "add_many", recorded_add_many)

    def lazily(items: list[Article]) -> Iterator[Article]:
        for item in items:
            read.append(item.id)
            yield item

    try:
        fielded = [replace(a, fields=(("bias_text", "left"),)) for a in corpus(5)]
        items = [*fielded, Article("bad", "poison")]
        parquet = tmp_path / "out.parquet"
        result = run_ray(lazily(items), store=store, parquet=parquet, loader=fake_loader, workers=2)
        assert (result.stored, result.skipped, result.failed) == (5, 0, 1)
        # the input is read a chunk at a time, not all before the first article is stored
        assert all(n_read <= n_stored + 2 for n_read, n_stored in writes)
        assert store.count(Filters(fields=(("bias_text", "left"),))) == 5
        assert stored_ids(store) == [f"n{i}" for i in range(5)]
        assert sorted(pq.read_table(parquet).column("id").to_pylist()) == stored_ids(store)
        assert [f.external_id for f in store.failures()] == ["bad"]
        again = run_ray(items, store=store, parquet=None, loader=fake_loader, workers=2)
        assert (again.stored, again.skipped, again.failed) == (0, 5, 1)
    finally:
        ray.shutdown()
    logged = capfd.readouterr().err  # issue 20, item 14: a good run logs no Ray error line
    assert "core_worker.cc" not in logged and "constructor arguments" not in logged


@pytest.mark.parametrize("workers", [1, 2])
def test_a_missing_model_is_reported_as_such(store: Store, tmp_path: Path, workers: int) -> None:
    loader = model_loader(tmp_path / "no-model")
    with pytest.raises(ModelNotFound, match="no model at"):
        run_batch(corpus(2), store, workers=workers, loader=loader)
    assert store.count() == 0
