"""Technique classification from the span tagger's own encoder states (one encoder pass).

A model trained by ``train.joint`` has one network: its run over a text's windows gives the
B/I/O probabilities and every word piece's state. The span head, two layers read by NumPy,
names a span's technique from its window's [CLS] state, the mean, first and last states of its
pieces and its cues; the class-prior and Repetition rules are the separate classifier's
(``classifier``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscan.errors import ModelNotFound
from propscan.model.repetition import recurs_elsewhere
from propscan.model.transformer.classifier import OnnxTechniqueClassifier, rule_settings
from propscan.model.transformer.tagger import OnnxSpanTagger, softmax
from propscan.model.transformer.text import TC_FEATURES, EncodedText, span_cues

HEAD_CUES = (*TC_FEATURES, "words_recur")
"""The span head's cues: the classifier's numeric cues and whether the span's key words occur
elsewhere in the article (the occurrence information the separate classifier reads as text)."""


def head_cues(text: str, start: int, end: int) -> list[float]:
    """The span head's cues of a span (``HEAD_CUES``)."""
    return [*span_cues(text, start, end), float(recurs_elsewhere(text, start, end))]


def span_pieces(encoded: EncodedText, start: int, end: int) -> tuple[int, int]:
    """The word pieces ``[first, last)`` that overlap the characters ``[start, end)``; a span
    over no piece gets the piece at its start."""
    offsets = encoded.offsets
    covered = np.flatnonzero((offsets[:, 0] < end) & (offsets[:, 1] > start))
    if len(covered):
        return int(covered[0]), int(covered[-1]) + 1
    first = min(int(np.searchsorted(offsets[:, 0], start)), max(len(offsets) - 1, 0))
    return first, first + 1


class SharedEncoderClassifier(OnnxTechniqueClassifier):
    """Gives each span a probability for every technique from the tagger's encoder states."""

    def __init__(
        self,
        head_path: Path,
        tagger: OnnxSpanTagger,
        labels: Sequence[str],
        **rules: Any,
    ) -> None:
        super().__init__(head_path, tagger._tokenizer_path, labels, **rules)
        self.tagger = tagger
        try:
            with np.load(head_path) as head:
                self.hidden_weight = np.asarray(head["hidden_weight"], dtype=np.float32)
                self.hidden_bias = np.asarray(head["hidden_bias"], dtype=np.float32)
                self.weight = np.asarray(head["weight"], dtype=np.float32)
                self.bias = np.asarray(head["bias"], dtype=np.float32)
        except KeyError:
            raise ModelNotFound(
                f"{head_path}: a span head of an earlier propscan; retrain the model"
            ) from None
        except (OSError, ValueError) as error:
            raise ModelNotFound(f"{head_path}: cannot read the span head ({error})") from error
        if self.weight.shape[0] != len(self.labels):
            raise ModelNotFound(f"{head_path}: the span head has {self.weight.shape[0]} labels")

    @classmethod
    def from_tagger(
        cls, folder: Path, tagger: OnnxSpanTagger, settings: dict[str, Any]
    ) -> SharedEncoderClassifier:
        """The classifier described by the ``tc`` entry of a one-pass model's manifest."""
        if list(settings["features"]) != list(HEAD_CUES):
            raise ModelNotFound(
                f"{folder}: the span head was trained with other cues ({settings['features']});"
                " retrain it with this version of propscan"
            )
        return cls(
            folder / str(settings["head"]),
            tagger,
            settings["labels"],
            **rule_settings(settings),
        )

    def raw_probabilities(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        """The span head's own probabilities: no prior adjustment, no Repetition rule."""
        if not spans:
            return np.zeros((0, len(self.labels)))
        tagged = self.tagger.tagged(text)
        if tagged.states is None or tagged.window_of is None or tagged.window_cls is None:
            raise ModelNotFound("the span tagger gives no encoder states for a shared classifier")
        rows = []
        for start, end in spans:
            first, last = span_pieces(tagged.encoded, start, end)
            window = tagged.window_cls[tagged.window_of[first]]
            states = tagged.states[first:last]
            cues = head_cues(text, start, end)
            rows.append(np.concatenate([window, states.mean(axis=0), states[0], states[-1], cues]))
        features = np.stack(rows).astype(np.float32)
        hidden = np.maximum(features @ self.hidden_weight.T + self.hidden_bias, 0.0)
        return softmax(hidden @ self.weight.T + self.bias)
