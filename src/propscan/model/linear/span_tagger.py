"""Span identification: a linear-chain CRF tags tokens B/I/O; tag runs become character spans."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pycrfsuite

from propscan.model import DetectedSpan
from propscan.model.linear.token_features import sentence_features
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import merge_spans
from propscan.text.segment import Sentence, sentences


def _is_title(sentence: Sentence) -> bool:
    return sentence.line == 0


def bio_tags(sentence: Sentence, spans: Sequence[tuple[int, int]]) -> list[str]:
    """Gold B/I/O tags of a sentence: a token is inside a span if its midpoint is."""
    tags = []
    previous: tuple[int, int] | None = None
    for token in sentence.tokens:
        middle = (token.start + token.end) / 2
        inside = next((s for s in spans if s[0] <= middle < s[1]), None)
        if inside is None:
            tags.append("O")
        else:
            tags.append("I" if inside == previous else "B")
        previous = inside
    return tags


def tags_to_spans(
    sentence: Sentence, tags: Sequence[str], inside_probability: Sequence[float]
) -> list[DetectedSpan]:
    """Character spans of the B/I runs of a tagged sentence, scored by mean P(inside)."""
    spans: list[DetectedSpan] = []
    run: list[int] = []
    for i, tag in enumerate([*tags, "O"]):
        if run and tag != "I":
            first, last = sentence.tokens[run[0]], sentence.tokens[run[-1]]
            score = sum(inside_probability[j] for j in run) / len(run)
            spans.append((first.start, last.end, score))
            run = []
        if tag != "O":
            run.append(i)
    return spans


class CrfSpanTagger:
    """Loads a trained CRF and finds technique spans in a text."""

    def __init__(self, path: Path, *, threshold: float = 0.5) -> None:
        self._tagger = pycrfsuite.Tagger()
        self._tagger.open(str(path))
        self.threshold = threshold

    def detect(self, text: str, *, spans_only: bool = False) -> list[DetectedSpan]:
        """Spans of ``text`` that use a technique, sorted by position (one decoding for both
        uses, so ``spans_only`` changes nothing)."""
        found: list[DetectedSpan] = []
        for sentence in sentences(text):
            self._tagger.set(sentence_features(sentence, is_title=_is_title(sentence)))
            tags = []
            inside = []
            for i in range(len(sentence.tokens)):
                p_begin = self._tagger.marginal("B", i)
                p_inside = 1.0 - self._tagger.marginal("O", i)
                inside.append(p_inside)
                if p_inside < self.threshold:
                    tags.append("O")
                elif tags and tags[-1] != "O" and p_begin < p_inside - p_begin:
                    tags.append("I")
                else:
                    tags.append("B")
            found.extend(tags_to_spans(sentence, tags, inside))
        return found


def fit_span_tagger(
    corpus: Corpus, path: Path, *, c1: float = 0.05, c2: float = 0.05, iterations: int = 150
) -> None:
    """Train a CRF on the corpus's gold spans (merged across techniques) and save it to path."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for article in corpus.articles:
        spans = merge_spans((s, e) for _, _, s, e in corpus.labels_by_article[article.id])
        for sentence in sentences(article.text):
            trainer.append(
                sentence_features(sentence, is_title=_is_title(sentence)),
                bio_tags(sentence, spans),
            )
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": iterations})
    trainer.train(str(path))
