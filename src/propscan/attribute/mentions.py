"""Named entities of an article: people, organisations, groups and places, each mention with
the name the article's entity goes by."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc

ENTITY_TYPES = {"PERSON": "person", "ORG": "organisation", "NORP": "group", "GPE": "place"}
"""spaCy's entity labels that can be the voice or the target of a technique, and our names."""

PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers"}
GROUP_PRONOUNS = {"they", "them", "their", "theirs"}


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


def _plain(name: str) -> str:
    """A name without a leading "the", possessive "'s" or spaces around it."""
    name = " ".join(name.split())
    if name.lower().startswith("the "):
        name = name[4:]
    for suffix in ("'s", "’s"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name.strip()
