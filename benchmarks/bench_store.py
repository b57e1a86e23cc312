"""Corpus store speed: inserts/s, then query latency of stats and search over N synthetic articles.

The articles are synthesised (about 80 words from a 5,000-word vocabulary, 50 sources, dates
over 2020-2024, 0-15 technique spans each), so no model runs. Every query is timed 5 times after
one warm-up run; the median is reported.

    python benchmarks/bench_store.py --n 100000                      # SQLite in a temp folder
    python benchmarks/bench_store.py --n 100000 --db postgresql://propscan:propscan@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from propscan.article import Analysis, Article, Span
from propscan.corpus.store import Filters, Store
from propscan.techniques import LABELS

SOURCES = [f"source{i:02d}.example" for i in range(50)]
KEYWORDS = ["election", "ferry", "harbour", "vaccine", "border"]


def synthetic(n: int, seed: int = 0) -> Iterator[Analysis]:
    """``n`` reproducible fake analyses; keyword k of KEYWORDS is in about 1 in 10**k texts."""
    rng = random.Random(seed)
    vocabulary = [f"word{i}" for i in range(5000)]
    for i in range(n):
        words = rng.choices(vocabulary, k=80)
        for k, keyword in enumerate(KEYWORDS, start=1):
            if rng.random() < 10**-k:
                words[rng.randrange(80)] = keyword
        text = " ".join(words)
        spans = []
        for _ in range(rng.randrange(16)):
            start = rng.randrange(len(text) - 40)
            spans.append(Span(start, start + rng.randrange(5, 40), rng.choice(LABELS), 0.5))
        day = rng.randrange(5 * 365)
        date = f"{2020 + day // 365}-{day % 365 // 31 + 1:02d}-{day % 31 % 28 + 1:02d}"
        article = Article(
            f"s{i}", text, title=" ".join(words[:8]), source=rng.choice(SOURCES), date=date
        )
        yield Analysis(article, tuple(spans), model="bench")


def timed(run: Callable[[], Any], repeat: int = 5) -> float:
    """Median wall time of ``run`` in milliseconds, after one warm-up call."""
    run()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--db", help="store URL (default: SQLite in a temporary folder)")
    parser.add_argument("--batch", type=int, default=1000, help="articles per transaction")
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        Store(args.db or f"sqlite:///{folder}/bench.db") as store,
    ):
        if store.count():
            parser.error(f"{store.url} is not empty; give an empty database")
        print(f"store: {store.url}; {os.cpu_count()} cores; load {os.getloadavg()[0]:.2f}")
        _fill(store, args.n, args.batch)
        _queries(store)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def _fill(store: Store, n: int, batch_size: int) -> None:
    began = time.perf_counter()
    batch: list[Analysis] = []
    for analysis in synthetic(n):
        batch.append(analysis)
        if len(batch) == batch_size:
            store.add_many(batch)
            batch = []
    if batch:
        store.add_many(batch)
    seconds = time.perf_counter() - began
    print(f"inserted {store.count()} articles in {seconds:.1f} s: {n / seconds:.0f} articles/s")
    began = time.perf_counter()
    store.add(next(synthetic(1, seed=99)))
    print(f"one more article, own transaction: {(time.perf_counter() - began) * 1000:.1f} ms")


def _queries(store: Store) -> None:
    stats, search = store.stats, store.search
    one_year = Filters(date_from="2022-01-01", date_to="2022-12-31")
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("count()", store.count),
        ("stats by technique", partial(stats, "technique")),
        ("stats by source", partial(stats, "source")),
        ("stats by month", partial(stats, "month")),
        (
            "stats by technique, one source",
            partial(stats, "technique", Filters("source07.example")),
        ),
        ("stats by month, one technique", partial(stats, "month", Filters(technique="Slogans"))),
        ("stats by technique, one year", partial(stats, "technique", one_year)),
        (
            "stats by technique, q='election' (~10%)",
            partial(stats, "technique", Filters(q="election")),
        ),
        ("stats by source, q='vaccine' (~0.01%)", partial(stats, "source", Filters(q="vaccine"))),
        ("search() first page", search),
        ("search(q='ferry') first page", partial(search, Filters(q="ferry"))),
        ("search() page 1000 (offset 50k)", partial(search, offset=49_950)),
        ("get(id)", partial(store.get, 12_345)),
    ]
    print("| query | median ms |")
    print("|---|---|")
    for name, run in cases:
        print(f"| {name} | {timed(run):.1f} |")


if __name__ == "__main__":
    main()
