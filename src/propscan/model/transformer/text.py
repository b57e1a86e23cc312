"""Encoder inputs shared by transformer training and ONNX inference (no torch here).

Token offsets come from the ``tokenizers`` offset mapping, which points into the original text,
so tags and span markers map back to exact character offsets.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from tokenizers import Tokenizer

from propscan.errors import ModelNotFound
from propscan.model import DetectedSpan
from propscan.model.repetition import recurs_elsewhere
from propscan.model.span_boundaries import clean_span
from propscan.model.span_features import NUMERIC_FEATURES, describe
from propscan.text.segment import sentences

OUTSIDE, BEGIN, INSIDE = 0, 1, 2
"""Token tag ids of the span tagger (B/I/O)."""

SPAN_OPEN, SPAN_CLOSE = "«", "»"
"""Markers put around the span the technique classifier looks at."""

TC_FEATURES = NUMERIC_FEATURES
"""Names of the numeric cues (length, repetition, ...) fed to the classifier head."""


@dataclass(frozen=True)
class EncodedText:
    """A text's word-piece ids and their ``(start, end)`` character offsets."""

    ids: NDArray[np.int64]
    offsets: NDArray[np.int64]


@dataclass(frozen=True)
class Specials:
    """Ids of the special tokens the inputs are built with."""

    cls: int
    sep: int
    pad: int
    open: int
    close: int

    @classmethod
    def of(cls, tokenizer: Tokenizer) -> Specials:
        ids = {
            name: tokenizer.token_to_id(token)
            for name, token in (
                ("cls", "[CLS]"),
                ("sep", "[SEP]"),
                ("pad", "[PAD]"),
                ("open", SPAN_OPEN),
                ("close", SPAN_CLOSE),
            )
        }
        found = {name: value for name, value in ids.items() if value is not None}
        if len(found) < len(ids):
            raise ModelNotFound(f"tokenizer lacks the tokens {sorted(set(ids) - set(found))}")
        return cls(**found)


def load_tokenizer(path: Path) -> Tokenizer:
    """A ``tokenizer.json`` with truncation and padding switched off (inputs are built here)."""
    try:
        tokenizer = Tokenizer.from_file(str(path))
    except Exception as error:  # tokenizers raises a bare Exception
        raise ModelNotFound(f"{path}: cannot load the tokenizer ({error})") from error
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def encode(tokenizer: Tokenizer, text: str) -> EncodedText:
    """Word pieces of the whole text, without special tokens."""
    encoding = tokenizer.encode(text, add_special_tokens=False)
    ids = np.asarray(encoding.ids, dtype=np.int64)
    offsets = np.asarray(encoding.offsets, dtype=np.int64).reshape(len(ids), 2)
    return EncodedText(ids, offsets)


def windows(text: str, encoded: EncodedText, max_pieces: int) -> list[tuple[int, int]]:
    """Ranges ``[first, last)`` of word pieces packing whole sentences, at most ``max_pieces``.

    Consecutive sentences share a window while they fit; a longer sentence is cut in chunks.
    """
    starts = [s.start for s in sentences(text)]
    sentence_of = [bisect.bisect_right(starts, int(start)) for start in encoded.offsets[:, 0]]
    pieces: list[tuple[int, int]] = []
    first = 0
    for i in range(1, len(sentence_of) + 1):
        if i == len(sentence_of) or sentence_of[i] != sentence_of[first]:
            pieces.extend((j, min(j + max_pieces, i)) for j in range(first, i, max_pieces))
            first = i
    result: list[tuple[int, int]] = []
    for start, end in pieces:
        if result and end - result[-1][0] <= max_pieces:
            result[-1] = (result[-1][0], end)
        else:
            result.append((start, end))
    return result


def bio_tags(encoded: EncodedText, spans: Sequence[tuple[int, int]]) -> NDArray[np.int64]:
    """B/I/O tag of every word piece: inside a (merged) span if the piece's midpoint is."""
    tags = np.full(len(encoded.ids), OUTSIDE, dtype=np.int64)
    middles = encoded.offsets.sum(axis=1) / 2
    for start, end in spans:
        inside = np.flatnonzero((middles >= start) & (middles < end))
        if len(inside):
            tags[inside] = INSIDE
            tags[inside[0]] = BEGIN
    return tags


def decode_spans(
    encoded: EncodedText, probabilities: NDArray[np.float64], threshold: float
) -> list[DetectedSpan]:
    """Character spans of runs of pieces with ``P(B) + P(I) >= threshold``.

    A piece whose B beats its I starts a new span. Scores are the mean ``P(B) + P(I)``.
    """
    inside = 1.0 - probabilities[:, OUTSIDE]
    spans: list[DetectedSpan] = []
    run: list[int] = []
    for i in range(len(inside) + 1):
        keep = i < len(inside) and inside[i] >= threshold
        restart = keep and bool(run) and probabilities[i, BEGIN] > probabilities[i, INSIDE]
        if run and (not keep or restart):
            score = float(inside[run].mean())
            spans.append((int(encoded.offsets[run[0], 0]), int(encoded.offsets[run[-1], 1]), score))
            run = []
        if keep:
            run.append(i)
    return spans


@dataclass(frozen=True)
class Decoding:
    """How piece probabilities become spans: threshold, then gap merging and minimum length."""

    threshold: float = 0.5
    max_gap: int = 0
    min_chars: int = 1

    @classmethod
    def of(cls, settings: dict[str, Any]) -> Decoding:
        """The decoding described by a manifest entry."""
        return cls(
            float(settings["threshold"]), int(settings["max_gap"]), int(settings["min_chars"])
        )

    def spans(
        self, text: str, encoded: EncodedText, probabilities: NDArray[np.float64]
    ) -> list[DetectedSpan]:
        """The spans this decoding finds."""
        found = decode_spans(encoded, probabilities, self.threshold)
        return smooth_spans(text, found, max_gap=self.max_gap, min_chars=self.min_chars)


def smooth_spans(
    text: str, spans: Sequence[DetectedSpan], *, max_gap: int, min_chars: int
) -> list[DetectedSpan]:
    """Merge spans at most ``max_gap`` characters apart (never across a blank line), repair
    their boundaries (``span_boundaries.clean_span``) and drop spans shorter than ``min_chars``."""
    merged: list[DetectedSpan] = []
    for start, end, score in sorted(spans):
        if merged and start - merged[-1][1] <= max_gap:
            first, last, previous = merged[-1]
            weight = (last - first) / (last - first + end - start)
            merged[-1] = (first, max(last, end), weight * previous + (1 - weight) * score)
        else:
            merged.append((start, end, score))
    cleaned = sorted(
        (first, last, score)
        for start, end, score in merged
        for first, last in clean_span(text, start, end)
        if last - first >= max(min_chars, 1)
    )
    result: list[DetectedSpan] = []
    for start, end, score in cleaned:
        if result and start < result[-1][1]:  # widened to whole words, two spans can overlap
            first, last, previous = result[-1]
            result[-1] = (first, max(last, end), max(previous, score))
        else:
            result.append((start, end, score))
    return result


def marked_input(
    encoded: EncodedText, start: int, end: int, specials: Specials, max_pieces: int
) -> tuple[list[int], list[int]]:
    """``[CLS] left « span » right [SEP]`` ids, centred on the span, and the span's mask.

    The mask is 1 on the markers and the span's pieces. A span too long to fit keeps its head
    and tail; the context left over is shared between both sides.
    """
    covered = np.flatnonzero((encoded.offsets[:, 0] < end) & (encoded.offsets[:, 1] > start))
    first = int(covered[0]) if len(covered) else int(np.searchsorted(encoded.offsets[:, 0], start))
    last = int(covered[-1]) + 1 if len(covered) else first
    ids = encoded.ids.tolist()
    span = ids[first:last]
    budget = max_pieces - 4
    longest = max(budget * 3 // 4, 1)
    if len(span) > longest:
        span = span[: longest // 2] + span[len(span) - (longest - longest // 2) :]
    room = budget - len(span)
    right_room = min(len(ids) - last, room - min(first, room // 2))
    left_room = min(first, room - right_room)
    left = ids[first - left_room : first]
    right = ids[last : last + right_room]
    sequence = [specials.cls, *left, specials.open, *span, specials.close, *right, specials.sep]
    mask = [0] * (1 + len(left)) + [1] * (len(span) + 2) + [0] * (len(right) + 1)
    return sequence, mask


NOTE_PIECES = 16
"""The most word pieces an occurrence note adds to a classifier input."""


def occurrence_note(text: str, start: int, end: int) -> str:
    """What the classifier's input says of a span's recurrence in the article (empty when
    none of its key words occurs elsewhere): how often the fragment occurs before and after it,
    then the fragment itself (the input-level Repetition cue of CyberWallE, SemEval-2020)."""
    fragment = " ".join(text[start:end].split()).lower()
    lowered = text.lower()
    before = lowered.count(fragment, 0, start) if fragment else 0
    after = lowered.count(fragment, end) if fragment else 0
    if before or after:
        return f"repeated {before} before {after} after : {fragment}"
    if recurs_elsewhere(text, start, end):
        return f"words recur : {fragment}"
    return ""


def with_note(
    sequence: list[int], mask: list[int], note: list[int], specials: Specials
) -> tuple[list[int], list[int]]:
    """A classifier input with ``note``'s pieces (at most ``NOTE_PIECES``) and a [SEP] appended."""
    if not note:
        return sequence, mask
    extra = [*note[:NOTE_PIECES], specials.sep]
    return [*sequence, *extra], [*mask, *([0] * len(extra))]


def span_cues(text: str, start: int, end: int) -> list[float]:
    """The numeric cues of a span (``TC_FEATURES``), squashed into a small range."""
    return [math.tanh(value / 3) for value in describe(text, start, end).numeric]


def pad(rows: Sequence[Sequence[int]], value: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Right-padded ``(batch, longest)`` ids and the matching attention mask."""
    width = max((len(row) for row in rows), default=0)
    ids = np.full((len(rows), width), value, dtype=np.int64)
    mask = np.zeros((len(rows), width), dtype=np.int64)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask
