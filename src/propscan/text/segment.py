"""Split text into sentences of tokens, every token keeping its character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
_LINE = re.compile(r"[^\n]+")
# A sentence ends at . ! ? (optionally followed by closing quotes/brackets) before a space and
# a capital letter, digit or opening quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Token:
    """A word or punctuation mark at ``text[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    """A run of tokens; ``line`` is the index of the text line it is on."""

    tokens: tuple[Token, ...]
    line: int

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """Tokens of ``text[start:end]`` with offsets into ``text``."""
    stop = len(text) if end is None else end
    return [Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text, start, stop)]


def sentences(text: str) -> list[Sentence]:
    """Sentences of ``text``: every line, split further at sentence-final punctuation."""
    result: list[Sentence] = []
    for line_no, line in enumerate(_LINE.finditer(text)):
        piece_start = line.start()
        for boundary in _SENTENCE_END.finditer(text, line.start(), line.end()):
            _append(result, tokenize(text, piece_start, boundary.start()), line_no)
            piece_start = boundary.end()
        _append(result, tokenize(text, piece_start, line.end()), line_no)
    return result


def _append(result: list[Sentence], tokens: list[Token], line_no: int) -> None:
    if tokens:
        result.append(Sentence(tuple(tokens), line_no))


def blocks(text: str, size: int) -> list[tuple[int, int]]:
    """``[start, end)`` ranges covering ``text`` in blocks of at most ``size`` characters.

    Blocks end after a line break where one is in reach, else after a space, else at ``size``;
    so long texts are analysed block by block at a cost that grows linearly with their length.
    """
    result = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        cut = text.rfind("\n", start + size // 2, limit) + 1 or text.rfind(" ", start, limit) + 1
        end = cut if cut > start else limit
        result.append((start, end))
        start = end
    if start < len(text) or not result:
        result.append((start, len(text)))
    return result
