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
        "#8ecae6",
    ),
    Technique(
        "Appeal_to_fear-prejudice",
        "Appeal to fear / prejudice",
        "Builds support for an idea by stirring anxiety, panic or prejudice against its rival.",
        "#ff8fa3",
    ),
    Technique(
        "Bandwagon,Reductio_ad_hitlerum",
        "Bandwagon / reductio ad Hitlerum",
        "Urges joining because 'everyone' does, or rejects an idea because a hated group holds it.",
        "#cdb4db",
    ),
    Technique(
        "Black-and-White_Fallacy",
        "Black-and-white fallacy",
        "Presents two alternatives as the only options when more exist.",
        "#b5838d",
    ),
    Technique(
        "Causal_Oversimplification",
        "Causal oversimplification",
        "Assumes a single cause or reason when an issue has several.",
        "#ffb703",
    ),
    Technique(
        "Doubt",
        "Doubt",
        "Questions the credibility of someone or something without substantiating it.",
        "#a3c4f3",
    ),
    Technique(
        "Exaggeration,Minimisation",
        "Exaggeration / minimisation",
        "Represents something as much larger, better or worse, or much smaller, than it is.",
        "#f4a261",
    ),
    Technique(
        "Flag-Waving",
        "Flag-waving",
        "Plays on strong national or group feeling to justify or promote an idea.",
        "#90be6d",
    ),
    Technique(
        "Loaded_Language",
        "Loaded language",
        "Uses words and phrases with strong emotional connotations to sway the audience.",
        "#ffd166",
    ),
    Technique(
        "Name_Calling,Labeling",
        "Name calling / labeling",
        "Labels the target of the message as something the audience fears, hates or admires.",
        "#ef476f",
    ),
    Technique(
        "Repetition",
        "Repetition",
        "Repeats the same message over and over so that the audience accepts it.",
        "#06d6a0",
    ),
    Technique(
        "Slogans",
        "Slogans",
        "A brief, striking phrase that may include labeling and stereotyping.",
        "#c77dff",
    ),
    Technique(
        "Thought-terminating_Cliches",
        "Thought-terminating cliché",
        "A short, generic phrase that discourages critical thought and further discussion.",
        "#9c6644",
    ),
    Technique(
        "Whataboutism,Straw_Men,Red_Herring",
        "Whataboutism / straw man / red herring",
        "Deflects: accuses the opponent of hypocrisy, distorts their view, or changes the subject.",
        "#adb5bd",
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
