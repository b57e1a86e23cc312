"""The attribution stage: parse the article once, then give each span its voice and target and
the analysis its entities."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from propscan.article import Analysis, Entity, Span, aimed_at, ranked
from propscan.attribute.mentions import Mention, mentions
from propscan.attribute.pipeline import english_pipeline
from propscan.attribute.targets import AIMED_TECHNIQUES, target_of
from propscan.attribute.voices import quotes, voice_of
from propscan.model.roles import RoleModel, bundled_role_model
from propscan.text.segment import blocks

if TYPE_CHECKING:
    from spacy.language import Language

BLOCK_CHARS = 50_000
"""Long texts are parsed in blocks of about this many characters (at paragraph breaks)."""


def attribute(
    analysis: Analysis, nlp: Language | None = None, roles: RoleModel | None = None
) -> Analysis:
    """``analysis`` with each span's voice, speaker and target, and the article's entities
    with their roles (``roles``: the bundled role model by default)."""
    nlp = nlp or english_pipeline()
    text = analysis.article.text
    spans: list[Span] = []
    every_mention: list[Mention] = []
    for first, last in blocks(text, BLOCK_CHARS):
        doc = nlp(text[first:last])
        found = mentions(doc, first)
        said = quotes(doc, found, first)
        every_mention += found
        for span in analysis.spans:
            if first <= span.start < last:
                voice, speaker = voice_of(span.start, span.end, said)
                aimed = span.technique in AIMED_TECHNIQUES
                target = target_of(span.start, span.end, doc, first, found) if aimed else None
                spans.append(replace(span, voice=voice, speaker=speaker, target=target))
    entities = _entities(every_mention, spans, text, roles or bundled_role_model())
    return replace(analysis, spans=tuple(spans), entities=entities)


def _entities(
    found: list[Mention], spans: list[Span], text: str, roles: RoleModel
) -> tuple[Entity, ...]:
    """One entry per entity named in the article with its roles, most aimed-at first."""
    kinds: dict[str, Counter[str]] = {}
    for mention in found:
        kinds.setdefault(mention.name, Counter())[mention.type] += 1
    aimed = aimed_at(spans)
    entities = []
    for name, counts in kinds.items():
        cast = roles.entity_roles(text, [(m.start, m.end) for m in found if m.name == name])
        entities.append(
            Entity(
                name=name,
                type=counts.most_common(1)[0][0],
                mentions=counts.total(),
                techniques=aimed.get(name, {}),
                main_role=cast.main_role,
                fine_roles=cast.fine_roles,
                confidence=cast.confidence,
            )
        )
    return ranked(entities)
