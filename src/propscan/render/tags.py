"""Short upper-case tags for techniques, shown beside each highlight (as spaCy's displacy does),
so that the terminal view reads without colour: in print and for colour-blind readers."""

from __future__ import annotations

SHORT_TAGS: dict[str, str] = {
    "Appeal_to_Authority": "AUTHORITY",
    "Appeal_to_fear-prejudice": "FEAR",
    "Bandwagon,Reductio_ad_hitlerum": "BANDWAGON",
    "Black-and-White_Fallacy": "BLACK-WHITE",
    "Causal_Oversimplification": "CAUSAL",
    "Doubt": "DOUBT",
    "Exaggeration,Minimisation": "EXAGGERATION",
    "Flag-Waving": "FLAG",
    "Loaded_Language": "LOADED",
    "Name_Calling,Labeling": "NAME-CALLING",
    "Repetition": "REPETITION",
    "Slogans": "SLOGAN",
    "Thought-terminating_Cliches": "CLICHE",
    "Whataboutism,Straw_Men,Red_Herring": "WHATABOUT",
}


def short_tag(label: str) -> str:
    """The short tag of a technique label; for a label outside the taxonomy, its first word."""
    return SHORT_TAGS.get(label) or label.split(",")[0].split("_")[0].upper()
