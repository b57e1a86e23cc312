"""Technique classification with a fine-tuned transformer run by ONNX Runtime.

The span is marked with « » in its context; the head also sees numeric cues such as the
span's length and whether its text repeats in the article. Repetition is ruled out for spans
whose words occur nowhere else and can be boosted for spans that recur verbatim
(``repetition_boost``), and the class priors that class-weighted training skewed can be restored
(``prior_power``); both are chosen on held-back articles. A joint Repetition decider
(``repetition_decider``), where the manifest has one, then places Repetition among the
techniques of given spans (``ranked``) from how often the span recurs in the whole article.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from propscan.errors import ModelNotFound
from propscan.model.repetition import apply_rules
from propscan.model.repetition_decider import RepetitionDecider
from propscan.model.transformer.network import OnnxNetwork
from propscan.model.transformer.tagger import softmax
from propscan.model.transformer.text import (
    TC_FEATURES,
    encode,
    marked_input,
    occurrence_note,
    pad,
    span_cues,
    with_note,
)

LEGACY_SPANS_PER_RUN = 32
"""Spans per model run of a model whose manifest records none (made before run sizes were
recorded); newer ones run one span at a time, like the tagger's windows
(``tagger.LEGACY_WINDOWS_PER_RUN``)."""


def rule_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The class-prior and Repetition rules recorded in a ``tc`` manifest entry."""
    return {
        "class_counts": settings.get("class_counts"),
        "prior_power": float(settings.get("prior_power", 0.0)),
        "repetition_boost": float(settings.get("repetition_boost", 1.0)),
    }


class OnnxTechniqueClassifier(OnnxNetwork):
    """Gives each span a probability for every technique."""

    thread_safe = True
    """ONNX Runtime sessions and tokenizers may be used by several threads at once; nothing
    here changes after loading."""

    def __init__(
        self,
        model_path: Path,
        tokenizer_path: Path,
        labels: Sequence[str],
        *,
        max_pieces: int = 64,
        batch_size: int = 1,
        threads: int | None = None,
        class_counts: Sequence[int] | None = None,
        prior_power: float = 0.0,
        repetition_boost: float = 1.0,
        repetition_decider: RepetitionDecider | None = None,
        occurrence_input: bool = False,
    ) -> None:
        self.labels = list(labels)
        self.class_counts = list(class_counts) if class_counts is not None else None
        self.prior_power = prior_power
        self.repetition_boost = repetition_boost
        self.repetition_decider = repetition_decider
        self.occurrence_input = occurrence_input
        super().__init__(model_path, tokenizer_path, threads)
        self.max_pieces = max_pieces
        self.batch_size = batch_size

    @classmethod
    def from_settings(
        cls, folder: Path, tokenizer: str, settings: dict[str, Any]
    ) -> OnnxTechniqueClassifier:
        """The classifier described by the ``tc`` entry of a model folder's manifest."""
        if list(settings["features"]) != list(TC_FEATURES):
            raise ModelNotFound(
                f"{folder}: the classifier was trained with other span cues "
                f"({settings['features']}); retrain it with this version of propscan"
            )
        return cls(
            folder / str(settings["model"]),
            folder / tokenizer,
            settings["labels"],
            max_pieces=int(settings["max_pieces"]),
            **rule_settings(settings),
            repetition_decider=(
                RepetitionDecider.from_settings(settings["repetition_decider"])
                if settings.get("repetition_decider")
                else None
            ),
            occurrence_input=bool(settings.get("occurrence_input", False)),
            batch_size=int(settings.get("batch_size", LEGACY_SPANS_PER_RUN)),
        )

    def probabilities(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        """One row per span, one column per label in ``self.labels``; rows sum to 1. These
        choose a detected span's techniques through the label thresholds, which were chosen
        on rows without the joint Repetition decider, so it is left out here."""
        return self.decide(self.raw_probabilities(text, spans), text, spans)

    def ranked(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        """``probabilities`` with the joint Repetition decider applied, where the model has
        one: the rows that rank the techniques of given spans (the TC task)."""
        rows = self.probabilities(text, spans)
        if self.repetition_decider is None:
            return rows
        return self.repetition_decider.apply(rows, text, spans, self.labels)

    def decide(
        self, raw: NDArray[np.float64], text: str, spans: Sequence[tuple[int, int]]
    ) -> NDArray[np.float64]:
        """The network's probabilities after the class-prior and Repetition rules."""
        return apply_rules(
            raw,
            text,
            spans,
            self.labels,
            class_counts=self.class_counts,
            prior_power=self.prior_power,
            repetition_boost=self.repetition_boost,
        )

    def _note(self, text: str, start: int, end: int) -> list[int]:
        note = occurrence_note(text, start, end)
        return self.tokenizer.encode(note, add_special_tokens=False).ids if note else []

    def raw_probabilities(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        """The network's own probabilities: no prior adjustment, no Repetition rule."""
        unique = sorted(set(spans))
        if not unique:
            return np.zeros((0, len(self.labels)))
        encoded = encode(self.tokenizer, text)
        inputs = [marked_input(encoded, s, e, self.specials, self.max_pieces) for s, e in unique]
        if self.occurrence_input:
            inputs = [
                with_note(ids, mask, self._note(text, s, e), self.specials)
                for (ids, mask), (s, e) in zip(inputs, unique, strict=True)
            ]
        order = sorted(range(len(unique)), key=lambda i: -len(inputs[i][0]))
        rows = np.zeros((len(unique), len(self.labels)))
        for first in range(0, len(order), self.batch_size):
            batch = order[first : first + self.batch_size]
            ids, mask = pad([inputs[i][0] for i in batch], self.specials.pad)
            span_mask, _ = pad([inputs[i][1] for i in batch], 0)
            cues = np.asarray([span_cues(text, *unique[i]) for i in batch], dtype=np.float32)
            (logits,) = self.session.run(
                ["logits"],
                {
                    "input_ids": ids,
                    "attention_mask": mask,
                    "span_mask": span_mask.astype(np.float32),
                    "cues": cues,
                },
            )
            rows[batch] = softmax(np.asarray(logits))
        position = {span: i for i, span in enumerate(unique)}
        return rows[[position[(s, e)] for s, e in spans]]
