"""Quoted speech: where direct quotes are and, where the text says, who is quoted."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from propscan.attribute.mentions import Mention, resolve_pronoun

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

DOUBLE_QUOTES = {'"', "“", "”", "„", "«", "»"}
OPENING = {"“", "„", "«"}
CLOSING = {"”", "»"}
MIN_UNATTRIBUTED_WORDS = 4
"""A quoted stretch with no speaker counts as speech from this many words: a word or two in
quotes is usually a term held at a distance ("scare quotes"), not someone's speech."""


@dataclass(frozen=True)
class Quote:
    """``text[start:end]`` (quote marks included) is quoted speech; ``speaker`` when named."""

    start: int
    end: int
    speaker: str | None


def quotes(doc: Doc, mentions: list[Mention], offset: int = 0) -> list[Quote]:
    """The direct quotes of a parsed text: those textacy attributes to a speaker (its speaker
    resolved to a named entity where it is one or a pronoun for one), paragraph by paragraph,
    then other stretches between double quotes of at least MIN_UNATTRIBUTED_WORDS words, with
    no speaker."""
    from textacy.extract.triples import direct_quotations

    found: list[Quote] = []
    for first, last in _paragraphs(doc):
        paragraph = doc[first:last]
        if sum(1 for token in paragraph if token.is_quote) < 2:
            continue
        at = offset + paragraph.start_char
        try:
            triples = list(direct_quotations(paragraph.as_doc()))
        except ValueError:  # textacy refuses a paragraph with an unclosed quote
            continue
        previous: str | None = None  # "'…,' said X. '…,' he added": the same speaker goes on
        for triple in triples:
            content = triple.content
            tokens = list(triple.speaker)
            pronoun = len(tokens) == 1 and tokens[0].pos_ == "PRON"
            speaker = previous if pronoun and previous else _speaker_name(tokens, mentions, at)
            found.append(Quote(at + content.start_char, at + content.end_char, speaker))
            previous = speaker or previous
    for start, end, words in _quoted_stretches(doc):
        inside = any(q.start <= offset + start and offset + end <= q.end for q in found)
        if not inside and words >= MIN_UNATTRIBUTED_WORDS:
            found.append(Quote(offset + start, offset + end, None))
    return sorted(found, key=lambda q: q.start)


def voice_of(start: int, end: int, found: list[Quote]) -> tuple[str, str | None]:
    """``("quoted", speaker)`` when at least half of ``[start, end)`` lies in a quote, else
    ``("author", None)``."""
    for quote in found:
        overlap = min(end, quote.end) - max(start, quote.start)
        if overlap > 0 and 2 * overlap >= end - start:
            return "quoted", quote.speaker
    return "author", None


def _speaker_name(tokens: list[Token], mentions: list[Mention], offset: int) -> str | None:
    """A speaker as people would name them: the named entity the speaker tokens are part of, the
    entity a pronoun stands for, else the noun phrase ("a council spokesman")."""
    if not tokens:
        return None
    first, last = tokens[0], tokens[-1]
    start, end = offset + first.idx, offset + last.idx + len(last.text)
    for mention in mentions:
        if mention.start < end and start < mention.end:
            return mention.name
    if len(tokens) == 1 and first.pos_ == "PRON":
        return resolve_pronoun(first.lower_, start, mentions)
    phrase = next((chunk for chunk in last.doc.noun_chunks if last in chunk), None)
    return phrase.text if phrase is not None else " ".join(t.text for t in tokens)


def _paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the paragraphs (lines) of a parsed text."""
    ranges, first = [], 0
    for token in doc:
        if "\n" in token.text or "\n" in token.whitespace_:
            if token.i + 1 > first:
                ranges.append((first, token.i + 1))
            first = token.i + 1
    if first < len(doc):
        ranges.append((first, len(doc)))
    return ranges


def _quoted_stretches(doc: Doc) -> list[tuple[int, int, int]]:
    """``(start, end, words)`` of each stretch between a pair of double quotes in one
    paragraph (character offsets in ``doc``, quote marks included)."""
    stretches = []
    opened: Token | None = None
    for token in doc:
        if token.text in DOUBLE_QUOTES:
            closes = token.text in CLOSING or (token.text == '"' and opened is not None)
            if opened is not None and closes:
                words = sum(1 for t in doc[opened.i + 1 : token.i] if t.is_alpha)
                stretches.append((opened.idx, token.idx + len(token.text), words))
                opened = None
            elif token.text in OPENING or token.text == '"':
                opened = token
        if "\n" in token.text or "\n" in token.whitespace_:
            opened = None  # a quote does not run on past its paragraph here
    return stretches
