"""How to spend the cores: ONNX Runtime threads per run, articles at once, and batch sizes.

Usage: python benchmarks/bench_parallel.py ../shared/ptc/train-articles [--articles 64]

Prints, for the bundled model on the first ``--articles`` articles of the folder:

1. articles/s with 1 and with 2 ONNX Runtime threads per model run, analysing 1, 2, 4, 8 and
   16 articles at once (``analyze_many``; each setting in a fresh process);
2. articles/s one article at a time with model runs of one window / one span each, against the
   default batches (8 tagger windows, 32 classifier spans);
3. how far one tagger window's logits move when it is run alone rather than padded into a batch
   with other windows: the int8 model scales its activations per batch, so merging the runs of
   different requests would change each one's results.
"""

from __future__ import annotations

import argparse
import copy
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from propscan.article import Article
from propscan.model.bundle import load_model
from propscan.model.transformer.text import encode, pad, windows
from propscan.pipeline import analyze
from propscan.tasks.ptc import read_articles

ONE_SETTING = """
import sys, time
from pathlib import Path
from propscan.model.bundle import load_model
from propscan.pipeline import analyze, analyze_many
from propscan.tasks.ptc import read_articles
articles = read_articles(Path(sys.argv[1]))[: int(sys.argv[2])]
model = load_model()
analyze(articles[0], model)
began = time.perf_counter()
list(analyze_many(articles, model, parallel=int(sys.argv[3])))
print(len(articles) / (time.perf_counter() - began))
"""


def threads_and_parallel(folder: Path, count: int) -> None:
    print("articles/s by ONNX Runtime threads per run (rows) and articles at once (columns)")
    levels = (1, 2, 4, 8, 16)
    print("threads | " + " | ".join(str(n) for n in levels))
    for threads in (1, 2):
        rates = []
        for parallel in levels:
            done = subprocess.run(
                [sys.executable, "-c", ONE_SETTING, str(folder), str(count), str(parallel)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PROPSCAN_THREADS": str(threads)},
            )
            rates.append(float(done.stdout))
        print(f"{threads} | " + " | ".join(f"{rate:.2f}" for rate in rates))


def batch_sizes(articles: list[Article], count: int) -> None:
    model = load_model()
    for tagger_batch, classifier_batch in ((8, 32), (1, 1)):
        tagger, classifier = copy.copy(model.tagger), copy.copy(model.classifier)
        tagger.batch_size, classifier.batch_size = tagger_batch, classifier_batch  # type: ignore[attr-defined]
        sized = replace(model, tagger=tagger, classifier=classifier)
        analyze(articles[0], sized)
        began = time.perf_counter()
        for article in articles[:count]:
            analyze(article, sized)
        rate = count / (time.perf_counter() - began)
        print(
            f"one at a time, runs of {tagger_batch} windows / {classifier_batch} spans: "
            f"{rate:.2f} articles/s"
        )


def batch_dependence(articles: list[Article]) -> None:
    tagger = load_model().tagger
    rows = []
    for article in articles[:4]:
        encoded = encode(tagger.tokenizer, article.text)  # type: ignore[attr-defined]
        a, b = windows(article.text, encoded, tagger.max_pieces - 2)[0]  # type: ignore[attr-defined]
        specials = tagger.specials  # type: ignore[attr-defined]
        rows.append([specials.cls, *encoded.ids[a:b].tolist(), specials.sep])
    session = tagger.session  # type: ignore[attr-defined]
    alone_ids, alone_mask = pad(rows[:1], tagger.specials.pad)  # type: ignore[attr-defined]
    (alone,) = session.run(["logits"], {"input_ids": alone_ids, "attention_mask": alone_mask})
    ids, mask = pad(rows, tagger.specials.pad)  # type: ignore[attr-defined]
    (batched,) = session.run(["logits"], {"input_ids": ids, "attention_mask": mask})
    length = len(rows[0])
    moved = float(np.abs(alone[0, :length] - batched[0, :length]).max())
    print(
        f"a window's logits, alone vs padded into a batch of {len(rows)}: up to {moved:.3f} apart"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--articles", type=int, default=64)
    args = parser.parse_args()
    articles = read_articles(args.folder)[: args.articles]
    threads_and_parallel(args.folder, args.articles)
    batch_sizes(articles, args.articles)
    batch_dependence(articles)


if __name__ == "__main__":
    main()
