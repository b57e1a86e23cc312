"""Span boundaries a reader can trust: whole words, no blank lines, no stray punctuation.

The PTC gold spans start and end on word boundaries, never cross a blank line, and start or end
with a non-alphanumeric character only for quotes, ``#``, brackets and ``?``/``!``/``…``.
A tagger that works on word pieces can stop inside a word; these rules repair that.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_KEEP_FIRST = frozenset("“\"‘'#(")
"""Non-alphanumeric characters a gold span starts with."""
_KEEP_LAST = frozenset("”\"’'?!)…")
"""Non-alphanumeric characters a gold span ends with."""
_APOSTROPHES = frozenset("'’")
_ELIDED_LETTERS = 4
"""The longest word that elides into the next one (Italian ``dell’``, ``sull’``)."""


def _in_word(text: str, left: int) -> bool:
    """Whether ``text[left]`` and ``text[left + 1]`` both belong to one word."""
    return left >= 0 and left + 1 < len(text) and text[left].isalnum() and text[left + 1].isalnum()


def _ends_elided(text: str, end: int) -> bool:
    """Whether ``text[:end]`` ends in a short word elided into the next one by an apostrophe
    (French ``l’``, ``qu’``, Italian ``dell’``): a span must not stop there."""
    if not (end + 1 < len(text) and text[end] in _APOSTROPHES and text[end + 1].isalpha()):
        return False
    first = end
    while first > 0 and text[first - 1].isalpha():
        first -= 1
    return 0 < end - first <= _ELIDED_LETTERS


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``[start, end)`` so that it neither starts nor ends inside a word, nor ends on a
    word elided into the next (``de l’immobilier`` is kept whole; a span may start after
    the apostrophe, as annotators start them)."""
    while start > 0 and _in_word(text, start - 1):
        start -= 1
    while True:
        while end < len(text) and _in_word(text, end - 1):
            end += 1
        if not _ends_elided(text, end):
            return start, end
        end += 2


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading and trailing characters that gold spans never start or end with."""
    while start < end and not (text[start].isalnum() or text[start] in _KEEP_FIRST):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in _KEEP_LAST):
        end -= 1
    return start, end


def split_at_blank_lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """The parts of ``[start, end)`` between blank lines."""
    for match in _BLANK_LINE.finditer(text, start, end):
        yield start, match.start()
        start = match.end()
    yield start, end


def clean_span(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The readable spans ``[start, end)`` stands for: split at blank lines, widened to whole
    words, trimmed; empty parts are dropped."""
    result = []
    for part_start, part_end in split_at_blank_lines(text, start, end):
        first, last = trim(text, *snap_to_words(text, part_start, part_end))
        if first < last:
            result.append((first, last))
    return result
