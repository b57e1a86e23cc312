"""Read SemEval-2021 Task 6 (persuasion techniques in the text of memes, subtask 2: spans) into a
``Corpus`` in the SemEval-2023 taxonomy.

The release's files (``training_set_task2.txt``, ``dev_set_task2.txt``) are JSON lists of
``{id, text, labels: [{start, end, technique, text_fragment}]}`` (end exclusive) in 20
techniques, named as the 2021 task named them. Each maps to the 2023 technique that took its
place (``MEME_TO_SEMEVAL2023``): smears became part of questioning the reputation, glittering
generalities became appeal to values, which gives English examples of two techniques the English
news release has none of. Texts are short and often in capitals: another register than news.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from propscan.article import Article
from propscan.errors import CorpusFormatError
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import TechniqueLabel, paragraph_labels
from propscan.tasks.semeval2023 import snapped_label

MEME_FILES = ("training_set_task2.txt", "dev_set_task2.txt")

MEME_TO_SEMEVAL2023 = {
    "Appeal to authority": "Appeal_to_Authority",
    "Appeal to fear/prejudice": "Appeal_to_Fear-Prejudice",
    "Black-and-white Fallacy/Dictatorship": "False_Dilemma-No_Choice",
    "Causal Oversimplification": "Causal_Oversimplification",
    "Doubt": "Doubt",
    "Exaggeration/Minimisation": "Exaggeration-Minimisation",
    "Flag-waving": "Flag_Waving",
    "Glittering generalities (Virtue)": "Appeal_to_Values",
    "Loaded Language": "Loaded_Language",
    "Misrepresentation of Someone's Position (Straw Man)": "Straw_Man",
    "Name calling/Labeling": "Name_Calling-Labeling",
    "Obfuscation, Intentional vagueness, Confusion": "Obfuscation-Vagueness-Confusion",
    "Presenting Irrelevant Data (Red Herring)": "Red_Herring",
    "Reductio ad hitlerum": "Guilt_by_Association",
    "Repetition": "Repetition",
    "Slogans": "Slogans",
    "Smears": "Questioning_the_Reputation",
    "Thought-terminating cliché": "Conversation_Killer",
    "Whataboutism": "Whataboutism",
    "Bandwagon": "Appeal_to_Popularity",
}
"""Each 2021 meme technique and the 2023 technique that covers it (Transfer has none)."""


def is_memes_folder(folder: Path) -> bool:
    """Whether ``folder`` holds the memes release."""
    return (folder / MEME_FILES[0]).is_file()


def read_memes(folder: Path) -> Corpus:
    """Every meme of the release's files (ids prefixed ``meme``); spans of techniques with no
    2023 counterpart are left out, span edges are snapped to whole words."""
    articles: list[Article] = []
    labels: list[TechniqueLabel] = []
    for name in MEME_FILES:
        path = folder / name
        if not path.is_file():
            continue
        for meme in _records(path):
            ident, text = f"meme{meme['id']}", str(meme["text"])
            articles.append(Article(id=ident, text=text))
            for label in meme.get("labels") or ():
                technique = MEME_TO_SEMEVAL2023.get(label.get("technique"))
                start, end = int(label["start"]), int(label["end"])
                if technique is not None and 0 <= start < end <= len(text):
                    labels.append(snapped_label(text, (ident, technique, start, end)))
    texts = {a.id: a.text for a in articles}
    return Corpus(tuple(articles), tuple(labels), tuple(paragraph_labels(texts, labels)))


def _records(path: Path) -> list[dict[str, Any]]:
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CorpusFormatError(f"{path}: not a JSON list of memes ({error})") from None
    if not isinstance(records, list) or not all(
        isinstance(r, dict) and "id" in r and "text" in r for r in records
    ):
        raise CorpusFormatError(f"{path}: expected a JSON list of {{id, text, labels}}")
    return records
