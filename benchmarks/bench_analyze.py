"""Analysis speed and memory: every article of a folder, end to end, in one process.

Usage: python benchmarks/bench_analyze.py ../shared/ptc/train-articles [--model DIR]
Prints model load time, articles/s, characters/s, peak resident memory and model size.
"""

from __future__ import annotations

import argparse
import resource
import time
from pathlib import Path

from propscan.model.bundle import DEFAULT_MODEL_DIR, read_model
from propscan.pipeline import analyze
from propscan.ptc import read_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    args = parser.parse_args()

    articles = read_articles(args.articles)
    started = time.perf_counter()
    model = read_model(args.model)
    loaded = time.perf_counter()
    spans = sum(len(analyze(article, model).spans) for article in articles)
    finished = time.perf_counter()

    seconds = finished - loaded
    characters = sum(len(a.text) for a in articles)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = sum(f.stat().st_size for f in args.model.iterdir()) / 1e6
    print(f"model: {args.model} ({size_mb:.1f} MB on disk), loaded in {loaded - started:.2f} s")
    print(f"articles: {len(articles)}, characters: {characters}, spans found: {spans}")
    print(
        f"analysis: {seconds:.1f} s = {len(articles) / seconds:.1f} articles/s, "
        f"{characters / seconds / 1000:.0f} k characters/s"
    )
    print(f"peak resident memory: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
