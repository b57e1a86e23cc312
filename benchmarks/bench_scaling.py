"""How the cost of one long text compares with ordinary articles: seconds per MB, end to end.

Usage: python benchmarks/bench_scaling.py ../shared/ptc/train-articles [--sizes 0.2,2,5]
           [--articles 75] [--propscan PATH]

The case users hit: ``propscan analyze ONE_LONG_FILE`` (read, analyse, write the terminal view
to a file), timed as a whole command, beside ``propscan analyze FOLDER`` of ``--articles``
ordinary articles of the same corpus. Each long text is one document made by joining the
folder's articles (repeated and cut to the size). Prints seconds, seconds per MB, the ratio to
the articles' seconds per MB (the goal: within 1.5), peak resident memory and spans.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


def build_text(articles: list[str], size_mb: float) -> str:
    """The articles joined by blank lines, repeated and cut to ``size_mb`` MB."""
    corpus = "\n\n".join(articles)
    wanted = int(size_mb * 1_000_000)
    return (corpus * (wanted // len(corpus) + 1))[:wanted]


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and the child's peak resident memory (MB) of one run of ``command``."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("--sizes", default="0.2,2,5", help="long text sizes in MB")
    parser.add_argument("--articles", dest="n_articles", type=int, default=75)
    parser.add_argument("--propscan", default=shutil.which("propscan") or "propscan")
    args = parser.parse_args()
    files = sorted(args.articles.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "articles"
        folder.mkdir()
        for path in files[: args.n_articles]:
            shutil.copy(path, folder)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        seconds, peak = timed([args.propscan, "analyze", str(folder), "-o", "/dev/null"])
        baseline = seconds / size
        print("input | MB | seconds | s per MB | vs articles | peak MB (so far)")
        print(
            f"{args.n_articles} articles | {size:.2f} | {seconds:.1f} | {baseline:.1f} | 1.00 "
            f"| {peak:.0f}"
        )
        for mb in (float(s) for s in args.sizes.split(",")):
            long_file = Path(scratch) / f"long-{mb}.txt"
            long_file.write_text(build_text(texts, mb), encoding="utf-8")
            command = [args.propscan, "analyze", str(long_file), "-o", "/dev/null"]
            limit = str(long_file.stat().st_size + 1)
            seconds, peak = timed([*command, "--max-bytes", limit])
            per_mb = seconds / mb
            print(
                f"one text | {mb:.1f} | {seconds:.1f} | {per_mb:.1f} | {per_mb / baseline:.2f} "
                f"| {peak:.0f}"
            )


if __name__ == "__main__":
    main()
