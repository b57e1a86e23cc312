"""Fine-tune one encoder as span tagger and technique classifier at once (one pass per text).

The encoder reads windows of whole sentences; a token head tags every word piece B/I/O, and a
span head names the technique of a span from the window's [CLS] state, the mean, first and
last states of the span's pieces and the span's cues (``head_cues``). Both losses train the
same encoder, so at analysis time a text is encoded once: the tagger's run also yields the
states the span head reads (``model.transformer.shared_classifier``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import AutoModel

from propscan.model.transformer.shared_classifier import HEAD_CUES, head_cues, span_pieces
from propscan.model.transformer.text import Specials, bio_tags, encode, windows
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import merge_spans
from propscan.train._loop import Schedule, fit, layer_override
from propscan.train.si import IGNORE, batch_tensors
from propscan.train.tc import class_weights


@dataclass(frozen=True)
class LabelledSpan:
    """A gold (span, technique) inside a window: its pieces ``[first, last)`` counted in the
    window's input (after [CLS]), its cues and its technique index."""

    first: int
    last: int
    cues: list[float]
    label: int


@dataclass(frozen=True)
class JointWindow:
    """One encoder input (with [CLS] and [SEP]), the tag of every position and its gold spans."""

    ids: list[int]
    tags: list[int]
    spans: list[LabelledSpan]


def joint_windows(
    corpus: Corpus, tokenizer: Tokenizer, labels: list[str], max_pieces: int
) -> list[JointWindow]:
    """Every window of every article, tagged with the merged gold spans, with the labelled spans
    that lie wholly inside it (a span across two windows only trains the tagger)."""
    specials = Specials.of(tokenizer)
    index = {label: i for i, label in enumerate(labels)}
    result = []
    for article in corpus.articles:
        encoded = encode(tokenizer, article.text)
        labelled = corpus.labels_by_article[article.id]
        tags = bio_tags(encoded, merge_spans((s, e) for _, _, s, e in labelled))
        placed = [
            (span_pieces(encoded, start, end), start, end, technique)
            for _, technique, start, end in labelled
        ]
        for a, b in windows(article.text, encoded, max_pieces - 2):
            spans = [
                LabelledSpan(
                    first - a + 1, last - a + 1, head_cues(article.text, s, e), index[technique]
                )
                for (first, last), s, e, technique in placed
                if a <= first < last <= b
            ]
            result.append(
                JointWindow(
                    [specials.cls, *encoded.ids[a:b].tolist(), specials.sep],
                    [IGNORE, *tags[a:b].tolist(), IGNORE],
                    spans,
                )
            )
    return result


class JointTagger(torch.nn.Module):  # type: ignore[misc,unused-ignore]  # Any without torch
    """Encoder, B/I/O token head and span head. As ONNX sees it:
    ``(input_ids, attention_mask) -> (logits, states)``; the span head is read by NumPy.

    The span head is a two-layer network over the window's [CLS] state, the mean, first and
    last states of the span's pieces and its cues (``span_features``): the states were computed
    without knowing which span is asked about, so its ends and a hidden layer carry what the
    separate classifier gets from reading the span marked in its input."""

    def __init__(self, encoder: torch.nn.Module, hidden: int, labels: int) -> None:
        super().__init__()
        self.encoder = encoder
        self.dropout = torch.nn.Dropout(0.1)
        self.token_head = torch.nn.Linear(hidden, 3)
        self.span_hidden = torch.nn.Linear(4 * hidden + len(HEAD_CUES), hidden)
        self.span_out = torch.nn.Linear(hidden, labels)
        self.heads = torch.nn.ModuleList([self.token_head, self.span_hidden, self.span_out])

    def forward(
        self, input_ids: torch.Tensor, attention_mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        logits: torch.Tensor = self.token_head(self.dropout(states))
        return logits, states

    def span_logits(
        self, states: torch.Tensor, spans: list[tuple[int, int, int]], cues: torch.Tensor
    ) -> torch.Tensor:
        """Technique logits of spans given as ``(window row, first, last)`` positions."""
        rows = [
            torch.cat(
                [
                    states[row, 0],
                    states[row, first:last].mean(dim=0),
                    states[row, first],
                    states[row, last - 1],
                ]
            )
            for row, first, last in spans
        ]
        features = torch.cat([torch.stack(rows), cues], dim=-1)
        hidden = torch.relu(self.span_hidden(self.dropout(features)))
        logits: torch.Tensor = self.span_out(self.dropout(hidden))
        return logits

    def head_arrays(self) -> dict[str, np.ndarray]:
        """The span head's weights for ``shared_classifier`` (float32)."""
        return {
            name: parameter.detach().float().numpy()
            for name, parameter in (
                ("hidden_weight", self.span_hidden.weight),
                ("hidden_bias", self.span_hidden.bias),
                ("weight", self.span_out.weight),
                ("bias", self.span_out.bias),
            )
        }


def train_joint(
    corpus: Corpus,
    tokenizer: Tokenizer,
    encoder_dir: Path,
    labels: list[str],
    *,
    max_pieces: int,
    layers: int | None,
    weight_power: float,
    span_loss_weight: float,
    schedule: Schedule,
) -> tuple[JointTagger, float, list[JointWindow]]:
    """Fine-tune the encoder with both heads: the model, training seconds and its windows."""
    examples = joint_windows(corpus, tokenizer, labels, max_pieces)
    pad_id = Specials.of(tokenizer).pad
    encoder = AutoModel.from_pretrained(str(encoder_dir), **layer_override(layers))
    model = JointTagger(encoder, int(encoder.config.hidden_size), len(labels))
    targets = [span.label for window in examples for span in window.spans]
    weights = class_weights(targets, len(labels), weight_power).to(schedule.device)
    tag_loss = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)
    span_loss = torch.nn.CrossEntropyLoss(weight=weights)

    def loss_of(batch: list[int]) -> torch.Tensor:
        chosen = [examples[i] for i in batch]
        ids, mask, tags = (t.to(schedule.device) for t in batch_tensors(chosen, pad_id))
        logits, states = model(ids, mask)
        loss: torch.Tensor = tag_loss(logits.reshape(-1, logits.shape[-1]), tags.reshape(-1))
        spans = [(row, s.first, s.last) for row, w in enumerate(chosen) for s in w.spans]
        if spans:
            cues = torch.tensor([s.cues for w in chosen for s in w.spans], dtype=torch.float32).to(
                schedule.device
            )
            targets = torch.tensor([s.label for w in chosen for s in w.spans]).to(schedule.device)
            span_logits = model.span_logits(states, spans, cues)
            loss = loss + span_loss_weight * span_loss(span_logits.float(), targets)
        return loss

    seconds = fit(model, model.heads, [len(e.ids) for e in examples], loss_of, schedule, "joint")
    return model, seconds, examples
