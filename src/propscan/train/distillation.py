"""Train the small model on the gold articles plus unlabelled news labelled by a teacher."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from propscan.model.bundle import read_model
from propscan.tasks.ptc import Corpus
from propscan.train.teacher_labels import teacher_labels
from propscan.train.transformer import DISTILLED_RECIPE, TransformerConfig, train_transformer
from propscan.train.unlabelled import sample_unlabelled

UNLABELLED_ARTICLES = 600
"""How many unlabelled articles the teacher labels by default (about 11 minutes on 2 cores)."""

log = logging.getLogger("propscan.train")


def train_distilled(
    corpus: Corpus,
    out_dir: Path,
    *,
    teacher_dir: Path,
    unlabelled: Path,
    encoder_dir: Path,
    count: int = UNLABELLED_ARTICLES,
    config: TransformerConfig = DISTILLED_RECIPE,
    held_out: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The teacher in ``teacher_dir`` labels ``count`` articles sampled from ``unlabelled``
    (``sample_unlabelled``; none that is a gold article); the student trains on both.
    Returns its manifest."""
    teacher = read_model(teacher_dir)
    sample = sample_unlabelled(unlabelled, count, exclude={a.text for a in corpus.articles})
    log.info("the teacher %s labels %d unlabelled articles", teacher.name, len(sample))
    pseudo, _ = teacher_labels(teacher, sample)
    return train_transformer(
        corpus,
        out_dir,
        encoder_dir=encoder_dir,
        config=config,
        held_out=held_out,
        tune=held_out is not None,
        pseudo=pseudo,
        teacher=teacher.name,
    )
