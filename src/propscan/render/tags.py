"""Short upper-case tags for techniques, shown beside each highlight (as spaCy's displacy does),
so that the terminal view reads without colour: in print and for colour-blind readers."""

from __future__ import annotations

from propscan.techniques import find_technique


def short_tag(label: str) -> str:
    """The short tag of a technique label; for a label outside the taxonomies, its first word."""
    known = find_technique(label)
    return known.tag if known else label.split(",")[0].split("_")[0].upper()
