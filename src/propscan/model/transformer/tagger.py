"""Span identification with a fine-tuned transformer token tagger run by ONNX Runtime."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import onnxruntime as ort
from numpy.typing import NDArray

from propscan.errors import ModelNotFound
from propscan.model import THREADS_VARIABLE, DetectedSpan
from propscan.model.transformer.text import (
    Decoding,
    EncodedText,
    Specials,
    encode,
    load_tokenizer,
    pad,
    windows,
)


def open_session(path: Path, threads: int | None = None) -> ort.InferenceSession:
    """An ONNX Runtime CPU session using ``threads`` cores (default: ``$PROPSCAN_THREADS``, else
    1). One thread per run is the fastest use of the cores here: on 2 cores, one article at a
    time runs at 11.0 articles/s with 1 thread and 9.6 with 2, and two articles at once with 1
    thread each at 20 (RESULTS.md); ``pipeline.analyze_many`` analyses several at once."""
    options = ort.SessionOptions()
    default = int(os.environ.get(THREADS_VARIABLE) or 1)
    options.intra_op_num_threads = threads or default
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # onnxruntime raises its own pybind exception types
        raise ModelNotFound(f"{path}: cannot load the ONNX model ({error})") from error


def softmax(logits: NDArray[np.float32]) -> NDArray[np.float64]:
    """Softmax over the last axis, in float64."""
    scores = logits.astype(np.float64)
    scores -= scores.max(axis=-1, keepdims=True)
    exp = np.exp(scores)
    return np.asarray(exp / exp.sum(axis=-1, keepdims=True))


class OnnxSpanTagger:
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
        batch_size: int = 8,
        threads: int | None = None,
    ) -> None:
        self.tokenizer = load_tokenizer(tokenizer_path)
        self.specials = Specials.of(self.tokenizer)
        self.session = open_session(model_path, threads)
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
