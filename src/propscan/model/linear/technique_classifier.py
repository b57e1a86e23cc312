"""Technique classification: a multinomial logistic regression over span and context features."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from propscan.model.linear.text_vectorizer import FittedTfidf, TfidfSpec
from propscan.model.span_features import SpanInContext, describe, numeric_matrix
from propscan.tasks.ptc import Corpus

SPECS = {
    "span_words": TfidfSpec("word", 1, 2),
    "span_chars": TfidfSpec("char_wb", 2, 5, min_df=3),
    "context_words": TfidfSpec("word", 1, 1),
}


def _texts(name: str, items: Sequence[SpanInContext]) -> list[str]:
    return [item.context if name == "context_words" else item.span for item in items]


class LinearTechniqueClassifier:
    """Gives each span a probability for every technique."""

    def __init__(
        self,
        labels: list[str],
        vectorizers: dict[str, FittedTfidf],
        coef: NDArray[np.float64],
        intercept: NDArray[np.float64],
    ) -> None:
        self.labels = labels
        self._vectorizers = vectorizers
        self._coef = coef
        self._intercept = intercept

    def _features(self, items: Sequence[SpanInContext]) -> sparse.csr_matrix:
        blocks = [v.transform(_texts(name, items)) for name, v in self._vectorizers.items()]
        blocks.append(sparse.csr_matrix(numeric_matrix(list(items))))
        return sparse.hstack(blocks).tocsr()

    def probabilities(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        """One row per span, one column per label in ``self.labels``; rows sum to 1."""
        if not spans:
            return np.zeros((0, len(self.labels)))
        features = self._features([describe(text, start, end) for start, end in spans])
        scores = np.asarray(features @ self._coef.T) + self._intercept
        scores -= scores.max(axis=1, keepdims=True)
        exp = np.exp(scores)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True))

    def ranked(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        """The same rows as ``probabilities``: this model ranks as it chooses."""
        return self.probabilities(text, spans)

    def save(self, folder: Path) -> None:
        """Write ``tc.json`` (labels, vocabularies) and ``tc.npz`` (weights, idf)."""
        meta = {
            "labels": self.labels,
            "vectorizers": {
                name: {"spec": v.spec.config(), "vocabulary": v.vocabulary}
                for name, v in self._vectorizers.items()
            },
        }
        (folder / "tc.json").write_text(json.dumps(meta), encoding="utf-8")
        arrays: dict[str, Any] = {f"idf_{name}": v.idf for name, v in self._vectorizers.items()}
        arrays["coef"] = self._coef.astype(np.float32)
        arrays["intercept"] = self._intercept
        np.savez_compressed(folder / "tc.npz", **arrays)

    @classmethod
    def load(cls, folder: Path) -> LinearTechniqueClassifier:
        meta = json.loads((folder / "tc.json").read_text(encoding="utf-8"))
        with np.load(folder / "tc.npz") as arrays:
            vectorizers = {
                name: FittedTfidf(
                    TfidfSpec(**entry["spec"]),
                    entry["vocabulary"],
                    arrays[f"idf_{name}"].astype(np.float64),
                )
                for name, entry in meta["vectorizers"].items()
            }
            return cls(
                meta["labels"],
                vectorizers,
                arrays["coef"].astype(np.float64),
                arrays["intercept"].astype(np.float64),
            )


def fit_technique_classifier(corpus: Corpus, *, c: float = 4.0) -> LinearTechniqueClassifier:
    """Fit on every gold (span, technique) of the corpus."""
    texts = {a.id: a.text for a in corpus.articles}
    items = [describe(texts[ident], start, end) for ident, _, start, end in corpus.labels]
    targets = [technique for _, technique, _, _ in corpus.labels]
    vectorizers = {name: FittedTfidf.fit(spec, _texts(name, items)) for name, spec in SPECS.items()}
    untrained = LinearTechniqueClassifier([], vectorizers, np.zeros((0, 0)), np.zeros(0))
    model = LogisticRegression(C=c, max_iter=2000)
    model.fit(untrained._features(items), targets)
    return LinearTechniqueClassifier(
        [str(label) for label in model.classes_],
        vectorizers,
        np.asarray(model.coef_, dtype=np.float64),
        np.asarray(model.intercept_, dtype=np.float64),
    )
