"""Train the SemEval-2023 head (``propscan.model.semeval2023_head``) on a corpus with 2023
labels: one logistic regression per PTC class that merges several 2023 techniques."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from propscan.model.bundle import MANIFEST, write_manifest
from propscan.model.semeval2023_head import HEAD_FILE, Semeval2023Head, SubChoice, span_words
from propscan.tasks.ptc import Corpus
from propscan.techniques import PTC2020_CHILDREN, SEMEVAL2023_TO_PTC2020

REGULARISATION = 10.0
"""Inverse L2 strength of the sub-choice regressions (scikit-learn's ``C``)."""


def train_semeval2023_head(corpus: Corpus) -> Semeval2023Head:
    """A head fitted on every gold span of ``corpus`` (labels in the 2023 taxonomy)."""
    texts = {article.id: article.text for article in corpus.articles}
    choices = {}
    for parent, children in PTC2020_CHILDREN.items():
        if len(children) < 2:
            continue
        examples = [
            (span_words(texts[aid], start, end), label)
            for aid, label, start, end in corpus.labels
            if SEMEVAL2023_TO_PTC2020[label] == parent
        ]
        if examples:
            choices[parent] = _fit([words for words, _ in examples], [y for _, y in examples])
    return Semeval2023Head(choices)


def _fit(documents: list[list[str]], targets: list[str]) -> SubChoice:
    """A regression over binary, length-normalised bags of words (as ``SubChoice`` reads them)."""
    seen = sorted(Counter(targets))
    vocabulary = {w: i for i, w in enumerate(sorted({w for doc in documents for w in doc}))}
    if len(seen) == 1:
        return SubChoice(tuple(seen), vocabulary, np.zeros((1, len(vocabulary))), np.zeros(1))
    rows, columns, values = [], [], []
    for i, doc in enumerate(documents):
        present = sorted({vocabulary[w] for w in doc})
        rows += [i] * len(present)
        columns += present
        values += [1.0 / np.sqrt(len(present))] * len(present)
    matrix = csr_matrix((values, (rows, columns)), shape=(len(documents), len(vocabulary)))
    regression = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(matrix, targets)
    coef, intercept = regression.coef_, regression.intercept_
    if len(seen) == 2:  # scikit-learn gives one row for two classes: make it a softmax pair
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.asarray([-intercept[0] / 2, intercept[0] / 2])
    return SubChoice(tuple(regression.classes_), vocabulary, coef, intercept)


RECIPE_PARAGRAPH_THRESHOLDS: dict[str, float] = {
    "Name_Calling-Labeling": 0.05,
    "Guilt_by_Association": 0.35,
    "Doubt": 0.1,
    "Appeal_to_Hypocrisy": 0.3,
    "Flag_Waving": 0.25,
    "Appeal_to_Authority": 0.3,
    "Appeal_to_Popularity": 0.25,
    "Appeal_to_Fear-Prejudice": 0.5,
    "Straw_Man": 0.25,
    "Red_Herring": 0.7,
    "Whataboutism": 0.25,
    "Causal_Oversimplification": 0.7,
    "False_Dilemma-No_Choice": 0.8,
    "Slogans": 0.45,
    "Conversation_Killer": 0.45,
    "Loaded_Language": 0.05,
    "Exaggeration-Minimisation": 0.4,
    "Repetition": 0.65,
}
"""The paragraph thresholds chosen on the held-out line scores of all five folds of
``propscan evaluate ../shared/semeval2023-en --taxonomy semeval2023 --folds 5`` (the transformer
recipe of 0.2.0). Techniques the model never gives (no PTC class) have none."""


def add_semeval2023_head(
    corpus: Corpus, base_dir: Path, out_dir: Path, held_out: dict[str, Any] | None = None
) -> Semeval2023Head:
    """Write ``base_dir``'s model into ``out_dir`` (in place when they are the same folder)
    with a SemEval-2023 head fitted on ``corpus``."""
    manifest = json.loads((base_dir / MANIFEST).read_text(encoding="utf-8"))
    if out_dir.resolve() != base_dir.resolve():
        out_dir.mkdir(parents=True, exist_ok=True)
        for path in base_dir.iterdir():
            if path.is_file() and path.name != HEAD_FILE:
                shutil.copy2(path, out_dir / path.name)
    head = replace(train_semeval2023_head(corpus), paragraph_thresholds=RECIPE_PARAGRAPH_THRESHOLDS)
    manifest["semeval2023"] = {
        "head": head.save(out_dir),
        "trained_on": {"articles": len(corpus.articles), "labels": len(corpus.labels)},
        "held_out": held_out,
    }
    kind = manifest.pop("kind")
    write_manifest(out_dir, kind, **manifest)
    return head
