"""Fine-tune a transformer to tag word pieces B/I/O over windows of whole sentences."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from tokenizers import Tokenizer
from transformers import AutoModelForTokenClassification

from propscan.model.transformer.text import Specials, bio_tags, encode, pad, windows
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import merge_spans
from propscan.train._loop import Schedule, fit, layer_override

if TYPE_CHECKING:
    from propscan.train.joint import JointWindow

IGNORE = -100
"""Target of [CLS], [SEP] and padding: no loss."""


@dataclass(frozen=True)
class TaggedWindow:
    """One encoder input (with [CLS] and [SEP]) and the tag of every position."""

    ids: list[int]
    tags: list[int]


def tagged_windows(corpus: Corpus, tokenizer: Tokenizer, max_pieces: int) -> list[TaggedWindow]:
    """Every window of every article, tagged with the article's merged gold spans."""
    specials = Specials.of(tokenizer)
    result = []
    for article in corpus.articles:
        encoded = encode(tokenizer, article.text)
        gold = merge_spans((s, e) for _, _, s, e in corpus.labels_by_article[article.id])
        tags = bio_tags(encoded, gold)
        for a, b in windows(article.text, encoded, max_pieces - 2):
            result.append(
                TaggedWindow(
                    [specials.cls, *encoded.ids[a:b].tolist(), specials.sep],
                    [IGNORE, *tags[a:b].tolist(), IGNORE],
                )
            )
    return result


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
) -> tuple[TaggerLogits, float, list[TaggedWindow]]:
    """Fine-tune the encoder as a B/I/O tagger: the model, training seconds and its windows."""
    examples = tagged_windows(corpus, tokenizer, max_pieces)
    pad_id = Specials.of(tokenizer).pad
    model = AutoModelForTokenClassification.from_pretrained(
        str(encoder_dir), num_labels=3, **layer_override(layers)
    )
    loss_fn = torch.nn.CrossEntropyLoss(ignore_index=IGNORE)

    def loss_of(batch: list[int]) -> torch.Tensor:
        ids, mask, tags = (
            t.to(schedule.device) for t in batch_tensors([examples[i] for i in batch], pad_id)
        )
        logits = model(input_ids=ids, attention_mask=mask).logits
        loss: torch.Tensor = loss_fn(logits.reshape(-1, logits.shape[-1]), tags.reshape(-1))
        return loss

    seconds = fit(model, model.classifier, [len(e.ids) for e in examples], loss_of, schedule, "si")
    return TaggerLogits(model), seconds, examples
