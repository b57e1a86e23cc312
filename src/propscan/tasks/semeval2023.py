"""Read the releases of SemEval-2023 Task 3 (subtask 3), persuasion techniques in the 2023
taxonomy, into a ``Corpus``: the English one and the multilingual one's language folders.

The release folder holds ``SPLIT-articles/articleID.txt`` (read as PTC articles are: UTF-8,
newlines kept, so that offsets match), ``SPLIT-labels/SPLIT-spans.labels`` with
``ID<TAB>technique<TAB>start<TAB>end`` lines (``end`` exclusive) and
``SPLIT-labels/SPLIT-paragraphs.labels`` with ``ID<TAB>line<TAB>technique,technique,...`` lines,
one per non-empty line of each article (1-based line numbers; the list may be empty).

A language folder of the multilingual release (``fr/``, ``de/``, ...) holds ``train-articles/``
and ``train-spans.labels`` and no paragraph labels: they are derived from the spans, as the task
did (a span labels each line it touches). Its gold has a known defect: in about a third of the
spans the end falls one character before the end of a word; such ends are snapped to the word's
end, which is what the annotators meant, so that no model learns to cut words.
"""

from __future__ import annotations

from pathlib import Path

from propscan.errors import CorpusFormatError
from propscan.model.span_boundaries import snap_to_words
from propscan.tasks.ptc import (
    Corpus,
    check_spans,
    label_fields,
    read_articles,
    read_technique_labels,
)
from propscan.tasks.scoring import ParagraphLabel, TechniqueLabel, paragraph_labels
from propscan.techniques import SEMEVAL2023


def read_paragraph_labels(path: Path) -> list[ParagraphLabel]:
    """``ID<TAB>line<TAB>technique,...`` lines as ``(article, line, technique)`` triples."""
    labels = []
    for number, fields in label_fields(path):
        if len(fields) != 3 or not fields[1].isdigit():
            raise CorpusFormatError(f"{path}:{number}: expected ID<TAB>line<TAB>techniques")
        for technique in filter(None, fields[2].split(",")):
            if technique not in SEMEVAL2023.techniques:
                raise CorpusFormatError(f"{path}:{number}: unknown technique {technique!r}")
            labels.append((fields[0], int(fields[1]), technique))
    return labels


def read_semeval2023(corpus_dir: Path) -> Corpus:
    """A release folder (e.g. ``train-articles/`` + ``train-labels/``) with 2023 labels."""
    folders = sorted(p for p in corpus_dir.glob("*-articles") if p.is_dir())
    spans = sorted(corpus_dir.glob("*-labels/*-spans.labels"))
    paragraphs = sorted(corpus_dir.glob("*-labels/*-paragraphs.labels"))
    if len(folders) != 1 or len(spans) != 1 or len(paragraphs) != 1:
        raise CorpusFormatError(
            f"{corpus_dir} should hold one '*-articles' folder and one '*-labels' folder with a "
            "'*-spans.labels' file and a '*-paragraphs.labels' file"
        )
    articles = read_articles(folders[0])
    labels = read_technique_labels(spans[0], SEMEVAL2023)
    check_spans(spans[0], articles, labels)
    return Corpus(tuple(articles), tuple(labels), tuple(read_paragraph_labels(paragraphs[0])))


def is_language_folder(folder: Path) -> bool:
    """Whether ``folder`` is one language of the multilingual release (``*-spans.labels`` beside
    a ``*-articles`` folder)."""
    return any(folder.glob("*-spans.labels")) and any(p.is_dir() for p in folder.glob("*-articles"))


def language_folders(folder: Path) -> dict[str, Path]:
    """The language folders of a multilingual release by language code (``fr`` -> ``fr/``); a
    language folder itself gives one entry named by the folder."""
    if is_language_folder(folder):
        return {folder.name.lower(): folder}
    found = {
        p.name.lower(): p for p in sorted(folder.iterdir()) if p.is_dir() and is_language_folder(p)
    }
    if not found:
        raise CorpusFormatError(
            f"{folder} holds no language folder of SemEval-2023 (LANG/train-articles/ and "
            "LANG/train-spans.labels)"
        )
    return found


def read_language_folder(folder: Path) -> Corpus:
    """One language of the multilingual release, gold ends snapped to whole words, paragraph
    labels derived from the spans."""
    articles = read_articles(next(p for p in sorted(folder.glob("*-articles")) if p.is_dir()))
    label_file = sorted(folder.glob("*-spans.labels"))[0]
    labels = read_technique_labels(label_file, SEMEVAL2023)
    check_spans(label_file, articles, labels)
    texts = {a.id: a.text for a in articles}
    snapped = [snapped_label(texts[label[0]], label) for label in labels]
    return Corpus(tuple(articles), tuple(snapped), tuple(paragraph_labels(texts, snapped)))


def snapped_label(text: str, label: TechniqueLabel) -> TechniqueLabel:
    """A gold span widened so that it neither starts nor ends inside a word."""
    article, technique, start, end = label
    return (article, technique, *snap_to_words(text, start, end))


def read_any_semeval2023(folder: Path) -> dict[str, Corpus]:
    """A folder of any release in (or mapped to) the SemEval-2023 taxonomy, by language: the
    English release (``en``), one language folder, the multilingual release's every language,
    or the SemEval-2021 memes release (``en-memes``: English, another register)."""
    from propscan.tasks.memes import is_memes_folder, read_memes

    if is_memes_folder(folder):
        return {"en-memes": read_memes(folder)}
    if any(folder.glob("*-labels/*-spans.labels")):
        return {"en": read_semeval2023(folder)}
    return {
        language: read_language_folder(path) for language, path in language_folders(folder).items()
    }


def merged(corpora: dict[str, Corpus]) -> Corpus:
    """Several corpora as one (article ids must differ: the releases number them apart)."""
    seen: set[str] = set()
    for corpus in corpora.values():
        ids = {a.id for a in corpus.articles}
        if seen & ids:
            raise CorpusFormatError(f"article ids in two corpora: {sorted(seen & ids)[:3]}")
        seen |= ids
    return Corpus(
        tuple(a for c in corpora.values() for a in c.articles),
        tuple(label for c in corpora.values() for label in c.labels),
        tuple(label for c in corpora.values() for label in c.paragraphs),
    )
