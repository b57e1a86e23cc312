"""Several processes opening a new store at once: migrations run one at a time."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from conftest import POSTGRES_URL, reset_postgres
from propscan.corpus.store import Store


def open_store(url: str) -> str:
    try:
        with Store(url) as store:
            return f"ok {store.count()}"
    except Exception as error:
        return f"{type(error).__name__}: {error}"


@pytest.mark.issue(10)
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_four_processes_open_a_new_store_at_once(tmp_path: Path, backend: str) -> None:
    if backend == "postgresql" and not POSTGRES_URL:
        pytest.skip("no PostgreSQL: run scripts/start-postgres.sh, set PROPSCAN_TEST_POSTGRES_URL")
    # spawn, not fork: a fork of the (multi-threaded) pytest process can hang on a lock that
    # another thread held at fork time, as the full suite once did here
    context = multiprocessing.get_context("spawn")
    with context.Pool(4) as pool:
        for attempt in range(10):
            if backend == "sqlite":
                url = f"sqlite:///{tmp_path / f'new{attempt}.db'}"
            else:
                assert POSTGRES_URL
                reset_postgres(POSTGRES_URL)
                url = POSTGRES_URL
            assert pool.map(open_store, [url] * 4) == ["ok 0"] * 4
