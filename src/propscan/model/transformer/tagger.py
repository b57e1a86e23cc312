"""Span identification with a fine-tuned transformer token tagger run by ONNX Runtime."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscan.model import DetectedSpan
from propscan.model.transformer.network import OnnxNetwork
from propscan.model.transformer.text import (
    Decoding,
    EncodedText,
    encode,
    pad,
    windows,
)


def softmax(logits: NDArray[np.float32]) -> NDArray[np.float64]:
    """Softmax over the last axis, in float64."""
    scores = logits.astype(np.float64)
    scores -= scores.max(axis=-1, keepdims=True)
    exp = np.exp(scores)
    return np.asarray(exp / exp.sum(axis=-1, keepdims=True))


LEGACY_WINDOWS_PER_RUN = 8
"""Windows per model run of a model whose manifest records none (made before run sizes were
recorded): its decodings were chosen on runs of 8. Newer models run one window at a time: the
int8 network scales its activations over a whole run, padding included, so a window's
probabilities would depend on the windows beside it (one window per run scored the same in
grouped CV, fold 0, and is faster; RESULTS.md)."""


class OnnxSpanTagger(OnnxNetwork):
    """Tags word pieces B/I/O over windows of whole sentences and returns character spans.

    Two decodings of the same probabilities: ``labelled`` for spans that will get a technique
    (tuned for the full task) and ``spans_only`` (tuned for span F1 alone, the SI task).
    """

    thread_safe = True
    """ONNX Runtime sessions and tokenizers may be used by several threads at once."""

    def __init__(
        self,
        model_path: Path,
        tokenizer_path: Path,
        *,
        max_pieces: int = 256,
        spans_only: Decoding | None = None,
        labelled: Decoding | None = None,
        batch_size: int = 1,
        threads: int | None = None,
    ) -> None:
        super().__init__(model_path, tokenizer_path, threads)
        self.max_pieces = max_pieces
        self.spans_only = spans_only or Decoding()
        self.labelled = labelled or self.spans_only
        self.batch_size = batch_size
        self._last: tuple[str, EncodedText, NDArray[np.float64]] | None = None

    @classmethod
    def from_settings(
        cls, folder: Path, tokenizer: str, settings: dict[str, Any]
    ) -> OnnxSpanTagger:
        """The tagger described by the ``si`` entry of a model folder's manifest."""
        labelled = settings.get("labelled")
        return cls(
            folder / str(settings["model"]),
            folder / tokenizer,
            max_pieces=int(settings["max_pieces"]),
            spans_only=Decoding.of(settings),
            labelled=Decoding.of(labelled) if labelled else None,
            batch_size=int(settings.get("batch_size", LEGACY_WINDOWS_PER_RUN)),
        )

    def detect(self, text: str, *, spans_only: bool = False) -> list[DetectedSpan]:
        """Spans of ``text`` that use a technique, sorted by position.

        The probabilities of the last text are kept, so asking for both decodings of one text
        runs the encoder once.
        """
        last = self._last  # read once: other threads may replace it meanwhile
        if last is None or last[0] != text:
            encoded = encode(self.tokenizer, text)
            last = (text, encoded, self.piece_probabilities(text, encoded))
            self._last = last
        _, encoded, probabilities = last
        decoding = self.spans_only if spans_only else self.labelled
        return decoding.spans(text, encoded, probabilities)

    def piece_probabilities(self, text: str, encoded: EncodedText) -> NDArray[np.float64]:
        """``(pieces, 3)`` probabilities of O, B and I for every word piece of the text."""
        result = np.zeros((len(encoded.ids), 3))
        result[:, 0] = 1.0
        ranges = sorted(windows(text, encoded, self.max_pieces - 2), key=lambda r: r[0] - r[1])
        for first in range(0, len(ranges), self.batch_size):
            batch = ranges[first : first + self.batch_size]
            rows = [
                [self.specials.cls, *encoded.ids[a:b].tolist(), self.specials.sep] for a, b in batch
            ]
            ids, mask = pad(rows, self.specials.pad)
            (logits,) = self.session.run(["logits"], {"input_ids": ids, "attention_mask": mask})
            probabilities = softmax(np.asarray(logits))
            for row, (a, b) in enumerate(batch):
                result[a:b] = probabilities[row, 1 : 1 + b - a]
        return result
