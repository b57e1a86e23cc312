"""Read the English release of SemEval-2023 Task 3 (subtask 3), persuasion techniques in the
2023 taxonomy, into a ``Corpus``.

The release folder holds ``SPLIT-articles/articleID.txt`` (read as PTC articles are: UTF-8,
newlines kept, so that offsets match), ``SPLIT-labels/SPLIT-spans.labels`` with
``ID<TAB>technique<TAB>start<TAB>end`` lines (``end`` exclusive) and
``SPLIT-labels/SPLIT-paragraphs.labels`` with ``ID<TAB>line<TAB>technique,technique,...`` lines,
one per non-empty line of each article (1-based line numbers; the list may be empty).
"""

from __future__ import annotations

from pathlib import Path

from propscan.errors import CorpusFormatError
from propscan.tasks.ptc import (
    Corpus,
    check_spans,
    label_fields,
    read_articles,
    read_technique_labels,
)
from propscan.tasks.scoring import ParagraphLabel
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
