"""Span identification with a fine-tuned transformer token tagger run by ONNX Runtime."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cached_property
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


@dataclass(frozen=True)
class TaggedText:
    """One text as the tagger's network saw it. A one-pass model's network also gives every
    piece's encoder state, the [CLS] state of every window and the window of every piece
    (``shared_classifier``); a tagger alone gives ``None`` for those."""

    text: str
    encoded: EncodedText
    probabilities: NDArray[np.float64]
    states: NDArray[np.float32] | None = None
    window_cls: NDArray[np.float32] | None = None
    window_of: NDArray[np.int64] | None = None


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
        self._last = threading.local()

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
        """Spans of ``text`` that use a technique, sorted by position."""
        tagged = self.tagged(text)
        decoding = self.spans_only if spans_only else self.labelled
        return decoding.spans(text, tagged.encoded, tagged.probabilities)

    def tagged(self, text: str) -> TaggedText:
        """The network's view of ``text``. Each thread keeps its last text's, so both decodings
        of a text and a one-pass model's technique classifier run the encoder once."""
        last: TaggedText | None = getattr(self._last, "tagged", None)
        if last is None or last.text != text:
            last = self._run(text, encode(self.tokenizer, text))
            self._last.tagged = last
        return last

    def piece_probabilities(self, text: str, encoded: EncodedText) -> NDArray[np.float64]:
        """``(pieces, 3)`` probabilities of O, B and I for every word piece of the text."""
        return self._run(text, encoded).probabilities

    @cached_property
    def gives_states(self) -> bool:
        """Whether the network also outputs its encoder states (a one-pass model)."""
        return "states" in {output.name for output in self.session.get_outputs()}

    def _run(self, text: str, encoded: EncodedText) -> TaggedText:
        """Run the network over the text's windows."""
        shared = self.gives_states
        outputs = ["logits", "states"] if shared else ["logits"]
        result = np.zeros((len(encoded.ids), 3))
        result[:, 0] = 1.0
        states: list[NDArray[np.float32]] = []
        window_cls: list[NDArray[np.float32]] = []
        window_of = np.zeros(len(encoded.ids), dtype=np.int64)
        ranges = sorted(windows(text, encoded, self.max_pieces - 2), key=lambda r: r[0] - r[1])
        for first in range(0, len(ranges), self.batch_size):
            batch = ranges[first : first + self.batch_size]
            rows = [
                [self.specials.cls, *encoded.ids[a:b].tolist(), self.specials.sep] for a, b in batch
            ]
            ids, mask = pad(rows, self.specials.pad)
            ran = self.session.run(outputs, {"input_ids": ids, "attention_mask": mask})
            probabilities = softmax(np.asarray(ran[0]))
            for row, (a, b) in enumerate(batch):
                result[a:b] = probabilities[row, 1 : 1 + b - a]
                if shared:
                    window_of[a:b] = len(window_cls)
                    window_cls.append(np.asarray(ran[1][row, 0], dtype=np.float32))
                    states.append(np.asarray(ran[1][row, 1 : 1 + b - a], dtype=np.float32))
        if not shared:
            return TaggedText(text, encoded, result)
        starts = np.argsort([a for a, _ in ranges]) if ranges else np.zeros(0, dtype=np.int64)
        return TaggedText(
            text,
            encoded,
            result,
            np.concatenate([states[i] for i in starts]) if states else np.zeros((0, 0), np.float32),
            np.stack(window_cls) if window_cls else np.zeros((0, 0), np.float32),
            window_of,
        )
