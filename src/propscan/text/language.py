"""Which language an article is in (py3langid: langid.py's model of 97 languages, offline),
and whether a model was trained on it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

SAMPLE_CHARS = 20_000
"""Detection reads the start of long texts only (it is as sure after a few paragraphs)."""
MIN_CONFIDENCE = 0.5
"""Below this probability the language is reported as unknown ("und")."""
SHORT_LETTERS = 100
MIN_CONFIDENCE_SHORT = 0.9
"""A text of fewer letters needs this probability: a sentence with a few borrowed words
("Déjà vu: a naïve façade") is easily taken for another language."""
UNKNOWN = "und"
"""ISO 639 code for an undetermined language."""


@dataclass(frozen=True)
class Detected:
    """An ISO 639-1 code (or ``und``) and how sure the detector is."""

    language: str
    confidence: float


@cache
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> Detected:
    """The language of ``text``: ``und`` for text with no letters or no clear language."""
    sample = text[:SAMPLE_CHARS]
    letters = sum(ch.isalpha() for ch in sample)
    if not letters:
        return Detected(UNKNOWN, 0.0)
    code, probability = _identifier().classify(sample)
    if probability < (MIN_CONFIDENCE_SHORT if letters < SHORT_LETTERS else MIN_CONFIDENCE):
        return Detected(UNKNOWN, float(probability))
    return Detected(str(code), float(probability))


def is_untested(language: str, trained: frozenset[str]) -> bool:
    """Whether a model trained on ``trained`` has not been tested on ``language`` (an
    undetermined language is not held against it: too short or too mixed a text to say)."""
    return language != UNKNOWN and language not in trained


def untested_note(language: str, trained: frozenset[str]) -> str | None:
    """What to tell the user when a model analyses a language it was not trained on."""
    if not is_untested(language, trained):
        return None
    known = ", ".join(sorted(trained)) or "no language"
    return (
        f"the text looks like '{language}'; the model was trained on {known} only, so its "
        "results for this text are untested"
    )
