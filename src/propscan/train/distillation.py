"""Train the small model on the gold articles plus unlabelled news labelled by a teacher.

The teacher is the same two-network recipe from a base-size encoder (``TEACHER_RECIPE``); it
labels a sample of unlabelled news (``unlabelled.sample_unlabelled``) with the findings
``propscan analyze`` would show, and the student (``DISTILLED_RECIPE``) trains on the gold
articles and those.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from propscan.article import Article
from propscan.model.bundle import read_model
from propscan.tasks.ptc import Corpus
from propscan.train.soft_labels import SoftLabels, read_soft_labels, save_soft_labels
from propscan.train.teacher_labels import SPAN_ONLY, teacher_labels, teacher_spans
from propscan.train.transformer import (
    DISTILLED_RECIPE,
    TEACHER_RECIPE,
    TransformerConfig,
    train_transformer,
)

TEACHER_LABELS = "teacher-labels.json"
TEACHER_PROBABILITIES = "teacher-probabilities.npz"
TEACHER_SPANS = "teacher-spans.json"

log = logging.getLogger("propscan.train")


@dataclass(frozen=True)
class Teaching:
    """What a cross-validation fold needs to train a teacher and its student: the teacher's
    encoder and recipe, the unlabelled articles it labels, and the student's recipe."""

    encoder_dir: Path
    unlabelled: tuple[Article, ...]
    teacher: TransformerConfig = TEACHER_RECIPE
    student: TransformerConfig = DISTILLED_RECIPE


def labelled_by_teacher(
    teacher_dir: Path,
    articles: Sequence[Article],
    cache_dir: Path | None = None,
    *,
    probabilities: bool = False,
) -> tuple[Corpus, SoftLabels]:
    """The articles with the teacher's findings as their labels and, with ``probabilities``,
    its probabilities on them (``teacher_labels``; else none); with ``cache_dir`` both are kept
    there and read back next time."""
    hard = cache_dir / TEACHER_LABELS if cache_dir else None
    soft = cache_dir / TEACHER_PROBABILITIES if cache_dir else None
    if hard and soft and hard.exists() and (soft.exists() or not probabilities):
        labels = json.loads(hard.read_text(encoding="utf-8"))
        rows = tuple((a.id, str(t), int(s), int(e)) for a in articles for t, s, e in labels[a.id])
        views = read_soft_labels(soft) if probabilities else {}
        return Corpus(tuple(articles), rows), views
    teacher = read_model(teacher_dir)
    log.info("the teacher %s labels %d unlabelled articles", teacher.name, len(articles))
    corpus, views = teacher_labels(teacher, articles, probabilities=probabilities)
    if hard and soft:
        by_article = corpus.labels_by_article
        labels = {a.id: [[t, s, e] for _, t, s, e in by_article[a.id]] for a in articles}
        hard.parent.mkdir(parents=True, exist_ok=True)
        hard.write_text(json.dumps(labels), encoding="utf-8")
        if probabilities:
            save_soft_labels(views, soft)
    return corpus, views


def spans_by_teacher(
    teacher_dir: Path, articles: Sequence[Article], cache_dir: Path | None = None
) -> Corpus:
    """The spans the teacher's span-finding decoding gives on the articles
    (``teacher_spans``); with ``cache_dir`` kept there and read back next time."""
    saved = cache_dir / TEACHER_SPANS if cache_dir else None
    if saved and saved.exists():
        spans = json.loads(saved.read_text(encoding="utf-8"))
        rows = tuple((a.id, SPAN_ONLY, int(s), int(e)) for a in articles for s, e in spans[a.id])
        return Corpus(tuple(articles), rows)
    corpus = teacher_spans(read_model(teacher_dir), articles)
    if saved:
        by_article = corpus.labels_by_article
        spans = {a.id: [[s, e] for _, _, s, e in by_article[a.id]] for a in articles}
        saved.parent.mkdir(parents=True, exist_ok=True)
        saved.write_text(json.dumps(spans), encoding="utf-8")
    return corpus


def train_distilled(
    corpus: Corpus,
    out_dir: Path,
    *,
    teacher_dir: Path,
    unlabelled: Sequence[Article],
    encoder_dir: Path,
    config: TransformerConfig = DISTILLED_RECIPE,
    held_out: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The teacher in ``teacher_dir`` labels the ``unlabelled`` articles; the student trains on
    them beside ``corpus``. Returns the student's manifest."""
    pseudo, _ = labelled_by_teacher(teacher_dir, unlabelled)
    return train_transformer(
        corpus,
        out_dir,
        encoder_dir=encoder_dir,
        config=config,
        held_out=held_out,
        tune=held_out is not None,
        pseudo=pseudo,
        teacher=read_model(teacher_dir).name,
    )
