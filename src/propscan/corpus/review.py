"""Reviewing stored spans: what each review action does to a span, and how often reviewers
agree with the model.

A span's status is ``predicted`` (as the model gave it), ``accepted``, ``rejected``,
``corrected`` (relabelled; the model's technique is kept as ``original_technique``) or
``added`` (a fragment the model missed, whose origin is 'added' instead of a model).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from propscan.errors import InputError
from propscan.techniques import TECHNIQUES

ADDED = "added"
STATUSES = ("predicted", "accepted", "rejected", "corrected", ADDED)
Verdict = Literal["accepted", "rejected"]


def check_technique(label: str) -> None:
    """Raise InputError unless ``label`` is one of the 14 techniques."""
    if label not in TECHNIQUES:
        raise InputError(f"unknown technique {label!r}; see GET /api/techniques")


def check_offsets(text: str, start: int, end: int) -> None:
    """Raise InputError unless ``text[start:end]`` is a non-empty, non-blank fragment."""
    if not 0 <= start < end <= len(text):
        raise InputError(
            f"span {start}-{end} is not inside the text (0-{len(text)}, start before end)"
        )
    if not text[start:end].strip():
        raise InputError(f"span {start}-{end} holds only white space")


def verdict_status(verdict: Verdict, origin: str, original_technique: str | None) -> str:
    """The status a span takes when rejected, or accepted (also: restored after a rejection).

    Accepting keeps what the span is: an addition stays 'added', a relabelled span 'corrected'.
    """
    if verdict == "rejected":
        return "rejected"
    if origin == ADDED:
        return ADDED
    return "corrected" if original_technique is not None else "accepted"


def relabel(
    origin: str, technique: str, original_technique: str | None, new: str
) -> tuple[str, str | None]:
    """(status, original technique) of a span given the technique ``new``.

    The model's own technique is remembered once; relabelling back to it is accepting it.
    """
    if origin == ADDED:
        return ADDED, None
    model_said = original_technique or technique
    if new == model_said:
        return "accepted", None
    return "corrected", model_said


@dataclass(frozen=True)
class ReviewRow:
    """How reviewers treated one technique's predictions, and how often they added it."""

    technique: str
    unreviewed: int
    accepted: int
    rejected: int
    relabelled: int
    added: int

    @property
    def reviewed(self) -> int:
        """Predictions of this technique that a reviewer accepted, rejected or relabelled."""
        return self.accepted + self.rejected + self.relabelled

    @property
    def precision(self) -> float | None:
        """Share of reviewed predictions accepted as they were (None before any review)."""
        return self.accepted / self.reviewed if self.reviewed else None


def review_rows(groups: Iterable[tuple[str, str, str, int]]) -> list[ReviewRow]:
    """Rows per technique from (model's technique, status, origin, count) groups, most
    reviewed first. Additions count under their technique; rejected additions not at all."""
    tally: dict[str, dict[str, int]] = {}
    for technique, status, origin, n in groups:
        if origin == ADDED and status != ADDED:
            continue
        row = tally.setdefault(technique, dict.fromkeys(STATUSES, 0))
        row[status] += n
    rows = [
        ReviewRow(
            technique,
            unreviewed=c["predicted"],
            accepted=c["accepted"],
            rejected=c["rejected"],
            relabelled=c["corrected"],
            added=c[ADDED],
        )
        for technique, c in tally.items()
    ]
    return sorted(rows, key=lambda r: (-r.reviewed, -r.added, r.technique))
