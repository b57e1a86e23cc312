"""SemEval-2025 Task 10, subtask 1 (entity framing): the role taxonomy, the task's files and its
measures (main-role accuracy and the official exact-match ratio of fine roles).

A mentions file has one row per mention: ``document<TAB>mention<TAB>start<TAB>end`` with the
end offset inclusive, then, in annotations, ``main_role<TAB>fine_role[<TAB>fine_role…]``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from propscan.errors import CorpusFormatError
from propscan.tasks.ptc import read_text

FINE_ROLES: dict[str, tuple[str, ...]] = {
    "Protagonist": ("Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"),
    "Antagonist": (
        "Instigator",
        "Conspirator",
        "Tyrant",
        "Foreign Adversary",
        "Traitor",
        "Spy",
        "Saboteur",
        "Corrupt",
        "Incompetent",
        "Terrorist",
        "Deceiver",
        "Bigot",
    ),
    "Innocent": ("Forgotten", "Exploited", "Victim", "Scapegoat"),
}
MAIN_ROLES = tuple(FINE_ROLES)
ALL_FINE_ROLES = tuple(role for roles in FINE_ROLES.values() for role in roles)
REALIGN_CHARS = 8
"""How far a mention's offsets may be off (some rows of the source are) and still be found."""


@dataclass(frozen=True)
class RoleMention:
    """``text[start:end]`` (end exclusive) of ``document`` names an entity; with its roles in
    annotations, without (None, ()) in a file to be labelled."""

    document: str
    mention: str
    start: int
    end: int
    main_role: str | None = None
    fine_roles: tuple[str, ...] = ()


def read_documents(folder: Path) -> dict[str, str]:
    """The task's documents by file name (``raw-documents/`` of a language folder, or the
    folder itself), exactly as offsets count them."""
    inner = folder / "raw-documents"
    folder = inner if inner.is_dir() else folder
    documents = {path.name: read_text(path) for path in sorted(folder.glob("*.txt"))}
    if not documents:
        raise CorpusFormatError(f"{folder}: no .txt documents")
    return documents


def read_mentions(path: Path, documents: dict[str, str]) -> list[RoleMention]:
    """The mentions of a task file (annotations or mentions only). Offsets are checked against
    the documents: a document whose line breaks lost their ``\\r`` (known for the Russian data)
    gets them back when that makes the mentions line up, and a mention a few characters off is
    moved to where its text is."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < 4 or fields[0] not in documents:
            raise CorpusFormatError(f"{path}:{number}: expected document, mention, start, end")
        try:
            start, last = int(fields[2]), int(fields[3])
        except ValueError:
            raise CorpusFormatError(f"{path}:{number}: offsets must be integers") from None
        main = fields[4] if len(fields) > 4 else None
        if main is not None and main not in FINE_ROLES:
            raise CorpusFormatError(f"{path}:{number}: unknown main role {main!r}")
        rows.append(RoleMention(fields[0], fields[1], start, last + 1, main, tuple(fields[5:])))
    _restore_carriage_returns(rows, documents)
    return [_realigned(row, documents[row.document]) for row in rows]


def write_mentions(rows: Iterable[RoleMention], path: Path) -> None:
    """The task's annotation format (end inclusive), one row per mention."""
    lines = []
    for row in rows:
        fields = [row.document, row.mention, str(row.start), str(row.end - 1)]
        if row.main_role is not None:
            fields += [row.main_role, *row.fine_roles]
        lines.append("\t".join(fields))
    path.write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")


def main_role_accuracy(gold: Sequence[RoleMention], predicted: Sequence[RoleMention]) -> float:
    """Share of gold mentions whose predicted main role is right."""
    guesses = _by_place(predicted)
    right = sum(
        guesses.get(_place(g), RoleMention("", "", 0, 0)).main_role == g.main_role for g in gold
    )
    return right / len(gold) if gold else 0.0


def exact_match_ratio(gold: Sequence[RoleMention], predicted: Sequence[RoleMention]) -> float:
    """The official measure: share of gold mentions whose predicted fine roles are exactly
    the gold ones."""
    guesses = _by_place(predicted)
    right = sum(
        set(guesses[_place(g)].fine_roles) == set(g.fine_roles) if _place(g) in guesses else False
        for g in gold
    )
    return right / len(gold) if gold else 0.0


def _place(row: RoleMention) -> tuple[str, int, int]:
    return row.document, row.start, row.end


def _by_place(rows: Sequence[RoleMention]) -> dict[tuple[str, int, int], RoleMention]:
    return {_place(row): row for row in rows}


def _restore_carriage_returns(rows: list[RoleMention], documents: dict[str, str]) -> None:
    """Give a document back the ``\\r`` before each ``\\n`` where its mentions then line up
    better (in place)."""
    for name, text in list(documents.items()):
        if "\r" in text or "\n" not in text:
            continue
        mine = [row for row in rows if row.document == name]
        restored = text.replace("\n", "\r\n")
        if sum(_lines_up(r, restored) for r in mine) > sum(_lines_up(r, text) for r in mine):
            documents[name] = restored


def _lines_up(row: RoleMention, text: str) -> bool:
    return text[row.start : row.end] == row.mention


def _realigned(row: RoleMention, text: str) -> RoleMention:
    """The mention moved to where its text is, if it is off by at most REALIGN_CHARS."""
    if _lines_up(row, text):
        return row
    for shift in sorted(range(-REALIGN_CHARS, REALIGN_CHARS + 1), key=abs):
        start = row.start + shift
        if start >= 0 and text[start : start + len(row.mention)] == row.mention:
            return RoleMention(
                row.document,
                row.mention,
                start,
                start + len(row.mention),
                row.main_role,
                row.fine_roles,
            )
    return row
