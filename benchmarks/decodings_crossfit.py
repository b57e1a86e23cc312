"""Would span decodings chosen on the other folds' held-out articles beat each fold's own?

Each fold model of a grouped cross-validation chose its span decoding (threshold, gap merging,
minimum length) on 20 of its training articles. Here, for each fold, the decoding with the best
pooled SI F1 over the other folds' held-out articles (each decoded from its own fold model's
probabilities) is applied to this fold instead (cross-fitting, as the label thresholds are
chosen), and both SI F1s print, with the best this fold could have had (an oracle, for scale)::

    python benchmarks/decodings_crossfit.py ../shared/ptc WORK_DIR [--folds 0 1 2 3 4]

``WORK_DIR`` is a cross-validation work folder (``fold-N/model``). Only the taggers are read,
so models whose technique head no longer loads can be scored too.
"""

from __future__ import annotations

import argparse
import itertools
import json
import statistics
from pathlib import Path

from propscan.model.transformer.tagger import OnnxSpanTagger
from propscan.model.transformer.text import Decoding
from propscan.tasks.ptc import read_corpus
from propscan.tasks.scoring import SpanLabel, score_si
from propscan.train.evaluation import hold_out

GRID = [
    Decoding(threshold, gap, length)
    for threshold, gap, length in itertools.product(
        (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6), (0, 5, 10, 25, 40, 60), (1, 4, 8, 12)
    )
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("work_dir", type=Path)
    parser.add_argument("--folds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    args = parser.parse_args()
    corpus = read_corpus(args.corpus)
    gold: dict[int, list[SpanLabel]] = {}
    own: dict[int, Decoding] = {}
    found: dict[tuple[int, Decoding], list[SpanLabel]] = {}
    for fold in args.folds:
        _, test = hold_out(corpus, fold, 5, 0)
        folder = args.work_dir / f"fold-{fold}" / "model"
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        tagger = OnnxSpanTagger.from_settings(folder, manifest["tokenizer"], manifest["si"])
        own[fold] = tagger.spans_only
        gold[fold] = [(a, s, e) for a, _, s, e in test.labels]
        tagged = [tagger.tagged(a.text) for a in test.articles]
        for decoding in {*GRID, own[fold]}:
            found[fold, decoding] = [
                (article.id, start, end)
                for article, view in zip(test.articles, tagged, strict=True)
                for start, end, _ in decoding.spans(view.text, view.encoded, view.probabilities)
            ]

    def f1(folds: list[int], decoding: Decoding) -> float:
        pooled_gold = [g for f in folds for g in gold[f]]
        return score_si(pooled_gold, [p for f in folds for p in found[f, decoding]]).overall.f1

    rows = []
    for fold in args.folds:
        others = [f for f in args.folds if f != fold]
        chosen = max(GRID, key=lambda d: f1(others, d))
        rows.append((f1([fold], own[fold]), f1([fold], chosen)))
        print(
            f"fold {fold}: own {own[fold]} SI {rows[-1][0]:.3f}; cross-fitted {chosen} SI "
            f"{rows[-1][1]:.3f}; best possible here {max(f1([fold], d) for d in GRID):.3f}"
        )
    for name, values in (("own", [r[0] for r in rows]), ("cross-fitted", [r[1] for r in rows])):
        print(f"{name}: {statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}")


if __name__ == "__main__":
    main()
