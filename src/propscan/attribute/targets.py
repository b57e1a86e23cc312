"""The entity a technique is aimed at: named in the span, linked to it in its sentence, or
standing behind a pronoun there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from propscan.attribute.mentions import (
    GROUP_PRONOUNS,
    PERSON_PRONOUNS,
    Mention,
    resolve_description,
    resolve_pronoun,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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


PREDICATE_VERBS = frozenset({"be", "seem", "become", "remain", "look", "sound", "appear"})
"""Verbs whose complement describes their subject ("he is / seems / remains a fraud")."""

SUBJECTS = ("nsubj", "nsubjpass")


def target_of(start: int, end: int, doc: Doc, offset: int, found: list[Mention]) -> str | None:
    """The entity ``text[start:end]`` aims at, or None. In order: the subject of a clause
    inside the span ("He's a bull in a china shop"); the entity the span is said of (in
    apposition to it, the object of "call X a Y" / "paint X as Y", the subject of "X is Y");
    an entity named inside the span; an entity the span's words hang from in the parse (the
    owner of the noun it modifies, the subject of its verb); a pronoun in the span; else the
    nearest entity of its sentence."""
    inside = [m for m in found if start <= m.start and m.end <= end]
    local = doc.char_span(start - offset, end - offset, alignment_mode="expand")
    if local is None or len(local) == 0:
        return inside[0].name if inside else None
    sentence = local.sent
    nearby = [
        m
        for m in found
        if offset + sentence.start_char <= m.start and m.end <= offset + sentence.end_char
    ]

    def entity(token: Token | None) -> str | None:
        return None if token is None else _entity_of(token, offset, nearby, found)

    said_of = entity(_subject_inside(local)) or entity(_described(local))
    if said_of is not None:
        return said_of
    if inside:
        return inside[0].name
    if (described := resolve_description(local.root, offset, found)) is not None:
        return described
    for token in _attached(local):
        if (name := entity(token)) is not None:
            return name
    for token in local:
        if token.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return resolve_pronoun(token.lower_, offset + token.idx, found)
    if nearby:
        return min(nearby, key=lambda m: min(abs(m.end - start), abs(m.start - end))).name
    return None


def _entity_of(
    token: Token, offset: int, nearby: list[Mention], found: list[Mention]
) -> str | None:
    """The entity a token names (or, for a pronoun, stands for); for a common noun, the
    entity that owns or names it ("Trump's supporters", "the ICE employees")."""
    described = resolve_description(token, offset, found)
    if described is not None and not _names_someone(token, offset, nearby):
        return described
    for candidate in (token, *(c for c in token.children if c.dep_ in ("poss", "compound"))):
        position = offset + candidate.idx
        for mention in nearby:
            if mention.start <= position < mention.end:
                return mention.name
        if candidate.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            return resolve_pronoun(candidate.lower_, position, found)
    return None


def _names_someone(token: Token, offset: int, nearby: list[Mention]) -> bool:
    """Whether the noun or a word of its phrase before it is part of a person's name ("the
    senator Bernie Sanders")."""
    words = [token, *(c for c in token.children if c.dep_ in ("compound", "appos"))]
    return any(
        m.type == "person" and m.start <= offset + w.idx < m.end for w in words for m in nearby
    )


def _subject_inside(span: Span) -> Token | None:
    """The subject of a clause whose verb lies inside the span."""
    for token in span:
        if token.dep_ in SUBJECTS and span.start <= token.head.i < span.end:
            return token
    return None


def _described(span: Span) -> Token | None:
    """What the span as a whole is said of: the noun it is in apposition to, the object of a
    verb that names or casts it ("calling Trump a dotard", "paint him as a sellout"), the
    subject of a copula or of "start as" ("he is a fraud", "Stigler started as a guy")."""
    root = span.root
    if root.dep_ == "appos":
        return root.head
    if span.start > 0 and span.doc[span.start - 1].lower_ == "as":  # "describe her as [...]"
        cast = [
            t
            for t in span.doc[max(span.sent.start, span.start - 8) : span.start - 1]
            if t.dep_ == "dobj"
        ]
        if cast:
            return cast[-1]
    via_as = root.dep_ == "pobj" and root.head.lower_ == "as"
    verb = root.head.head if via_as else root.head
    if root.dep_ in ("oprd", "dobj") or via_as:
        objects = [c for c in verb.children if c.dep_ == "dobj" and _outside(c, span)]
        if objects and (via_as or root.dep_ != "dobj" or objects[0].i < root.i):
            return objects[0]
    if root.dep_ == "attr" or via_as or (root.dep_ == "acomp" and verb.lemma_ in PREDICATE_VERBS):
        return _subject_of(verb)
    return None


def _attached(span: Span) -> list[Token]:
    """Tokens outside the span it hangs from: the owner of its head noun, the noun it modifies
    and that noun's owner or "of" object, then the subject of the verb that governs it."""
    root = span.root
    found = [c for c in root.children if c.dep_ == "poss" and _outside(c, span)]
    token = root
    for _ in range(4):
        if token.head == token or token.pos_ in ("VERB", "AUX"):
            break
        token = token.head
        if not _outside(token, span):
            continue
        found.append(token)
        found += [c for c in token.children if c.dep_ == "poss"]
        found += [
            g for c in token.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"
        ]
    if token.pos_ in ("VERB", "AUX"):
        subject = _subject_of(token)
        if subject is not None:
            found.append(subject)
    return found


def _subject_of(verb: Token) -> Token | None:
    """A verb's subject, or that of the verb it depends on for an open clause."""
    for _ in range(3):
        for child in verb.children:
            if child.dep_ in SUBJECTS:
                return child
        if verb.dep_ not in ("xcomp", "conj", "advcl") or verb.head == verb:
            return None
        verb = verb.head
    return None


def _outside(token: Token, span: Span) -> bool:
    return not span.start <= token.i < span.end
