"""Train the SemEval-2023 head (``propscan.model.semeval2023_head``) on a corpus with 2023
labels: one logistic regression per PTC class that merges several 2023 techniques."""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression

from propscan.model.semeval2023_head import Semeval2023Head, SubChoice, span_words
from propscan.ptc import Corpus
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
        return SubChoice(
            tuple(seen), vocabulary, np.zeros((1, len(vocabulary))), np.zeros(1)
        )
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
