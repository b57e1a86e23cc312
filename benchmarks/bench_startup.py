"""Command start-up: how long a user waits for ``propscan --version``, ``--help``, and one short
article analysed from a cold start (a new process each time: imports, model load, analysis).

Usage: python benchmarks/bench_startup.py [--runs 7] [--propscan PATH]

Runs each command ``--runs`` times in a new process and prints the median and the slowest wall
time, beside the goals of the layout and speed issues (``--version`` and ``--help`` < 0.5 s, one
short article < 1 s). Also prints what ``import propscan`` and ``import propscan.cli`` cost.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHORT_ARTICLE = (
    "Council caves again\n\n"
    "The spineless council has once again betrayed the hard-working families of this town. "
    "Everyone knows the truth: they only listen to their wealthy friends.\n"
)
GOALS = {"--version": 0.5, "--help": 0.5, "analyze": 1.0}


def wall(command: list[str]) -> float:
    """Seconds one run of ``command`` takes, from start to exit (output discarded)."""
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--propscan", help="The propscan command (default: the one on PATH).")
    args = parser.parse_args()
    propscan = args.propscan or shutil.which("propscan") or "propscan"
    with tempfile.TemporaryDirectory() as folder:
        article = Path(folder) / "short.txt"
        article.write_text(SHORT_ARTICLE, encoding="utf-8")
        commands = {
            "--version": [propscan, "--version"],
            "--help": [propscan, "--help"],
            "analyze": [propscan, "analyze", str(article)],
            "import propscan": [sys.executable, "-c", "import propscan"],
            "import propscan.cli": [sys.executable, "-c", "import propscan.cli"],
        }
        wall(commands["analyze"])  # the first run warms the file cache, as a user's second does
        print(f"{'command':<22}{'median s':>10}{'slowest s':>11}{'goal s':>8}")
        for name, command in commands.items():
            times = [wall(command) for _ in range(args.runs)]
            goal = GOALS.get(name)
            median = statistics.median(times)
            met = "" if goal is None else ("  met" if median < goal else "  MISSED")
            shown = f"{goal:>8.1f}" if goal is not None else f"{'':>8}"
            print(f"{name:<22}{median:>10.2f}{max(times):>11.2f}{shown}{met}")


if __name__ == "__main__":
    main()
