"""The transformer model: offsets, a tiny fine-tune with BERT-tiny, ONNX export and parity."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")

import torch

from propscan.model.transformer.bundle import KIND, read_transformer_model
from propscan.pipeline import analyze, classify
from propscan.tasks.ptc import Corpus

TinyConfig = Callable[..., Any]


@pytest.mark.corpus
def test_tiny_training_exports_a_working_onnx_model(
    tiny_dir: Path, tiny_config: TinyConfig, ptc_corpus: Corpus, tmp_path: Path
) -> None:
    from propscan.train.transformer import train_transformer

    corpus = ptc_corpus.subset(a.id for a in ptc_corpus.articles[:6])
    config = tiny_config(
        max_steps=3,
        dev_articles=2,
        thresholds=(0.3, 0.5),
        max_gaps=(0, 5),
        min_chars=(1, 8),
        second_label_ratios=(0.0, 0.5, 0.8),
        bf16=None,
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


@pytest.mark.corpus
def test_training_on_every_article_uses_the_recipe_decodings(
    tiny_dir: Path, tiny_config: TinyConfig, ptc_corpus: Corpus, tmp_path: Path
) -> None:
    from propscan.train.transformer import RECIPE_DECODING, train_transformer

    corpus = ptc_corpus.subset(a.id for a in ptc_corpus.articles[:3])
    manifest = train_transformer(
        corpus, tmp_path, encoder_dir=tiny_dir, config=tiny_config(), tune=False
    )
    assert manifest["trained_on"]["articles"] == 3 and manifest["trained_on"]["dev_articles"] == []
    assert manifest["si"]["threshold"] == RECIPE_DECODING["si"]["threshold"]
    assert manifest["tc"]["prior_power"] == RECIPE_DECODING["tc"]["prior_power"]
    assert sum(manifest["tc"]["class_counts"]) == len(corpus.labels)


class _FixedTags(torch.nn.Module):
    """A stand-in tagger that gives every piece the same tag."""

    def __init__(self, tag: int) -> None:
        super().__init__()
        self.tag = tag

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        logits = torch.zeros((*input_ids.shape, 3))
        logits[..., self.tag] = 1.0
        return logits


def test_a_collapsed_tagger_is_recognised() -> None:
    from propscan.model.transformer.text import BEGIN, INSIDE, OUTSIDE
    from propscan.train.si import TaggedWindow, tags_nothing

    spanned = [TaggedWindow([1, 5, 6, 2], [-100, BEGIN, INSIDE, -100])]
    plain = [TaggedWindow([1, 5, 6, 2], [-100, OUTSIDE, OUTSIDE, -100])]
    assert tags_nothing(_FixedTags(OUTSIDE), spanned, pad_id=0)  # type: ignore[arg-type]
    assert not tags_nothing(_FixedTags(INSIDE), spanned, pad_id=0)  # type: ignore[arg-type]
    assert not tags_nothing(_FixedTags(OUTSIDE), plain, pad_id=0)  # type: ignore[arg-type]


@pytest.mark.corpus
def test_a_collapsed_tagger_is_trained_again_at_half_the_rate(
    tiny_dir: Path,
    tiny_config: TinyConfig,
    ptc_corpus: Corpus,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from propscan.train import si
    from propscan.train.transformer import train_transformer

    rates: list[float] = []
    train_tagger = si.train_tagger

    def counted(*args: Any, **kwargs: Any) -> Any:
        rates.append(kwargs["schedule"].lr)
        return train_tagger(*args, **kwargs)

    monkeypatch.setattr(si, "train_tagger", counted)
    monkeypatch.setattr(si, "tags_nothing", lambda *_: True)
    corpus = ptc_corpus.subset(a.id for a in ptc_corpus.articles[:2])
    config = tiny_config()
    manifest = train_transformer(corpus, tmp_path, encoder_dir=tiny_dir, config=config, tune=False)
    assert rates == [config.si_lr, config.si_lr / 2]  # once more, then it stops
    assert manifest["si"]["retrained_at_lr"] == config.si_lr / 2


@pytest.mark.corpus
def test_a_one_pass_model_encodes_each_text_once(
    tiny_dir: Path, tiny_config: TinyConfig, ptc_corpus: Corpus, tmp_path: Path
) -> None:
    import torch

    from propscan.model.transformer.shared_classifier import head_cues, span_pieces
    from propscan.model.transformer.text import encode
    from propscan.train.transformer import SPAN_HEAD, train_transformer

    corpus = ptc_corpus.subset(a.id for a in ptc_corpus.articles[:3])
    config = tiny_config(shared_encoder=True, quantize=False, keep_fp32=True)
    manifest = train_transformer(corpus, tmp_path, encoder_dir=tiny_dir, config=config, tune=False)
    assert manifest["tc"]["shared_encoder"] and not (tmp_path / "tc.onnx").exists()
    assert (tmp_path / SPAN_HEAD).is_file() and manifest["si"]["train_spans"] > 0
    model = read_transformer_model(tmp_path, manifest)
    article = corpus.articles[0]
    gold = sorted({(s, e) for _, _, s, e in corpus.labels_by_article[article.id]})

    runs: list[object] = []
    session = model.tagger.session  # type: ignore[attr-defined]
    assert model.tagger.gives_states  # type: ignore[attr-defined]

    class Counted:
        def run(self, *args: object) -> object:
            runs.append(args)
            return session.run(*args)

    model.tagger.session = Counted()  # type: ignore[attr-defined]
    model.tagger.detect(article.text)
    windows = len(runs)
    probabilities = model.classifier.probabilities(article.text, gold)
    assert windows > 1 and len(runs) == windows  # the classifier ran no network of its own
    assert probabilities.shape == (len(gold), 14)

    # The span head reads what the torch network saw: the window's [CLS] and the span's pieces.
    network = torch.load(tmp_path / "fp32" / "si.pt", weights_only=False).eval()
    tagged = model.tagger.tagged(article.text)  # type: ignore[attr-defined]
    encoded = encode(model.tagger.tokenizer, article.text)  # type: ignore[attr-defined]
    start, end = gold[-1]
    first, last = span_pieces(encoded, start, end)
    window = int(tagged.window_of[first])
    a = int(np.flatnonzero(tagged.window_of == window)[0])
    b = a + int((tagged.window_of == window).sum())
    ids = [model.tagger.specials.cls, *encoded.ids[a:b].tolist(), model.tagger.specials.sep]  # type: ignore[attr-defined]
    with torch.no_grad():
        _, states = network(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long))
        cues = torch.tensor([head_cues(article.text, start, end)])
        logits = network.span_logits(states, [(0, first - a + 1, last - a + 1)], cues)
    expected = torch.softmax(logits, dim=-1).numpy()[0]
    assert np.allclose(
        model.classifier.raw_probabilities(article.text, [(start, end)])[0], expected, atol=1e-4
    )


@pytest.mark.corpus
def test_cross_validation_is_nested_and_resumes(
    tiny_dir: Path,
    tiny_config: TinyConfig,
    ptc_corpus: Corpus,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from propscan.train import transformer_cv as cross_validation
    from propscan.train.evaluation import article_folds

    corpus = ptc_corpus.subset(a.id for a in ptc_corpus.articles[:6])
    config = tiny_config(prior_powers=(0.0, 0.5))
    result = cross_validation.cross_validate_transformer(
        corpus, tmp_path, encoder_dir=tiny_dir, k=3, config=config
    )
    assert len(result.folds) == 3 and len(result.decodings) == 3
    folds = article_folds(corpus.articles, 3)
    for fold, held_out in enumerate(folds):
        manifest = json.loads((tmp_path / f"fold-{fold}/model/manifest.json").read_text("utf-8"))
        trained = set(manifest["trained_on"]["dev_articles"])
        assert not trained & set(held_out)  # decodings tuned inside the training folds
        assert manifest["trained_on"]["articles"] + len(trained) == 6 - len(held_out)
    assert 0 <= result.mean_std("si")[0] <= 1

    def no_training(*_: object, **__: object) -> None:
        raise AssertionError("a finished fold was trained again")

    monkeypatch.setattr(cross_validation, "train_transformer", no_training)
    again = cross_validation.cross_validate_transformer(
        corpus, tmp_path, encoder_dir=tiny_dir, k=3, config=config
    )
    assert again.pooled == result.pooled


def test_training_uses_a_gpu_only_where_one_is_seen(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    from propscan.train import _loop, transformer

    config = transformer.TransformerConfig()
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(_loop, "bf16_is_fast", lambda: False)
    on_cpu = transformer._schedule(config, 1.0, 8, 1e-4, None)
    assert (on_cpu.device, on_cpu.bf16) == ("cpu", False)
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    on_gpu = transformer._schedule(config, 1.0, 8, 1e-4, None)
    assert (on_gpu.device, on_gpu.bf16) == ("cuda", True)
    pinned = transformer._schedule(transformer.TransformerConfig(device="cpu"), 1.0, 8, 1e-4, None)
    assert pinned.device == "cpu" and _loop.training_device() == "cuda"


@pytest.mark.issue(21)
def test_the_multilingual_recipe_writes_its_taxonomy_languages_and_calibration(
    tiny_dir: Path, tiny_config: TinyConfig, tmp_path: Path
) -> None:
    from propscan.tasks.semeval2023 import read_any_semeval2023
    from propscan.train.multilingual import MULTILINGUAL_CALIBRATION, train_multilingual

    root = Path(__file__).resolve().parents[2] / "shared" / "semeval2023-multilingual"
    if not (root / "fr").is_dir():
        pytest.skip("../shared/semeval2023-multilingual is not here")
    french = read_any_semeval2023(root / "fr")["fr"]
    corpus = french.subset(a.id for a in french.articles[:3])
    config = tiny_config()
    every = train_multilingual(
        {"fr": corpus}, tmp_path / "all", encoder_dir=tiny_dir, config=config
    )
    assert every["taxonomy"] == "semeval2023" and every["languages"] == ["fr"]
    assert every["name"].startswith("transformer-onnx-multilingual-")
    assert len(every["tc"]["labels"]) == 23
    assert every["calibration"] == MULTILINGUAL_CALIBRATION
    held = {"fold": 0, "folds": 5, "seed": 0, "per_language": True}
    part = train_multilingual(
        {"fr": corpus}, tmp_path / "part", encoder_dir=tiny_dir, config=config, held_out=held
    )
    assert "calibration" not in part  # a model that is scored gets no map fitted on its scores
