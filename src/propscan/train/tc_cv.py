"""Grouped k-fold cross-validation of the technique classifier alone (TC: the gold spans given).

Each fold trains only the classifier of the recipe (``TransformerConfig``) on the other folds'
articles, exports it as the shipped model would be (int8 ONNX), and saves the network's raw
probabilities for every gold span of its held-out articles in ``work_dir/fold-N/tc-raw.json``.
Every decision rule on top of them (class priors, the Repetition rules, the joint Repetition
decision) is then chosen and scored on those out-of-fold rows without training again. The run
resumes fold by fold.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from propscan.model.transformer.classifier import OnnxTechniqueClassifier
from propscan.model.transformer.text import load_tokenizer
from propscan.tasks.ptc import Corpus
from propscan.techniques import LABELS
from propscan.train.evaluation import SPLIT, hold_out
from propscan.train.repetition_decider import HeldOutSpan

if TYPE_CHECKING:
    from propscan.train.transformer import TransformerConfig

log = logging.getLogger("propscan.train")
RAW = "tc-raw.json"


def cross_validate_classifier(
    corpus: Corpus,
    work_dir: Path,
    *,
    encoder_dir: Path,
    k: int = 5,
    seed: int = 0,
    config: TransformerConfig | None = None,
) -> list[HeldOutSpan]:
    """Out-of-fold raw probabilities for every gold span of the corpus (trained or read back)."""
    from propscan.train.transformer import TransformerConfig  # torch: only when training

    config = config or TransformerConfig()
    rows: list[HeldOutSpan] = []
    for fold in range(k):
        train_part, test_part = hold_out(corpus, fold, k, seed)
        fold_dir = work_dir / f"fold-{fold}"
        saved = fold_dir / RAW
        if not saved.exists():
            _train_and_score(train_part, test_part, fold_dir, encoder_dir, config, fold, k, seed)
        rows += [
            HeldOutSpan(fold, a, s, e, tuple(g), tuple(r))
            for a, s, e, g, r in json.loads(saved.read_text(encoding="utf-8"))["spans"]
        ]
        log.info("tc fold %d of %d done", fold + 1, k)
    return rows


def gold_spans(corpus: Corpus) -> dict[tuple[str, int, int], list[str]]:
    """Each gold span with its techniques, one entry per technique line (repeats kept)."""
    spans: dict[tuple[str, int, int], list[str]] = {}
    for article, technique, start, end in corpus.labels:
        spans.setdefault((article, start, end), []).append(technique)
    return spans


def _train_and_score(
    train_part: Corpus,
    test_part: Corpus,
    fold_dir: Path,
    encoder_dir: Path,
    config: TransformerConfig,
    fold: int,
    k: int,
    seed: int,
) -> None:
    from propscan.train.transformer import TOKENIZER, _build_classifier

    fold_dir.mkdir(parents=True, exist_ok=True)
    load_tokenizer(encoder_dir / TOKENIZER).save(str(fold_dir / TOKENIZER))
    report = _build_classifier(
        train_part, encoder_dir, fold_dir, config, config.threads, log.getEffectiveLevel()
    )
    shutil.rmtree(fold_dir / "fp32", ignore_errors=True)
    classifier = OnnxTechniqueClassifier(
        fold_dir / "tc.onnx",
        fold_dir / TOKENIZER,
        LABELS,
        max_pieces=config.tc_max_pieces,
        occurrence_input=config.tc_occurrence_input,
    )
    texts = {a.id: a.text for a in test_part.articles}
    by_article: dict[str, list[tuple[int, int, list[str]]]] = {}
    for (article, start, end), techniques in gold_spans(test_part).items():
        by_article.setdefault(article, []).append((start, end, techniques))
    spans = []
    for article, entries in sorted(by_article.items()):
        raw = classifier.raw_probabilities(texts[article], [(s, e) for s, e, _ in entries])
        for (start, end, techniques), row in zip(entries, raw, strict=True):
            spans.append([article, start, end, techniques, [round(float(p), 6) for p in row]])
    counts = Counter(technique for _, technique, _, _ in train_part.labels)
    (fold_dir / RAW).write_text(
        json.dumps(
            {
                "fold": fold,
                "folds": k,
                "seed": seed,
                "split": SPLIT,
                "labels": list(LABELS),
                "class_counts": [counts[label] for label in LABELS],
                "classifier": report,
                "config": asdict(config),
                "spans": spans,
            }
        ),
        encoding="utf-8",
    )
