"""propscan against the peer a user would pick instead, side by side in one run.

Usage: python benchmarks/bench_peer.py ../shared/ptc [--rounds 2]

The peer is a bert-base-size token tagger (``BertForTokenClassification`` with bert-base's
shape: 12 layers, 768 wide, 110 M weights; its weights are random, which costs the same time as
trained ones) run the standard way: transformers + PyTorch eager, a fast tokenizer cutting each
article into 512-piece windows, every window of an article in one batch, PyTorch's default
threads. Both analyse the 75 held-out articles of fold 0 (the evaluation's split) in a fresh
process each, alternating (propscan, peer, propscan, peer, ...); articles/s and peak resident
memory of each process are printed, and the speed ratio of the medians. Needs the train extra.

This process picks the articles and hands their texts to each run in a JSON file, so that a run
imports only what it analyses with (choosing the split needs scikit-learn and pandas, 158 MB
that a user's process never loads; the first version of this benchmark counted them in
propscan's peak).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from propscan.tasks.ptc import read_corpus
from propscan.train.evaluation import hold_out
from propscan.train.transformer import default_encoder

PROPSCAN = """
import json, resource, sys, time
from pathlib import Path
from propscan.article import Article
from propscan.model.bundle import load_model
from propscan.pipeline import analyze_many
articles = [Article(i, t) for i, t in json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))]
model = load_model()
began = time.perf_counter()
spans = sum(len(a.spans) for a in analyze_many(articles, model))
seconds = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"articles": len(articles), "seconds": seconds, "peak_mb": peak}))
"""

PEER = """
import json, resource, sys, time
from pathlib import Path
import torch
from transformers import AutoTokenizer, BertConfig, BertForTokenClassification
texts = [t for _, t in json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))]
tokenizer = AutoTokenizer.from_pretrained(sys.argv[2])
model = BertForTokenClassification(BertConfig(num_labels=3)).eval()
began = time.perf_counter()
with torch.inference_mode():
    for text in texts:
        batch = tokenizer(text, max_length=512, truncation=True, padding=True,
                          return_overflowing_tokens=True, return_tensors="pt")
        batch.pop("overflow_to_sample_mapping", None)
        model(**batch).logits.argmax(-1)
seconds = time.perf_counter() - began
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"articles": len(texts), "seconds": seconds, "peak_mb": peak}))
"""


def run(program: str, *arguments: str) -> dict[str, float]:
    """One fresh process's figures."""
    done = subprocess.run(
        [sys.executable, "-c", program, *arguments], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a PTC release folder, e.g. ../shared/ptc")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    _, test = hold_out(read_corpus(args.corpus), 0)
    figures: dict[str, list[dict[str, float]]] = {"propscan": [], "peer": []}
    with tempfile.TemporaryDirectory() as folder:
        texts = Path(folder) / "articles.json"
        texts.write_text(json.dumps([(a.id, a.text) for a in test.articles]), encoding="utf-8")
        programs = {
            "propscan": (PROPSCAN, str(texts)),
            "peer": (PEER, str(texts), str(default_encoder())),
        }
        for _ in range(args.rounds):
            for name, (program, *arguments) in programs.items():
                figures[name].append(run(program, *arguments))
                last = figures[name][-1]
                print(
                    f"{name}: {last['articles']:.0f} articles in {last['seconds']:.1f} s = "
                    f"{last['articles'] / last['seconds']:.2f} articles/s, "
                    f"peak {last['peak_mb']:.0f} MB",
                    flush=True,
                )
    speed = {
        name: statistics.median(r["articles"] / r["seconds"] for r in runs)
        for name, runs in figures.items()
    }
    print(
        f"median: propscan {speed['propscan']:.2f} articles/s, peer {speed['peer']:.2f} "
        f"articles/s: propscan is {speed['propscan'] / speed['peer']:.1f}x as fast"
    )


if __name__ == "__main__":
    main()
