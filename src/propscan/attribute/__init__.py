"""Who says what about whom (optional stage, ``--entities``): whether each span is the
author's voice or a quote and whose, the named entity each span aims at, and the article's
named entities with the techniques aimed at them. Needs the ``entities`` extra (spaCy, its
small English pipeline and textacy): ``pip install 'propscan[entities]'``."""

from __future__ import annotations

from propscan.attribute.attribution import attribute

__all__ = ["attribute"]
