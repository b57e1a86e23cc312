"""The technique taxonomies, the single source of truth: the 14 techniques of SemEval-2020
Task 11 (the Propaganda Techniques Corpus, PTC) and the 23 persuasion techniques in 6 categories
of SemEval-2023 Task 3, with the mapping from the second to the first."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Technique:
    """One technique: its label string, a human name, a one-line definition, a colour, a short
    upper-case tag (shown beside highlights) and, in the 2023 taxonomy, its category's name."""

    label: str
    name: str
    definition: str
    color: str
    tag: str = ""
    category: str | None = None


@dataclass(frozen=True)
class Category:
    """A group of 2023 techniques that work the same way."""

    name: str
    description: str


_PTC2020_LIST = [
    Technique(
        "Appeal_to_Authority",
        "Appeal to authority",
        "Claims something is true because an authority or expert says so, without other evidence.",
        "#7799bb",
        "AUTHORITY",
    ),
    Technique(
        "Appeal_to_fear-prejudice",
        "Appeal to fear / prejudice",
        "Builds support for an idea by stirring anxiety, panic or prejudice against its rival.",
        "#9988ff",
        "FEAR",
    ),
    Technique(
        "Bandwagon,Reductio_ad_hitlerum",
        "Bandwagon / reductio ad Hitlerum",
        "Urges joining because 'everyone' does, or rejects an idea because a hated group holds it.",
        "#eebb88",
        "BANDWAGON",
    ),
    Technique(
        "Black-and-White_Fallacy",
        "Black-and-white fallacy",
        "Presents two alternatives as the only options when more exist.",
        "#bbccbb",
        "BLACK-WHITE",
    ),
    Technique(
        "Causal_Oversimplification",
        "Causal oversimplification",
        "Assumes a single cause or reason when an issue has several.",
        "#aabbff",
        "CAUSAL",
    ),
    Technique(
        "Doubt",
        "Doubt",
        "Questions the credibility of someone or something without substantiating it.",
        "#bbddee",
        "DOUBT",
    ),
    Technique(
        "Exaggeration,Minimisation",
        "Exaggeration / minimisation",
        "Represents something as much larger, better or worse, or much smaller, than it is.",
        "#eeaa00",
        "EXAGGERATION",
    ),
    Technique(
        "Flag-Waving",
        "Flag-waving",
        "Plays on strong national or group feeling to justify or promote an idea.",
        "#22aa88",
        "FLAG",
    ),
    Technique(
        "Loaded_Language",
        "Loaded language",
        "Uses words and phrases with strong emotional connotations to sway the audience.",
        "#ffff00",
        "LOADED",
    ),
    Technique(
        "Name_Calling,Labeling",
        "Name calling / labeling",
        "Labels the target of the message as something the audience fears, hates or admires.",
        "#ff6688",
        "NAME-CALLING",
    ),
    Technique(
        "Repetition",
        "Repetition",
        "Repeats the same message over and over so that the audience accepts it.",
        "#77bbbb",
        "REPETITION",
    ),
    Technique(
        "Slogans",
        "Slogans",
        "A brief, striking phrase that may include labeling and stereotyping.",
        "#cc8844",
        "SLOGAN",
    ),
    Technique(
        "Thought-terminating_Cliches",
        "Thought-terminating cliché",
        "A short, generic phrase that discourages critical thought and further discussion.",
        "#ffffaa",
        "CLICHE",
    ),
    Technique(
        "Whataboutism,Straw_Men,Red_Herring",
        "Whataboutism / straw man / red herring",
        "Deflects: accuses the opponent of hypocrisy, distorts their view, or changes the subject.",
        "#eeffdd",
        "WHATABOUT",
    ),
]

ATTACK = "Attack on reputation"
JUSTIFICATION = "Justification"
DISTRACTION = "Distraction"
SIMPLIFICATION = "Simplification"
CALL = "Call"
WORDING = "Manipulative wording"

CATEGORIES: tuple[Category, ...] = (
    Category(ATTACK, "Targets the people behind a position rather than the position itself."),
    Category(
        JUSTIFICATION, "Props a claim up with an appeal to feelings or to others, not evidence."
    ),
    Category(DISTRACTION, "Moves attention away from the point under discussion."),
    Category(
        SIMPLIFICATION, "Reduces a complex question to one cause, one outcome or two choices."
    ),
    Category(CALL, "Tells the audience what to think or do in a phrase that ends discussion."),
    Category(WORDING, "Sways through the choice of words rather than through argument."),
)
"""The 6 categories of SemEval-2023 Task 3 (Piskorski et al., 2023), in their usual order."""


def _t(label: str, name: str, definition: str, color: str, tag: str, category: str) -> Technique:
    return Technique(label, name, definition, color, tag, category)


_SEMEVAL2023_LIST = [
    _t(
        "Name_Calling-Labeling",
        "Name calling / labeling",
        "Labels the target with a word the audience fears, hates or admires instead of arguing.",
        "#ff6688",
        "NAME-CALLING",
        ATTACK,
    ),
    _t(
        "Guilt_by_Association",
        "Guilt by association",
        "Discredits a person or idea by linking it to a group or figure the audience despises.",
        "#ee88aa",
        "GUILT-ASSOC",
        ATTACK,
    ),
    _t(
        "Doubt",
        "Doubt",
        "Questions the credibility of someone or something without substantiating it.",
        "#bbddee",
        "DOUBT",
        ATTACK,
    ),
    _t(
        "Appeal_to_Hypocrisy",
        "Appeal to hypocrisy",
        "Calls the target a hypocrite to dismiss what they say, instead of answering it.",
        "#ff88dd",
        "HYPOCRISY",
        ATTACK,
    ),
    _t(
        "Questioning_the_Reputation",
        "Questioning the reputation",
        "Attacks the character or morals of the target to undermine what they stand for.",
        "#ff6600",
        "REPUTATION",
        ATTACK,
    ),
    _t(
        "Flag_Waving",
        "Flag-waving",
        "Plays on strong national or group feeling to justify or promote an idea.",
        "#22aa88",
        "FLAG",
        JUSTIFICATION,
    ),
    _t(
        "Appeal_to_Authority",
        "Appeal to authority",
        "Claims something is true because an authority or expert says so, without other evidence.",
        "#7799bb",
        "AUTHORITY",
        JUSTIFICATION,
    ),
    _t(
        "Appeal_to_Popularity",
        "Appeal to popularity",
        "Claims something is right or true because most people agree with it or do it.",
        "#eebb88",
        "POPULARITY",
        JUSTIFICATION,
    ),
    _t(
        "Appeal_to_Values",
        "Appeal to values",
        "Justifies an idea by tying it to values the audience holds dear (freedom, faith, family).",
        "#55eeaa",
        "VALUES",
        JUSTIFICATION,
    ),
    _t(
        "Appeal_to_Fear-Prejudice",
        "Appeal to fear / prejudice",
        "Builds support for an idea by stirring anxiety, panic or prejudice against its rival.",
        "#9988ff",
        "FEAR",
        JUSTIFICATION,
    ),
    _t(
        "Straw_Man",
        "Straw man",
        "Refutes a distorted, weaker version of the opponent's position instead of the real one.",
        "#ccdddd",
        "STRAW-MAN",
        DISTRACTION,
    ),
    _t(
        "Red_Herring",
        "Red herring",
        "Brings in an irrelevant topic to draw attention away from the issue at hand.",
        "#ddeedd",
        "RED-HERRING",
        DISTRACTION,
    ),
    _t(
        "Whataboutism",
        "Whataboutism",
        "Answers criticism by pointing at the critic's own supposed wrongdoing.",
        "#eeffdd",
        "WHATABOUT",
        DISTRACTION,
    ),
    _t(
        "Causal_Oversimplification",
        "Causal oversimplification",
        "Assumes a single cause or reason when an issue has several.",
        "#aabbff",
        "CAUSAL",
        SIMPLIFICATION,
    ),
    _t(
        "False_Dilemma-No_Choice",
        "False dilemma / no choice",
        "Presents two alternatives, or only one, as the only options when more exist.",
        "#bbccbb",
        "FALSE-DILEMMA",
        SIMPLIFICATION,
    ),
    _t(
        "Consequential_Oversimplification",
        "Consequential oversimplification",
        "Claims that a first step will inevitably set off a chain of (usually dire) consequences.",
        "#44cc66",
        "SLIPPERY-SLOPE",
        SIMPLIFICATION,
    ),
    _t(
        "Slogans",
        "Slogans",
        "A brief, striking phrase that may include labeling and stereotyping.",
        "#cc8844",
        "SLOGAN",
        CALL,
    ),
    _t(
        "Conversation_Killer",
        "Conversation killer",
        "A short, generic phrase that discourages critical thought and closes the discussion.",
        "#ffffaa",
        "CONV-KILLER",
        CALL,
    ),
    _t(
        "Appeal_to_Time",
        "Appeal to time",
        "Urges action now by claiming that the time has come or is running out.",
        "#33aa66",
        "TIME",
        CALL,
    ),
    _t(
        "Loaded_Language",
        "Loaded language",
        "Uses words and phrases with strong emotional connotations to sway the audience.",
        "#ffff00",
        "LOADED",
        WORDING,
    ),
    _t(
        "Obfuscation-Vagueness-Confusion",
        "Obfuscation / vagueness / confusion",
        "Uses deliberately unclear words so that the audience reads into them what it likes.",
        "#eedd66",
        "VAGUE",
        WORDING,
    ),
    _t(
        "Exaggeration-Minimisation",
        "Exaggeration / minimisation",
        "Represents something as much larger, better or worse, or much smaller, than it is.",
        "#eeaa00",
        "EXAGGERATION",
        WORDING,
    ),
    _t(
        "Repetition",
        "Repetition",
        "Repeats the same message over and over so that the audience accepts it.",
        "#77bbbb",
        "REPETITION",
        WORDING,
    ),
]

SEMEVAL2023_TO_PTC2020: dict[str, str | None] = {
    "Name_Calling-Labeling": "Name_Calling,Labeling",
    "Guilt_by_Association": "Bandwagon,Reductio_ad_hitlerum",
    "Doubt": "Doubt",
    "Appeal_to_Hypocrisy": "Whataboutism,Straw_Men,Red_Herring",
    "Questioning_the_Reputation": None,
    "Flag_Waving": "Flag-Waving",
    "Appeal_to_Authority": "Appeal_to_Authority",
    "Appeal_to_Popularity": "Bandwagon,Reductio_ad_hitlerum",
    "Appeal_to_Values": None,
    "Appeal_to_Fear-Prejudice": "Appeal_to_fear-prejudice",
    "Straw_Man": "Whataboutism,Straw_Men,Red_Herring",
    "Red_Herring": "Whataboutism,Straw_Men,Red_Herring",
    "Whataboutism": "Whataboutism,Straw_Men,Red_Herring",
    "Causal_Oversimplification": "Causal_Oversimplification",
    "False_Dilemma-No_Choice": "Black-and-White_Fallacy",
    "Consequential_Oversimplification": None,
    "Slogans": "Slogans",
    "Conversation_Killer": "Thought-terminating_Cliches",
    "Appeal_to_Time": None,
    "Loaded_Language": "Loaded_Language",
    "Obfuscation-Vagueness-Confusion": None,
    "Exaggeration-Minimisation": "Exaggeration,Minimisation",
    "Repetition": "Repetition",
}
"""The PTC class each 2023 technique falls in (None: no PTC class). As the corpus README states:
the English 2023 spans are the PTC spans under finer names. Obfuscation has no PTC class; the 4
techniques without English spans (annotated in other languages only) are left unmapped."""

PTC2020_CHILDREN: dict[str, tuple[str, ...]] = {
    parent: tuple(child for child, p in SEMEVAL2023_TO_PTC2020.items() if p == parent)
    for parent in (t.label for t in _PTC2020_LIST)
}
"""The 2023 techniques of each PTC class (none for a PTC class with no 2023 counterpart)."""


@dataclass(frozen=True)
class Taxonomy:
    """A set of techniques, in display order, and for the 2023 taxonomy their categories."""

    key: str
    title: str
    techniques: Mapping[str, Technique]
    categories: tuple[Category, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        """The label strings, in display order."""
        return tuple(self.techniques)

    def grouped(self) -> list[tuple[Category | None, list[Technique]]]:
        """The techniques by category, in category order; one group (None) without categories."""
        if not self.categories:
            return [(None, list(self.techniques.values()))]
        return [
            (c, [t for t in self.techniques.values() if t.category == c.name])
            for c in self.categories
        ]


TECHNIQUES: dict[str, Technique] = {t.label: t for t in _PTC2020_LIST}
"""Techniques by PTC label string, in the alphabetical order of the SemEval-2020 label file."""

LABELS: tuple[str, ...] = tuple(TECHNIQUES)

PTC2020 = Taxonomy("ptc2020", "SemEval-2020 Task 11 (PTC): 14 techniques", TECHNIQUES)
SEMEVAL2023 = Taxonomy(
    "semeval2023",
    "SemEval-2023 Task 3: 23 persuasion techniques in 6 categories",
    {t.label: t for t in _SEMEVAL2023_LIST},
    CATEGORIES,
)
TaxonomyKey = Literal["ptc2020", "semeval2023"]
TAXONOMIES: dict[TaxonomyKey, Taxonomy] = {"ptc2020": PTC2020, "semeval2023": SEMEVAL2023}
"""Every taxonomy by key; ``ptc2020`` is the default everywhere."""

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


def category_of(label: str) -> str | None:
    """The 2023 category of a label of either taxonomy: a PTC class takes the category most of
    its 2023 techniques share (the first one's on a tie); None for an unknown label."""
    if label in SEMEVAL2023.techniques:
        return SEMEVAL2023.techniques[label].category
    categories = [
        SEMEVAL2023.techniques[child].category for child in PTC2020_CHILDREN.get(label, ())
    ]
    if not categories:
        return None
    return max(categories, key=lambda c: (categories.count(c), -categories.index(c)))


def find_technique(label: str) -> Technique | None:
    """The technique of a label in any taxonomy (PTC first: shared labels mean the same)."""
    for taxonomy in TAXONOMIES.values():
        if label in taxonomy.techniques:
            return taxonomy.techniques[label]
    return None
