"""Fine-tune a transformer to tag word pieces B/I/O over windows of whole sentences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from numpy.typing import NDArray
from tokenizers import Tokenizer
from transformers import AutoModelForTokenClassification

from propscan.model.transformer.text import (
    BEGIN,
    INSIDE,
    OUTSIDE,
    Specials,
    bio_tags,
    encode,
    pad,
    windows,
)
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import merge_spans
from propscan.train._loop import Schedule, fit, layer_override, soft_cross_entropy
from propscan.train.soft_labels import SoftLabels

if TYPE_CHECKING:
    from propscan.train.joint import JointWindow

IGNORE = -100
"""Target of [CLS], [SEP] and padding: no loss."""


@dataclass(frozen=True)
class TaggedWindow:
    """One encoder input (with [CLS] and [SEP]) and the tag of every position; for a teacher's
    article, ``soft`` holds the O/B/I distribution each piece is trained towards instead."""

    ids: list[int]
    tags: list[int]
    soft: NDArray[np.float32] | None = None


def tagged_windows(
    corpus: Corpus, tokenizer: Tokenizer, max_pieces: int, soft: SoftLabels | None = None
) -> list[TaggedWindow]:
    """Every window of every article, tagged with the article's merged gold spans, or with the
    teacher's probabilities where ``soft`` has the article."""
    specials = Specials.of(tokenizer)
    soft = soft or {}
    result = []
    for article in corpus.articles:
        encoded = encode(tokenizer, article.text)
        gold = merge_spans((s, e) for _, _, s, e in corpus.labels_by_article[article.id])
        tags = bio_tags(encoded, gold)
        view = soft.get(article.id)
        targets = view.tag_distributions(encoded) if view is not None else None
        for a, b in windows(article.text, encoded, max_pieces - 2):
            result.append(
                TaggedWindow(
                    [specials.cls, *encoded.ids[a:b].tolist(), specials.sep],
                    [IGNORE, *tags[a:b].tolist(), IGNORE],
                    None if targets is None else np.pad(targets[a:b], ((1, 1), (0, 0))),
                )
            )
    return result


def tag_targets(examples: Sequence[TaggedWindow], width: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``(windows, width, 3)`` target distributions (one-hot gold tags or a teacher's
    probabilities) and ``(windows, width)`` weights: 1 where a piece counts, 0 elsewhere."""
    targets = np.zeros((len(examples), width, 3), dtype=np.float32)
    weights = np.zeros((len(examples), width), dtype=np.float32)
    for row, example in enumerate(examples):
        tags = np.asarray(example.tags)
        counted = np.flatnonzero(tags != IGNORE)
        weights[row, counted] = 1.0
        if example.soft is not None:
            targets[row, : len(tags)] = example.soft
        else:
            targets[row, counted, tags[counted]] = 1.0
    return torch.from_numpy(targets), torch.from_numpy(weights)


class TaggerLogits(torch.nn.Module):  # type: ignore[misc,unused-ignore]  # Any without torch
    """The tagger as ONNX sees it: ``(input_ids, attention_mask) -> logits``."""

    def __init__(self, model: torch.nn.Module) -> None:
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        logits: torch.Tensor = self.model(input_ids=input_ids, attention_mask=attention_mask).logits
        return logits


def batch_tensors(
    examples: Sequence[TaggedWindow | JointWindow], pad_id: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Padded ids, attention mask and tags of some windows (the tagger's or the one-pass
    network's)."""
    ids, mask = pad([e.ids for e in examples], pad_id)
    tags, _ = pad([e.tags for e in examples], IGNORE)
    return torch.from_numpy(ids), torch.from_numpy(mask), torch.from_numpy(tags)


def train_tagger(
    corpus: Corpus,
    tokenizer: Tokenizer,
    encoder_dir: Path,
    *,
    max_pieces: int,
    layers: int | None,
    schedule: Schedule,
    soft: SoftLabels | None = None,
) -> tuple[TaggerLogits, float, list[TaggedWindow]]:
    """Fine-tune the encoder as a B/I/O tagger: the model, training seconds and its windows
    (``soft``: the teacher's probabilities for the teacher-labelled articles of ``corpus``)."""
    examples = tagged_windows(corpus, tokenizer, max_pieces, soft)
    pad_id = Specials.of(tokenizer).pad
    model = AutoModelForTokenClassification.from_pretrained(
        str(encoder_dir), num_labels=3, **layer_override(layers)
    )

    def loss_of(batch: list[int]) -> torch.Tensor:
        chosen = [examples[i] for i in batch]
        ids, mask, _ = (t.to(schedule.device) for t in batch_tensors(chosen, pad_id))
        targets, weights = (t.to(schedule.device) for t in tag_targets(chosen, ids.shape[1]))
        logits = model(input_ids=ids, attention_mask=mask).logits
        return soft_cross_entropy(
            logits.reshape(-1, logits.shape[-1]), targets.reshape(-1, 3), weights.reshape(-1)
        )

    seconds = fit(model, model.classifier, [len(e.ids) for e in examples], loss_of, schedule, "si")
    return TaggerLogits(model), seconds, examples


COLLAPSE_CHECK_WINDOWS = 32
"""How many training windows with spans ``tags_nothing`` reads."""


def tags_nothing(
    model: TaggerLogits, examples: Sequence[TaggedWindow], pad_id: int, device: str = "cpu"
) -> bool:
    """Whether a trained tagger marks no piece B or I on training windows that have spans: a
    fine-tune that collapsed to tagging everything O (seen once with a base-size encoder)."""
    spanned = [e for e in examples if BEGIN in e.tags or INSIDE in e.tags]
    if not spanned:
        return False
    ids, mask, _ = (t.to(device) for t in batch_tensors(spanned[:COLLAPSE_CHECK_WINDOWS], pad_id))
    model.eval()
    with torch.no_grad():
        tags = model(ids, mask).argmax(dim=-1)
    return not bool(((tags != OUTSIDE) & (mask > 0)).any())
