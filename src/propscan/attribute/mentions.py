"""Named entities of an article: people, organisations, groups and places, each mention with
the name the article's entity goes by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

ENTITY_TYPES = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "place"}
"""spaCy's entity labels that can be the voice or the target of a technique, and our names."""

PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
GROUP_PRONOUNS = {"they", "them", "their", "theirs"}

_PERSON_ROLE_WORDS = """
    president senator congressman congresswoman lawmaker governor mayor candidate nominee
    frontrunner incumbent challenger politician businessman businesswoman billionaire
    millionaire mogul tycoon editor reporter journalist columnist anchor host speaker leader
    chairman chairwoman ceo founder executive official minister secretary ambassador prince
    king queen dictator judge justice prosecutor attorney lawyer director commander general
    spokesman spokeswoman actor actress singer man woman guy"""
PERSON_ROLES = frozenset(_PERSON_ROLE_WORDS.split())
"""Nouns (lemmas) that name a person by role: "the senator", "the billionaire businessman"."""

_ORGANISATION_ROLE_WORDS = (
    "paper newspaper company firm network channel agency administration regime"
)
ORGANISATION_ROLES = frozenset(_ORGANISATION_ROLE_WORDS.split())
"""Nouns (lemmas) that name an organisation by kind: "the paper", "the regime"."""

DEFINITE = frozenset({"the", "this", "that"})


@dataclass(frozen=True)
class Mention:
    """``text[start:end]`` names the entity ``name`` (its fullest form in the article)."""

    start: int
    end: int
    name: str
    type: str


def mentions(doc: Doc, offset: int = 0) -> list[Mention]:
    """The entity mentions of a parsed text, in order. A person named in full once and by
    surname later ("Margaret Doyle" ... "Doyle") is one entity; other entities are one when
    their names match without a leading "the"."""
    found = [
        (offset + ent.start_char, offset + ent.end_char, _plain(ent.text), ENTITY_TYPES[ent.label_])
        for ent in doc.ents
        if ent.label_ in ENTITY_TYPES and _plain(ent.text)
    ]
    people = [name for _, _, name, kind in found if kind == "person"]

    def fullest(name: str) -> str:
        return max((p for p in people if p.split()[-1] == name.split()[-1]), key=len)

    return [
        Mention(start, end, fullest(name) if kind == "person" else name, kind)
        for start, end, name, kind in found
    ]


def resolve_pronoun(pronoun: str, position: int, found: list[Mention]) -> str | None:
    """The entity a pronoun at ``position`` most likely stands for: the last person before it
    for he/she, the last group, organisation or place (else person) for they."""
    before = [m for m in found if m.end <= position]
    if pronoun in PERSON_PRONOUNS:
        people = [m for m in before if m.type == "person"]
        return people[-1].name if people else None
    if pronoun in GROUP_PRONOUNS:
        groups = [m for m in before if m.type != "person"]
        return groups[-1].name if groups else None
    return None


def resolve_description(noun: Token, offset: int, found: list[Mention]) -> str | None:
    """The entity a definite description stands for ("the billionaire businessman", "the
    Vermont senator", "the paper"): the name right after it or in apposition to it, else the
    last person (or organisation) named before it. None for other nouns, and for nouns
    without "the" / "this" / "that". ``offset`` is where the parsed text starts."""
    if not any(c.dep_ == "det" and c.lower_ in DEFINITE for c in noun.children):
        return None
    start = offset + noun.idx
    following = [t for t in noun.doc[noun.i + 1 : noun.i + 4] if not t.is_punct][:1]
    for token in (
        *following,
        *(c for c in noun.children if c.dep_ == "appos"),
    ):  # "the computer company IBM", "the frontrunner, Marco Rubio"
        position = offset + token.idx
        for mention in found:
            if mention.start <= position < mention.end:
                return mention.name
    lemma = noun.lemma_.lower()
    kind = (
        "person"
        if lemma in PERSON_ROLES
        else "organisation"
        if lemma in ORGANISATION_ROLES
        else None
    )
    before = [m for m in found if m.end <= start and m.type == kind]
    return before[-1].name if before else None


def _plain(name: str) -> str:
    """A name without a leading "the", possessive "'s" or spaces around it."""
    name = " ".join(name.split())
    if name.lower().startswith("the "):
        name = name[4:]
    for suffix in ("'s", "’s"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name.strip()
