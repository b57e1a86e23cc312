"""Label unlabelled articles with a teacher model, for a student to train on."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import numpy as np

from propscan.article import Article
from propscan.model.bundle import Model
from propscan.model.transformer.classifier import OnnxTechniqueClassifier
from propscan.model.transformer.tagger import OnnxSpanTagger
from propscan.pipeline import analyze
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import TechniqueLabel
from propscan.train.soft_labels import TeacherView

log = logging.getLogger("propscan.train")


def teacher_labels(
    teacher: Model, articles: Sequence[Article], *, probabilities: bool = False
) -> tuple[Corpus, dict[str, TeacherView]]:
    """The articles with the teacher's findings as gold (what ``propscan analyze`` would show
    in English) and, with ``probabilities``, the teacher's probabilities on each
    (``soft_labels``; the classifier then runs a second time on the spans it found)."""
    if not isinstance(teacher.tagger, OnnxSpanTagger) or not isinstance(
        teacher.classifier, OnnxTechniqueClassifier
    ):
        raise ValueError(f"{teacher.name} is no two-network transformer model")
    rows: list[TechniqueLabel] = []
    views: dict[str, TeacherView] = {}
    started = time.monotonic()
    for done, article in enumerate(articles, 1):
        spans = analyze(article, teacher, language="en").spans
        rows.extend((article.id, s.technique, s.start, s.end) for s in spans)
        if probabilities:
            tagged = teacher.tagger.tagged(article.text)  # the pass analyze made (per thread)
            found = sorted({(s.start, s.end) for s in spans})
            views[article.id] = TeacherView(
                np.asarray(tagged.encoded.offsets, dtype=np.int64).reshape(-1, 2),
                tagged.probabilities.astype(np.float32),
                np.asarray(found, dtype=np.int64).reshape(-1, 2),
                teacher.classifier.raw_probabilities(article.text, found).astype(np.float32),
            )
        if done % 50 == 0 or done == len(articles):
            rate = done / (time.monotonic() - started)
            log.info("teacher labelled %d/%d articles (%.2f/s)", done, len(articles), rate)
    return Corpus(tuple(articles), tuple(rows)), views


SPAN_ONLY = "(span)"
"""The technique of a label that only marks where a span is (a tagger reads no technique)."""


def teacher_spans(teacher: Model, articles: Sequence[Article]) -> Corpus:
    """The articles with the spans the teacher's span-finding decoding gives (what ``propscan
    ptc spans`` would write), labelled ``SPAN_ONLY``: targets for a student's tagger."""
    if not isinstance(teacher.tagger, OnnxSpanTagger):
        raise ValueError(f"{teacher.name} has no transformer tagger")
    rows = [
        (article.id, SPAN_ONLY, start, end)
        for article in articles
        for start, end, _ in teacher.tagger.detect(article.text, spans_only=True)
    ]
    return Corpus(tuple(articles), tuple(rows))
