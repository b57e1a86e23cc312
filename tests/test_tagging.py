"""Sentences, tokens and the B/I/O round trip between character spans and token tags."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscan.model.linear.span_tagger import bio_tags, tags_to_spans
from propscan.tasks.ptc import read_corpus
from propscan.tasks.scoring import merge_spans, score_si
from propscan.text.segment import sentences, tokenize

TEXT = 'Title here!\n\nThey are "traitors". Everyone knows it! Really?\nNew line, new sentence.'


def test_tokens_keep_offsets() -> None:
    for token in tokenize(TEXT):
        assert TEXT[token.start : token.end] == token.text
    assert [t.text for t in tokenize("don’t stop-now")] == ["don’t", "stop", "-", "now"]


def test_sentences_split_lines_and_sentence_ends() -> None:
    found = [TEXT[s.start : s.end] for s in sentences(TEXT)]
    assert found == [
        "Title here!",
        'They are "traitors".',
        "Everyone knows it!",
        "Really?",
        "New line, new sentence.",
    ]
    assert [s.line for s in sentences(TEXT)] == [0, 1, 1, 1, 2]


def test_tags_round_trip_to_the_same_spans() -> None:
    sentence = sentences(TEXT)[1]
    start = TEXT.index("traitors")
    spans = [(start, start + len("traitors"))]
    tags = bio_tags(sentence, spans)
    assert tags == ["O", "O", "O", "B", "O", "O"]
    decoded = tags_to_spans(sentence, tags, [0.2] * len(tags))
    assert decoded == [(start, start + len("traitors"), 0.2)]


def test_adjacent_spans_get_separate_b_tags() -> None:
    sentence = sentences("one two three four")[0]
    tags = bio_tags(sentence, [(0, 7), (8, 13)])
    assert tags == ["B", "I", "B", "O"]
    assert [s[:2] for s in tags_to_spans(sentence, tags, [1.0] * 4)] == [(0, 7), (8, 13)]


@pytest.mark.corpus
def test_gold_tags_decode_close_to_gold_on_the_corpus(ptc_dir: Path) -> None:
    """Tagging cannot represent spans across sentences or inside tokens, but little is lost."""
    corpus = read_corpus(ptc_dir)
    gold, decoded = [], []
    for article in corpus.articles[:60]:
        spans = merge_spans((s, e) for _, _, s, e in corpus.labels_by_article[article.id])
        gold.extend((article.id, s, e) for s, e in spans)
        for sentence in sentences(article.text):
            tags = bio_tags(sentence, spans)
            decoded.extend(
                (article.id, s, e) for s, e, _ in tags_to_spans(sentence, tags, [1.0] * len(tags))
            )
    assert score_si(gold, decoded).overall.f1 > 0.9
