"""How analysis cost grows with the length of one text: seconds per MB and peak memory.

Usage: python benchmarks/bench_scaling.py ../shared/ptc/train-articles [--sizes 0.2,1,2,5]

Builds one text of each size (in MB) by joining the folder's articles, analyses it with the
bundled model in a fresh process, and prints seconds, seconds per MB relative to the smallest
size, and the process's peak resident memory. Linear cost means a ratio near 1.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ONE_RUN = """
import json, resource, sys, time
from propscan.article import Article
from propscan.model.bundle import load_model
from propscan.pipeline import analyze
text = open(sys.argv[1], encoding="utf-8").read()
model = load_model()
started = time.perf_counter()
spans = len(analyze(Article(id="long", text=text), model).spans)
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "spans": spans}))
"""


def build_text(folder: Path, size_mb: float) -> str:
    """The folder's articles joined by blank lines, repeated and cut to ``size_mb`` MB."""
    articles = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    corpus = "\n\n".join(articles)
    wanted = int(size_mb * 1_000_000)
    return (corpus * (wanted // len(corpus) + 1))[:wanted]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("--sizes", default="0.2,1,2,5", help="text sizes in MB")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/propscan-scaling.txt"))
    args = parser.parse_args()
    baseline = None
    print("size MB | seconds | s per MB | vs smallest | peak MB | spans")
    for size in (float(s) for s in args.sizes.split(",")):
        args.scratch.write_text(build_text(args.articles, size), encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-c", ONE_RUN, str(args.scratch)],
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(run.stdout)
        per_mb = result["seconds"] / size
        baseline = baseline or per_mb
        print(
            f"{size:7.1f} | {result['seconds']:7.1f} | {per_mb:8.1f} | {per_mb / baseline:11.2f} | "
            f"{result['peak_mb']:7.0f} | {result['spans']}"
        )
    args.scratch.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
