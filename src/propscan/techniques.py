"""The propaganda-technique taxonomy of SemEval-2020 Task 11: the single source of truth."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Technique:
    """One technique: its PTC label string, a human name, a one-line definition and a colour."""

    label: str
    name: str
    definition: str
    color: str


_TECHNIQUE_LIST = [
    Technique(
        "Appeal_to_Authority",
        "Appeal to authority",
        "Claims something is true because an authority or expert says so, without other evidence.",
        "#7799bb",
    ),
    Technique(
        "Appeal_to_fear-prejudice",
        "Appeal to fear / prejudice",
        "Builds support for an idea by stirring anxiety, panic or prejudice against its rival.",
        "#9988ff",
    ),
    Technique(
        "Bandwagon,Reductio_ad_hitlerum",
        "Bandwagon / reductio ad Hitlerum",
        "Urges joining because 'everyone' does, or rejects an idea because a hated group holds it.",
        "#eebb88",
    ),
    Technique(
        "Black-and-White_Fallacy",
        "Black-and-white fallacy",
        "Presents two alternatives as the only options when more exist.",
        "#bbccbb",
    ),
    Technique(
        "Causal_Oversimplification",
        "Causal oversimplification",
        "Assumes a single cause or reason when an issue has several.",
        "#aabbff",
    ),
    Technique(
        "Doubt",
        "Doubt",
        "Questions the credibility of someone or something without substantiating it.",
        "#bbddee",
    ),
    Technique(
        "Exaggeration,Minimisation",
        "Exaggeration / minimisation",
        "Represents something as much larger, better or worse, or much smaller, than it is.",
        "#eeaa00",
    ),
    Technique(
        "Flag-Waving",
        "Flag-waving",
        "Plays on strong national or group feeling to justify or promote an idea.",
        "#22aa88",
    ),
    Technique(
        "Loaded_Language",
        "Loaded language",
        "Uses words and phrases with strong emotional connotations to sway the audience.",
        "#ffff00",
    ),
    Technique(
        "Name_Calling,Labeling",
        "Name calling / labeling",
        "Labels the target of the message as something the audience fears, hates or admires.",
        "#ff6688",
    ),
    Technique(
        "Repetition",
        "Repetition",
        "Repeats the same message over and over so that the audience accepts it.",
        "#77bbbb",
    ),
    Technique(
        "Slogans",
        "Slogans",
        "A brief, striking phrase that may include labeling and stereotyping.",
        "#cc8844",
    ),
    Technique(
        "Thought-terminating_Cliches",
        "Thought-terminating cliché",
        "A short, generic phrase that discourages critical thought and further discussion.",
        "#ffffaa",
    ),
    Technique(
        "Whataboutism,Straw_Men,Red_Herring",
        "Whataboutism / straw man / red herring",
        "Deflects: accuses the opponent of hypocrisy, distorts their view, or changes the subject.",
        "#eeffdd",
    ),
]

TECHNIQUES: dict[str, Technique] = {t.label: t for t in _TECHNIQUE_LIST}
"""Techniques by PTC label string, in the alphabetical order of the SemEval-2020 label file."""

LABELS: tuple[str, ...] = tuple(TECHNIQUES)

FALLBACK_COLOR = "#dddddd"


def technique(label: str) -> Technique:
    """Return the technique for a PTC label string, or raise UnknownTechnique."""
    from propscan.errors import UnknownTechnique

    try:
        return TECHNIQUES[label]
    except KeyError:
        raise UnknownTechnique(
            f"unknown technique {label!r}; expected one of: {', '.join(LABELS)}"
        ) from None
