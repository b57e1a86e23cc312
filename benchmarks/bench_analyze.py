"""Analysis speed and memory: every article of a folder, end to end, in one process.

Usage: python benchmarks/bench_analyze.py ../shared/ptc/train-articles [--model DIR]
           [--torch DIR] [--taxonomy ptc2020|semeval2023] [--parallel N] [--entities]

Prints the cold start (a new process: imports, model load, first article analysed), model load
time, articles/s (``--parallel`` at once, as ``propscan analyze`` runs, and one at a time),
characters/s, peak resident memory and model size. With ``--torch DIR`` (the
``fp32`` folder that transformer training leaves, with ``si.pt`` and ``tc.pt``) the same articles
are analysed again with the same weights run by PyTorch eager instead of ONNX Runtime (same
tokenisation and decoding), and the speed ratio is printed. That needs the ``train`` extra.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from propscan.cores import available_cores
from propscan.model.bundle import DEFAULT_MODEL_DIR, Model, read_model
from propscan.pipeline import analyze_many
from propscan.tasks.ptc import read_articles
from propscan.techniques import TAXONOMIES, TaxonomyKey

COLD_START = """
import time, sys
started = time.perf_counter()
from pathlib import Path
from propscan.text.ingest import read_file
from propscan.model.bundle import load_model
from propscan.pipeline import analyze
analyze(read_file(Path(sys.argv[1])), load_model(Path(sys.argv[2])))
print(time.perf_counter() - started)
"""


class TorchSession:
    """Stands in for an ONNX Runtime session: runs a saved torch module on the same inputs."""

    def __init__(self, path: Path, threads: int) -> None:
        import torch

        torch.set_num_threads(threads)
        self.torch = torch
        self.module = torch.load(path, weights_only=False).eval()

    def run(self, _names: list[str], feeds: dict[str, Any]) -> list[Any]:
        with self.torch.inference_mode():
            logits = self.module(*(self.torch.from_numpy(v) for v in feeds.values()))
        return [logits.numpy()]


def analyse_all(
    articles: list[Any], model: Model, taxonomy: TaxonomyKey = "ptc2020", parallel: int = 1
) -> tuple[float, int]:
    """Seconds to analyse every article, ``parallel`` at once, and the spans found."""
    began = time.perf_counter()
    spans = sum(len(a.spans) for a in analyze_many(articles, model, taxonomy, parallel=parallel))
    return time.perf_counter() - began, spans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", type=Path)
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--torch", type=Path, help="folder with si.pt and tc.pt (same weights)")
    parser.add_argument("--taxonomy", choices=list(TAXONOMIES), default="ptc2020")
    parser.add_argument(
        "--parallel",
        type=int,
        default=available_cores(),
        help="articles analysed at once, as 'propscan analyze' does (default: the usable cores)",
    )
    parser.add_argument(
        "--entities", action="store_true", help="also time the attribution stage (--entities)"
    )
    args = parser.parse_args()

    articles = read_articles(args.articles)
    first = sorted(args.articles.glob("*.txt"))[0]
    cold = subprocess.run(
        [sys.executable, "-c", COLD_START, str(first), str(args.model)],
        capture_output=True,
        text=True,
        check=True,
    )
    started = time.perf_counter()
    model = read_model(args.model)
    loaded = time.perf_counter()
    seconds, spans = analyse_all(articles, model, args.taxonomy, args.parallel)
    alone, _ = analyse_all(articles, model, args.taxonomy, 1)

    characters = sum(len(a.text) for a in articles)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    size_mb = sum(f.stat().st_size for f in args.model.iterdir() if f.is_file()) / 1e6
    print(f"model: {args.model} ({size_mb:.1f} MB on disk), loaded in {loaded - started:.2f} s")
    print(f"cold start (new process to first article analysed): {float(cold.stdout):.2f} s")
    print(f"taxonomy: {args.taxonomy}")
    print(f"articles: {len(articles)}, characters: {characters}, spans found: {spans}")
    print(
        f"analysis, {args.parallel} at once (as 'propscan analyze' runs): {seconds:.1f} s = "
        f"{len(articles) / seconds:.2f} articles/s, "
        f"{characters / seconds / 1000:.0f} k characters/s"
    )
    print(f"analysis, one at a time: {alone:.1f} s = {len(articles) / alone:.2f} articles/s")
    print(f"peak resident memory: {peak_mb:.0f} MB")
    if args.entities:
        from propscan.attribute import attribute

        analyses = list(analyze_many(articles, model, args.taxonomy, parallel=1))
        attribute(analyses[0])
        began = time.perf_counter()
        for analysis in analyses:
            attribute(analysis)
        extra = time.perf_counter() - began
        print(
            f"attribution (--entities), one at a time: {extra:.1f} s = "
            f"{extra / len(articles):.3f} s per article, {extra / alone:.0%} of the analysis"
        )
    if args.torch:
        threads = model.tagger.session.get_session_options().intra_op_num_threads  # type: ignore[attr-defined]
        model.tagger.session = TorchSession(args.torch / "si.pt", threads)  # type: ignore[attr-defined]
        model.classifier.session = TorchSession(args.torch / "tc.pt", threads)  # type: ignore[attr-defined]
        eager, eager_spans = analyse_all(articles, model, args.taxonomy, 1)
        print(
            f"PyTorch eager, same weights (fp32), {threads} threads: {eager:.1f} s = "
            f"{len(articles) / eager:.2f} articles/s, {eager_spans} spans found; "
            f"propscan ({args.parallel} at once) is {eager / seconds:.2f}x as fast"
        )


if __name__ == "__main__":
    main()
