"""A teacher model's probabilities on unlabelled articles, as training targets for a student.

Hard pseudo-labels keep only the teacher's decoded spans and their top technique; these keep
how sure it was: the B/I/O probabilities of each of its word pieces (mapped onto the student's
pieces through character offsets, so the two may tokenise differently) and the technique
distribution of each span it found.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from propscan.model.transformer.text import BEGIN, INSIDE, OUTSIDE, EncodedText


@dataclass(frozen=True)
class TeacherView:
    """One article as the teacher saw it: ``(start, end)`` and O/B/I probabilities of its
    pieces, and ``(start, end)`` and technique probabilities of the spans it found."""

    piece_offsets: NDArray[np.int64]
    piece_probabilities: NDArray[np.float32]
    span_offsets: NDArray[np.int64]
    span_probabilities: NDArray[np.float32]

    def tag_distributions(self, encoded: EncodedText) -> NDArray[np.float32]:
        """``(pieces, 3)`` O/B/I targets for the student's pieces of the same text.

        A student piece takes the probabilities of the teacher piece holding its midpoint (the
        rule ``bio_tags`` uses for gold spans); only the first student piece inside a teacher
        piece may begin a span, the others get its B mass as I. A piece the teacher has no
        piece for (whitespace, text it normalised away) is outside.
        """
        targets = np.zeros((len(encoded.ids), 3), dtype=np.float32)
        targets[:, OUTSIDE] = 1.0
        if not len(self.piece_offsets) or not len(encoded.ids):
            return targets
        middles = encoded.offsets.sum(axis=1) / 2
        holder = np.searchsorted(self.piece_offsets[:, 0], middles, side="right") - 1
        seen = set()
        for piece, teacher in enumerate(holder.tolist()):
            if teacher < 0 or middles[piece] >= self.piece_offsets[teacher, 1]:
                continue
            row = self.piece_probabilities[teacher].copy()
            if teacher in seen:
                row[INSIDE] += row[BEGIN]
                row[BEGIN] = 0.0
            seen.add(teacher)
            targets[piece] = row
        return targets

    def technique_distribution(self, start: int, end: int) -> NDArray[np.float32] | None:
        """The teacher's technique probabilities for the span ``start:end`` it found, if any."""
        found = np.flatnonzero(
            (self.span_offsets[:, 0] == start) & (self.span_offsets[:, 1] == end)
        )
        return self.span_probabilities[found[0]] if len(found) else None


SoftLabels = Mapping[str, TeacherView]
"""Teacher views by article id."""


def save_soft_labels(views: SoftLabels, path: Path) -> None:
    """Write the views to one ``.npz`` file."""
    arrays = {
        f"{article}/{field}": getattr(view, field)
        for article, view in views.items()
        for field in TeacherView.__dataclass_fields__
    }
    np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def read_soft_labels(path: Path) -> dict[str, TeacherView]:
    """The views ``save_soft_labels`` wrote."""
    with np.load(path) as saved:
        fields: dict[str, dict[str, NDArray[np.generic]]] = {}
        for key in saved.files:
            article, field = key.rsplit("/", 1)
            fields.setdefault(article, {})[field] = saved[key]
    return {article: TeacherView(**parts) for article, parts in fields.items()}  # type: ignore[arg-type]
