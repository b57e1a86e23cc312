"""The entity a technique is aimed at: named in the span, linked to it in its sentence, or
standing behind a pronoun there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from propscan.attribute.mentions import GROUP_PRONOUNS, PERSON_PRONOUNS, Mention, resolve_pronoun

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

AIMED_TECHNIQUES = frozenset(
    {
        # PTC-2020 names
        "Name_Calling,Labeling",
        "Loaded_Language",
        "Doubt",
        "Appeal_to_fear-prejudice",
        "Bandwagon,Reductio_ad_hitlerum",
        "Whataboutism,Straw_Men,Red_Herring",
        # SemEval-2023 names
        "Name_Calling-Labeling",
        "Appeal_to_Fear-Prejudice",
        "Guilt_by_Association",
        "Questioning_the_Reputation",
        "Appeal_to_Hypocrisy",
        "Straw_Man",
        "Whataboutism",
    }
)
"""Techniques that aim at someone: only these spans get a target."""


def target_of(start: int, end: int, doc: Doc, offset: int, found: list[Mention]) -> str | None:
    """The entity ``text[start:end]`` aims at, or None: an entity named inside the span; else,
    in the span's sentence, the entity the span's words hang from or on in the parse (its
    subject, or the entity it describes), else the nearest one; else the entity a pronoun in
    the span stands for."""
    inside = [m for m in found if start <= m.start and m.end <= end]
    if inside:
        return inside[0].name
    local = doc.char_span(start - offset, end - offset, alignment_mode="expand")
    if local is None or len(local) == 0:
        return None
    sentence = local.sent
    sentence_start = offset + sentence.start_char
    sentence_end = offset + sentence.end_char
    nearby = [m for m in found if sentence_start <= m.start and m.end <= sentence_end]
    linked = _linked(local, nearby, offset, found)
    if linked is not None:
        return linked
    for token in local:
        if token.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return resolve_pronoun(token.lower_, offset + token.idx, found)
    if nearby:
        return min(nearby, key=lambda m: min(abs(m.end - start), abs(m.start - end))).name
    return None


def _linked(span: Span, nearby: list[Mention], offset: int, found: list[Mention]) -> str | None:
    """An entity of the sentence joined to the span in the dependency parse: the subject of the
    verb the span depends on, or the noun the span modifies or is in apposition to (through a
    pronoun, the entity it stands for)."""
    root = span.root
    candidates = []
    head = root.head
    for token in (head, *head.children):
        if token.i in range(span.start, span.end):
            continue
        if token is head or token.dep_ in ("nsubj", "nsubjpass", "appos", "poss"):
            candidates.append(token)
    for token in candidates:
        position = offset + token.idx
        for mention in nearby:
            if mention.start <= position < mention.end:
                return mention.name
        if token.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return resolve_pronoun(token.lower_, position, found)
    return None
