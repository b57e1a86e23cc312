"""Counting an article's words: the exposure that corpus rates (spans per 1,000 words) divide by."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def count_words(text: str) -> int:
    """The words of ``text``: runs of letters and digits, "don't" and "l’état" counting once."""
    return sum(1 for _ in _WORD.finditer(text))


def words_of(text: str) -> list[str]:
    """The words of ``text`` in lower case, in order (what distinctive-word statistics count)."""
    return _WORD.findall(text.lower())
