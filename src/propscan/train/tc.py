"""Fine-tune a transformer to name the technique of a span marked with « » in its context."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from numpy.typing import NDArray
from tokenizers import Tokenizer
from transformers import AutoModel

from propscan.model.transformer.text import (
    TC_FEATURES,
    Specials,
    encode,
    marked_input,
    occurrence_note,
    pad,
    span_cues,
    with_note,
)
from propscan.tasks.ptc import Corpus
from propscan.train._loop import Schedule, fit, layer_override, soft_cross_entropy
from propscan.train.soft_labels import SoftLabels


@dataclass(frozen=True)
class MarkedSpan:
    """One classifier input and its gold technique index; for a span a teacher found,
    ``soft`` holds its technique distribution, which the classifier is trained towards."""

    ids: list[int]
    span_mask: list[int]
    cues: list[float]
    label: int
    soft: NDArray[np.float32] | None = None


class SpanClassifier(torch.nn.Module):  # type: ignore[misc,unused-ignore]  # Any without torch
    """Encoder + linear head over [CLS], the mean of the marked span and the span's cues."""

    def __init__(self, encoder: torch.nn.Module, hidden: int, labels: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = torch.nn.Dropout(0.1)
        self.head = torch.nn.Linear(2 * hidden + len(TC_FEATURES), labels)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        span_mask: torch.Tensor,
        cues: torch.Tensor,
    ) -> torch.Tensor:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        weights = span_mask.unsqueeze(-1)
        span = (states * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
        features = torch.cat([states[:, 0], span, cues], dim=-1)
        logits: torch.Tensor = self.head(self.dropout(features))
        return logits


def marked_spans(
    corpus: Corpus,
    tokenizer: Tokenizer,
    labels: list[str],
    max_pieces: int,
    occurrence_input: bool = False,
    soft: SoftLabels | None = None,
) -> list[MarkedSpan]:
    """One input per gold (span, technique) of the corpus (with ``occurrence_input``, each
    with its occurrence note appended); one per span, with the teacher's distribution, in the
    articles ``soft`` has."""
    specials = Specials.of(tokenizer)
    index = {label: i for i, label in enumerate(labels)}
    soft = soft or {}
    result = []
    for article in corpus.articles:
        encoded = encode(tokenizer, article.text)
        view = soft.get(article.id)
        done: set[tuple[int, int]] = set()
        for _, technique, start, end in corpus.labels_by_article[article.id]:
            distribution = None if view is None else view.technique_distribution(start, end)
            if distribution is not None and (start, end) in done:
                continue
            done.add((start, end))
            ids, mask = marked_input(encoded, start, end, specials, max_pieces)
            note = occurrence_note(article.text, start, end) if occurrence_input else ""
            if note:
                pieces = tokenizer.encode(note, add_special_tokens=False).ids
                ids, mask = with_note(ids, mask, pieces, specials)
            cues = span_cues(article.text, start, end)
            result.append(MarkedSpan(ids, mask, cues, index[technique], distribution))
    return result


def technique_targets(
    examples: Sequence[MarkedSpan], class_weight: torch.Tensor
) -> tuple[torch.Tensor, torch.Tensor]:
    """Target distributions (one-hot gold techniques or a teacher's probabilities) and each
    input's weight in the loss (its technique's class weight; 1 for a teacher's)."""
    labels = len(class_weight)
    targets = torch.zeros((len(examples), labels))
    weights = torch.ones(len(examples))
    for row, example in enumerate(examples):
        if example.soft is not None:
            targets[row] = torch.from_numpy(example.soft)
        else:
            targets[row, example.label] = 1.0
            weights[row] = class_weight[example.label]
    return targets, weights


def batch_tensors(
    examples: list[MarkedSpan], pad_id: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Padded ids, attention mask, span mask and cues of some inputs."""
    ids, mask = pad([e.ids for e in examples], pad_id)
    span_mask, _ = pad([e.span_mask for e in examples], 0)
    cues = torch.tensor([e.cues for e in examples], dtype=torch.float32)
    return (
        torch.from_numpy(ids),
        torch.from_numpy(mask),
        torch.from_numpy(span_mask).float(),
        cues,
    )


def export_inputs(
    examples: list[MarkedSpan], pad_id: int
) -> tuple[dict[str, torch.Tensor], dict[str, dict[int, str]]]:
    """Example inputs for exporting a span classifier to ONNX, and their dynamic axes."""
    ids, mask, span_mask, cues = batch_tensors(examples[:4], pad_id)
    inputs = {"input_ids": ids, "attention_mask": mask, "span_mask": span_mask, "cues": cues}
    axes: dict[str, dict[int, str]] = {
        "input_ids": {0: "batch", 1: "pieces"},
        "attention_mask": {0: "batch", 1: "pieces"},
        "span_mask": {0: "batch", 1: "pieces"},
        "cues": {0: "batch"},
        "logits": {0: "batch"},
    }
    return inputs, axes


def class_weights(targets: Sequence[int], labels: int, power: float) -> torch.Tensor:
    """Loss weights ``count ** -power`` of the examples' targets, scaled so that an average
    example weighs 1."""
    counts = Counter(targets)
    raw = torch.tensor([max(counts[i], 1) ** -power for i in range(labels)], dtype=torch.float32)
    mean = sum(float(raw[target]) for target in targets) / max(len(targets), 1)
    return raw / mean


def train_classifier(
    corpus: Corpus,
    tokenizer: Tokenizer,
    encoder_dir: Path,
    labels: list[str],
    *,
    max_pieces: int,
    layers: int | None,
    weight_power: float,
    schedule: Schedule,
    occurrence_input: bool = False,
    soft: SoftLabels | None = None,
) -> tuple[SpanClassifier, float, list[MarkedSpan]]:
    """Fine-tune the encoder as a span classifier: the model, training seconds and its inputs
    (``soft``: the teacher's probabilities for the teacher-labelled articles of ``corpus``)."""
    examples = marked_spans(corpus, tokenizer, labels, max_pieces, occurrence_input, soft)
    pad_id = Specials.of(tokenizer).pad
    encoder = AutoModel.from_pretrained(str(encoder_dir), **layer_override(layers))
    model = SpanClassifier(encoder, int(encoder.config.hidden_size), len(labels))
    weight = class_weights([e.label for e in examples], len(labels), weight_power)

    def loss_of(batch: list[int]) -> torch.Tensor:
        chosen = [examples[i] for i in batch]
        logits = model(*(t.to(schedule.device) for t in batch_tensors(chosen, pad_id)))
        targets, weights = (t.to(schedule.device) for t in technique_targets(chosen, weight))
        return soft_cross_entropy(logits, targets, weights)

    seconds = fit(model, model.head, [len(e.ids) for e in examples], loss_of, schedule, "tc")
    return model, seconds, examples
