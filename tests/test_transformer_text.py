"""Transformer inputs and decoding, and the ONNX span tagger's two decodings (no torch).

The tokenizer is a small uncased WordPiece one built here, so these run on every install.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

from propscan.model.transformer import network
from propscan.model.transformer import tagger as onnx_tagger
from propscan.model.transformer.text import (
    BEGIN,
    INSIDE,
    OUTSIDE,
    Decoding,
    EncodedText,
    Specials,
    bio_tags,
    decode_spans,
    encode,
    load_tokenizer,
    marked_input,
    occurrence_note,
    smooth_spans,
    windows,
    with_note,
)
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import merge_spans, score_si

WORDS = [
    "title",
    "line",
    "the",
    "corrupt",
    "elites",
    "lied",
    "to",
    "us",
    "brave",
    "patriots",
    "always",
    "win",
    "one",
    "short",
    "word",
    "next",
    "sentence",
    "here",
    "last",
    "evil",
    "people",
    "said",
    "he",
    "ok",
]


@pytest.fixture(scope="module")
def tokenizer_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "«", "»", "—", ".", "!", ",", ":"]
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)]
    vocab = {token: i for i, token in enumerate([*specials, *letters, *WORDS])}
    built = Tokenizer(models.WordPiece(vocab=vocab, unk_token="[UNK]"))
    built.normalizer = normalizers.BertNormalizer(lowercase=True)
    built.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    path = tmp_path_factory.mktemp("tokenizer") / "tokenizer.json"
    built.save(str(path))
    return path


@pytest.fixture(scope="module")
def tokenizer(tokenizer_file: Path) -> Tokenizer:
    return load_tokenizer(tokenizer_file)


def one_hot(tags: np.ndarray) -> np.ndarray:
    return np.eye(3)[tags]


def test_gold_tags_round_trip_to_the_same_spans(tokenizer: Tokenizer) -> None:
    text = "Title line\n\nThe «corrupt» elites LIED to us.\nBrave patriots — always — win!"
    first = text.index("The")
    second = text.index("patriots")
    gold = [(first, text.index(" to us")), (second, text.index(" win"))]
    encoded = encode(tokenizer, text)
    assert all(text[s:e].strip() for s, e in encoded.offsets)
    spans = decode_spans(encoded, one_hot(bio_tags(encoded, gold)), 0.5)
    assert [(s, e) for s, e, _ in spans] == gold


@pytest.mark.corpus
def test_gold_round_trip_on_ptc_articles(tokenizer: Tokenizer, ptc_corpus: Corpus) -> None:
    gold_all, found_all = [], []
    for article in ptc_corpus.articles[:15]:
        gold = merge_spans((s, e) for _, _, s, e in ptc_corpus.labels_by_article[article.id])
        encoded = encode(tokenizer, article.text)
        found = decode_spans(encoded, one_hot(bio_tags(encoded, gold)), 0.5)
        gold_all += [(article.id, s, e) for s, e in gold]
        found_all += [(article.id, s, e) for s, e, _ in found]
    assert score_si(gold_all, found_all).overall.f1 > 0.98


def test_windows_cover_every_piece_once_within_budget(tokenizer: Tokenizer) -> None:
    text = "One short line.\n" + " ".join(["word"] * 50) + ". Next sentence here.\nLast."
    encoded = encode(tokenizer, text)
    ranges = windows(text, encoded, 20)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(encoded.ids)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert all(0 < b - a <= 20 for a, b in ranges)


def test_marked_input_keeps_the_span_between_markers(tokenizer: Tokenizer) -> None:
    specials = Specials.of(tokenizer)
    text = "a b c d e f g h i j k l m n o p q r s t u v w x y z"
    encoded = encode(tokenizer, text)
    ids, mask = marked_input(encoded, text.index("m"), text.index("o") + 1, specials, 12)
    assert len(ids) == len(mask) == 12
    assert ids[0] == specials.cls and ids[-1] == specials.sep
    marked = [t for t, m in zip(ids, mask, strict=True) if m]
    assert marked[0] == specials.open and marked[-1] == specials.close
    assert tokenizer.decode(marked[1:-1]) == "m n o"


def test_occurrence_note_says_how_often_a_fragment_recurs() -> None:
    text = "Build it now, she said. The crowd cheered. Build it now, they chanted. Build it now!"
    first, last = text.index("Build"), text.rindex("Build")
    assert occurrence_note(text, first, first + 12) == "repeated 0 before 2 after : build it now"
    assert occurrence_note(text, last, last + 12) == "repeated 2 before 0 after : build it now"
    shouted = text.index("chanted")
    assert occurrence_note(text, shouted, shouted + 7) == ""
    crowd = text.index("The crowd")
    assert occurrence_note(text, crowd, crowd + 9) == ""


def test_with_note_appends_the_note_outside_the_span_mask(tokenizer: Tokenizer) -> None:
    specials = Specials.of(tokenizer)
    text = "a b c d e f g h"
    ids, mask = marked_input(encode(tokenizer, text), 4, 5, specials, 12)
    note = tokenizer.encode("c d e", add_special_tokens=False).ids
    noted, noted_mask = with_note(ids, mask, note, specials)
    assert noted[: len(ids)] == ids and noted[-1] == specials.sep
    assert noted_mask == [*mask, 0, 0, 0, 0]
    assert with_note(ids, mask, [], specials) == (ids, mask)


def test_smoothing_merges_gaps_trims_and_drops_short_spans() -> None:
    text = "He said: evil, evil people.  ok"
    spans = [(9, 14, 0.9), (15, 27, 0.7), (29, 31, 0.8)]
    merged = smooth_spans(text, spans, max_gap=1, min_chars=3)
    assert [s[:2] for s in merged] == [(9, 26)]
    assert merged[0][2] == pytest.approx((5 * 0.9 + 12 * 0.7) / 17)
    assert [s[:2] for s in smooth_spans(text, spans, max_gap=0, min_chars=1)] == [
        (9, 13),
        (15, 26),
        (29, 31),
    ]


def test_decode_starts_a_new_span_where_begin_wins() -> None:
    encoded = EncodedText(
        np.arange(4, dtype=np.int64), np.array([[0, 2], [3, 5], [6, 8], [9, 11]], dtype=np.int64)
    )
    tags = np.array([BEGIN, INSIDE, BEGIN, OUTSIDE])
    assert [s[:2] for s in decode_spans(encoded, one_hot(tags), 0.5)] == [(0, 5), (6, 8)]


def test_decoding_thresholds_then_merges_and_drops_short_spans(tokenizer: Tokenizer) -> None:
    text = "evil people said evil"
    encoded = encode(tokenizer, text)
    probabilities = np.array([[0.2, 0.8, 0.0], [0.4, 0.0, 0.6], [0.9, 0.0, 0.1], [0.3, 0.7, 0.0]])
    assert [s[:2] for s in Decoding(0.5, 0, 1).spans(text, encoded, probabilities)] == [
        (0, 11),
        (17, 21),
    ]
    assert [s[:2] for s in Decoding(0.5, 6, 1).spans(text, encoded, probabilities)] == [(0, 21)]
    assert [s[:2] for s in Decoding(0.65, 0, 5).spans(text, encoded, probabilities)] == []


class FakeSession:
    """Logits that put every word 'evil' in a span with P = 0.6, and count the runs."""

    def __init__(self, evil_id: int) -> None:
        self.evil_id = evil_id
        self.runs = 0

    def run(self, _names: list[str], feeds: dict[str, Any]) -> list[np.ndarray]:
        self.runs += 1
        ids = feeds["input_ids"]
        logits = np.zeros((*ids.shape, 3), dtype=np.float32)
        logits[..., OUTSIDE] = np.where(ids == self.evil_id, np.log(0.4), 0.0)
        logits[..., BEGIN] = np.where(ids == self.evil_id, np.log(0.6), -20.0)
        logits[..., INSIDE] = -20.0
        return [logits]

    def get_outputs(self) -> list[SimpleNamespace]:
        """A tagger's only output (a one-pass network would also give "states")."""
        return [SimpleNamespace(name="logits")]


def test_tagger_decodes_spans_only_and_labelled_from_one_encoder_pass(
    tokenizer: Tokenizer, tokenizer_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = FakeSession(tokenizer.token_to_id("evil"))
    monkeypatch.setattr(network, "open_session", lambda path, threads=None: session)
    (tokenizer_file.parent / "si.onnx").touch()  # the model folder must hold the file
    tagger = onnx_tagger.OnnxSpanTagger.from_settings(
        tokenizer_file.parent,
        tokenizer_file.name,
        {
            "model": "si.onnx",
            "max_pieces": 16,
            "threshold": 0.5,
            "max_gap": 0,
            "min_chars": 1,
            "labelled": {"threshold": 0.7, "max_gap": 0, "min_chars": 1},
        },
    )
    text = "He said: evil, evil people."
    assert [s[:2] for s in tagger.detect(text, spans_only=True)] == [(9, 13), (15, 19)]
    assert tagger.detect(text) == []  # P = 0.6 is under the labelled threshold
    assert session.runs == 1
    tagger.detect("evil people")
    assert session.runs == 2


def test_tagger_without_a_labelled_decoding_uses_the_span_one(
    tokenizer: Tokenizer, tokenizer_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = FakeSession(tokenizer.token_to_id("evil"))
    monkeypatch.setattr(network, "open_session", lambda path, threads=None: session)
    (tokenizer_file.parent / "si.onnx").touch()  # the model folder must hold the file
    settings = {"model": "si.onnx", "max_pieces": 16, "threshold": 0.5, "max_gap": 0}
    tagger = onnx_tagger.OnnxSpanTagger.from_settings(
        tokenizer_file.parent, tokenizer_file.name, {**settings, "min_chars": 1}
    )
    assert tagger.detect("evil people") == tagger.detect("evil people", spans_only=True)
