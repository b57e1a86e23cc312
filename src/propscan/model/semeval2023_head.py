"""The SemEval-2023 head: technique probabilities in the 23-technique taxonomy of SemEval-2023
Task 3, refined from the 14 PTC-2020 probabilities that the classifier gives.

The English 2023 spans are the PTC spans under finer names, so most 2023 techniques are a PTC
class renamed and take its probability. Two PTC classes merge several 2023 techniques
(``Bandwagon,Reductio_ad_hitlerum`` and ``Whataboutism,Straw_Men,Red_Herring``); for each, a
small logistic regression over the words of the span and of its line shares the class's
probability out among its 2023 techniques. Techniques with no PTC class get probability 0.

Kept as JSON (``semeval2023-head.json`` in a model folder) and run with numpy: it works on top
of any model kind and costs nothing next to the classifier.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscan.techniques import PTC2020_CHILDREN, SEMEVAL2023

_WORD = re.compile(r"\w+")
HEAD_FILE = "semeval2023-head.json"


def span_words(text: str, start: int, end: int) -> list[str]:
    """The features of a span: its lower-cased words, and those of the rest of its line
    prefixed with ``c_``."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    context = text[line_start:start] + " " + text[end:line_end]
    return _WORD.findall(text[start:end].lower()) + [
        "c_" + w for w in _WORD.findall(context.lower())
    ]


@dataclass(frozen=True)
class SubChoice:
    """A multinomial logistic regression that picks one of a PTC class's 2023 techniques from
    the binary, length-normalised bag of a span's words."""

    labels: tuple[str, ...]
    vocabulary: dict[str, int]
    coef: NDArray[np.float64]  # labels × vocabulary
    intercept: NDArray[np.float64]  # labels

    def probabilities(self, words: Iterable[str]) -> NDArray[np.float64]:
        """The probability of each of ``labels`` for a span with these words."""
        columns = sorted({self.vocabulary[w] for w in words if w in self.vocabulary})
        logits = self.intercept.copy()
        if columns:
            logits += self.coef[:, columns].sum(axis=1) / np.sqrt(len(columns))
        if len(self.labels) == 1:
            return np.ones(1)
        exp = np.exp(logits - logits.max())
        return np.asarray(exp / exp.sum(), dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "vocabulary": sorted(self.vocabulary, key=self.vocabulary.__getitem__),
            "coef": np.round(self.coef, 5).tolist(),
            "intercept": np.round(self.intercept, 5).tolist(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SubChoice:
        return cls(
            tuple(data["labels"]),
            {word: i for i, word in enumerate(data["vocabulary"])},
            np.asarray(data["coef"], dtype=np.float64).reshape(len(data["labels"]), -1),
            np.asarray(data["intercept"], dtype=np.float64),
        )


@dataclass(frozen=True)
class Semeval2023Head:
    """Maps rows of PTC-2020 probabilities to rows of SemEval-2023 probabilities."""

    choices: dict[str, SubChoice]
    """The sub-choice of each PTC class that merges several 2023 techniques."""
    paragraph_thresholds: dict[str, float] = field(default_factory=dict)
    """Per technique, the line score from which the paragraph decision keeps it (see
    ``propscan.tasks.paragraphs``); a technique without one is never kept."""

    @property
    def labels(self) -> tuple[str, ...]:
        """The 23 technique labels of SemEval-2023, in the taxonomy's display order."""
        return SEMEVAL2023.labels

    def refine(
        self,
        text: str,
        spans: Sequence[tuple[int, int]],
        ptc_rows: NDArray[np.float64],
        ptc_labels: Sequence[str],
    ) -> NDArray[np.float64]:
        """One row per span, one column per label in ``self.labels``."""
        column = {label: i for i, label in enumerate(self.labels)}
        rows = np.zeros((len(spans), len(self.labels)))
        for j, parent in enumerate(ptc_labels):
            children = PTC2020_CHILDREN.get(parent, ())
            choice = self.choices.get(parent)
            if choice is None:  # one 2023 technique (or none seen in training): the first
                if children:
                    rows[:, column[children[0]]] = ptc_rows[:, j]
                continue
            for i, (start, end) in enumerate(spans):
                shares = choice.probabilities(span_words(text, start, end))
                for label, share in zip(choice.labels, shares, strict=True):
                    rows[i, column[label]] = ptc_rows[i, j] * share
        return rows

    def relabel(self, text: str, start: int, end: int, ptc_label: str) -> tuple[str, float]:
        """The 2023 technique of a span named ``ptc_label`` (by the classifier or a reviewer),
        and its share of that class's probability; a label outside PTC-2020 is kept."""
        children = PTC2020_CHILDREN.get(ptc_label, ())
        choice = self.choices.get(ptc_label)
        if choice is None:
            return (children[0], 1.0) if children else (ptc_label, 1.0)
        shares = choice.probabilities(span_words(text, start, end))
        best = int(np.argmax(shares))
        return choice.labels[best], float(shares[best])

    def to_json(self) -> dict[str, Any]:
        return {
            "choices": {parent: c.to_json() for parent, c in self.choices.items()},
            "paragraph_thresholds": {
                label: t for label, t in self.paragraph_thresholds.items() if np.isfinite(t)
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Semeval2023Head:
        return cls(
            {parent: SubChoice.from_json(c) for parent, c in data["choices"].items()},
            {label: float(t) for label, t in data.get("paragraph_thresholds", {}).items()},
        )

    def save(self, folder: Path) -> str:
        """Write the head into a model folder; returns its file name."""
        (folder / HEAD_FILE).write_text(json.dumps(self.to_json()), encoding="utf-8")
        return HEAD_FILE

    @classmethod
    def load(cls, path: Path) -> Semeval2023Head:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
