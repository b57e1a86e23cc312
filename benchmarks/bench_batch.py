"""Throughput of ``propscan analyze INPUT --db``: articles/s with 1 and 2 worker processes.

Each run analyses the whole input into a fresh SQLite store with the bundled model; the time
includes starting the workers and loading the model in each. A second run over the same store
measures how fast a resumed run skips what is already stored.

    python benchmarks/bench_batch.py ../shared/ptc/train-articles --workers 1 2
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from propscan.corpus.batch import BatchResult, model_loader, run_batch
from propscan.corpus.sources import open_source
from propscan.corpus.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", type=Path, help="folder, .jsonl, .csv or .parquet")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting (best is kept)")
    args = parser.parse_args()
    print(
        f"input: {args.input} ({len(open_source(args.input))} articles), "
        f"{os.cpu_count()} cores, load average before: {os.getloadavg()[0]:.2f}"
    )
    print("| workers | stored | best s | articles/s (best) | all runs, s | rerun: skipped in s |")
    print("|---|---|---|---|---|---|")
    for workers in args.workers:
        runs = [_run(args.input, workers) for _ in range(args.repeat)]
        best, again = min(runs, key=lambda run: run[0].seconds)
        times = " / ".join(f"{first.seconds:.1f}" for first, _ in runs)
        print(
            f"| {workers} | {best.stored} | {best.seconds:.1f} | {best.stored / best.seconds:.1f} "
            f"| {times} | {again.skipped} in {again.seconds:.2f} |"
        )
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def _run(path: Path, workers: int) -> tuple[BatchResult, BatchResult]:
    """A fresh store filled from ``path``, then a rerun over it that skips everything."""
    with tempfile.TemporaryDirectory() as folder, Store(f"sqlite:///{folder}/bench.db") as store:
        loader = model_loader()
        first = run_batch(open_source(path), store, workers=workers, loader=loader)
        again = run_batch(open_source(path), store, workers=workers, loader=loader)
    return first, again


if __name__ == "__main__":
    main()
