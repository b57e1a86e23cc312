"""Choose the per-technique thresholds of the paragraph decision (``propscan.tasks.paragraphs``)
that maximise subtask-3 micro-F1 on held-out line scores."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from propscan.tasks.paragraphs import LineScores
from propscan.tasks.scoring import ParagraphLabel

GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))
"""The thresholds tried for each technique (a technique may also be never kept)."""


def line_matrices(
    scores: Mapping[str, LineScores], gold: Iterable[ParagraphLabel], labels: Sequence[str]
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Scores and gold labels as two (line × technique) matrices over every scored line."""
    column = {label: i for i, label in enumerate(labels)}
    where = {}
    score_rows: list[NDArray[np.float64]] = []
    for article, lines in scores.items():
        for number, row in lines:
            where[(article, number)] = len(score_rows)
            score_rows.append(row)
    truth = np.zeros((len(score_rows), len(labels)), dtype=bool)
    for article, number, technique in gold:
        if (article, number) in where and technique in column:
            truth[where[(article, number)], column[technique]] = True
    matrix = np.vstack(score_rows) if score_rows else np.zeros((0, len(labels)))
    return matrix, truth


def choose_thresholds(
    matrix: NDArray[np.float64], truth: NDArray[np.bool_], labels: Sequence[str], rounds: int = 3
) -> dict[str, float]:
    """Per-technique thresholds by coordinate ascent on micro-F1, from one shared threshold."""
    gold_total = int(truth.sum())
    options = [*GRID, np.inf]
    # per technique and option: (true positives, predicted positives)
    counts = np.asarray(
        [
            [((matrix[:, j] >= t) & truth[:, j]).sum() if np.isfinite(t) else 0 for t in options]
            for j in range(len(labels))
        ]
    )
    predicted = np.asarray(
        [
            [(matrix[:, j] >= t).sum() if np.isfinite(t) else 0 for t in options]
            for j in range(len(labels))
        ]
    )

    def micro_f1(choice: list[int]) -> float:
        tp = sum(counts[j, c] for j, c in enumerate(choice))
        pp = sum(predicted[j, c] for j, c in enumerate(choice))
        return 2 * tp / (pp + gold_total) if pp + gold_total else 0.0

    shared = max(range(len(GRID)), key=lambda c: micro_f1([c] * len(labels)))
    choice = [shared] * len(labels)
    for _ in range(rounds):
        for j in range(len(labels)):
            choice[j] = max(
                range(len(options)),
                key=lambda c: (micro_f1([*choice[:j], c, *choice[j + 1 :]]), c == choice[j]),
            )
    return {label: float(options[c]) for label, c in zip(labels, choice, strict=True)}
