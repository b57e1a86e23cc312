"""TF-IDF vectors whose fitted state is plain arrays, so a saved model needs no pickle."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize

Analyzer = Literal["word", "char_wb"]


@dataclass(frozen=True)
class TfidfSpec:
    """How to cut text into terms: word or character n-grams of these lengths."""

    analyzer: Analyzer
    ngram_min: int
    ngram_max: int
    min_df: int = 2

    def config(self) -> dict[str, Any]:
        return {
            "analyzer": self.analyzer,
            "ngram_min": self.ngram_min,
            "ngram_max": self.ngram_max,
            "min_df": self.min_df,
        }


class FittedTfidf:
    """Sublinear-tf, l2-normalised TF-IDF over a fixed vocabulary."""

    def __init__(self, spec: TfidfSpec, vocabulary: list[str], idf: NDArray[np.float64]) -> None:
        self.spec = spec
        self.vocabulary = vocabulary
        self.idf = idf
        self._counter = CountVectorizer(
            analyzer=spec.analyzer,
            ngram_range=(spec.ngram_min, spec.ngram_max),
            vocabulary={term: i for i, term in enumerate(vocabulary)},
            lowercase=True,
        )

    @classmethod
    def fit(cls, spec: TfidfSpec, texts: list[str]) -> FittedTfidf:
        fitted = TfidfVectorizer(
            analyzer=spec.analyzer,
            ngram_range=(spec.ngram_min, spec.ngram_max),
            min_df=spec.min_df,
            sublinear_tf=True,
            lowercase=True,
        ).fit(texts)
        order = sorted(fitted.vocabulary_.items(), key=lambda item: item[1])
        return cls(spec, [term for term, _ in order], np.asarray(fitted.idf_, dtype=np.float64))

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        counts = self._counter.transform(texts).astype(np.float64).tocsr()
        counts.data = np.log(counts.data) + 1.0
        weighted = counts @ sparse.diags(self.idf)
        return normalize(sparse.csr_matrix(weighted))
