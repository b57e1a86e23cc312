"""Which articles a model was trained on, so that analysing one of them can say its results are
no test of the model: a model folder lists a fingerprint of each training article's text."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

TRAINING_HASHES = "training-articles.sha256"


def fingerprint(text: str) -> str:
    """The SHA-256 of a text with its whitespace collapsed: the same article read with other
    line breaks, a byte-order mark or trailing blanks has the same fingerprint."""
    words = " ".join(text.lstrip("\ufeff").split())
    return hashlib.sha256(words.encode("utf-8")).hexdigest()


def write_training_hashes(folder: Path, texts: Iterable[str]) -> int:
    """Write the fingerprints of ``texts`` (sorted, one per line) into a model folder."""
    hashes = sorted({fingerprint(text) for text in texts})
    (folder / TRAINING_HASHES).write_text("".join(f"{h}\n" for h in hashes), encoding="utf-8")
    return len(hashes)


def read_training_hashes(folder: Path) -> frozenset[str]:
    """The fingerprints a model folder lists (none for a folder made before they were kept)."""
    path = folder / TRAINING_HASHES
    if not path.is_file():
        return frozenset()
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines())
