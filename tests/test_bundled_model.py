"""The model shipped in the package: it loads without torch, analyses text, and scores on
articles it was not trained on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from propscan.article import Article
from propscan.errors import ModelNotFound
from propscan.model.bundle import (
    DEFAULT_MODEL_DIR,
    MULTILINGUAL_MODEL_DIR,
    load_model,
    read_model,
)
from propscan.model.transformer.classifier import LEGACY_SPANS_PER_RUN, OnnxTechniqueClassifier
from propscan.model.transformer.tagger import LEGACY_WINDOWS_PER_RUN, OnnxSpanTagger
from propscan.model.transformer.text import encode, pad, windows
from propscan.pipeline import analyze
from propscan.tasks.ptc import Corpus
from propscan.tasks.scoring import score_si, score_tc
from propscan.train.evaluation import predict

EXAMPLE = Path(__file__).parents[1] / "examples" / "harbour-town.txt"


def test_bundled_model_fits_the_size_budget() -> None:
    size = sum(f.stat().st_size for f in DEFAULT_MODEL_DIR.iterdir() if f.is_file())
    assert size <= 60_000_000


def test_bundled_model_analyses_the_example_without_torch() -> None:
    model = load_model()
    text = EXAMPLE.read_text(encoding="utf-8")
    analysis = analyze(Article(id="example", text=text), model)
    assert analysis.spans, "the bundled model found nothing in the bundled example"
    for span in analysis.spans:
        assert 0 <= span.start < span.end <= len(text)
        assert 0.0 < span.score <= 1.0
        assert span.technique in model.classifier.labels


def test_analysing_imports_neither_torch_nor_transformers() -> None:
    code = (
        "import sys; from propscan.pipeline import analyze; from propscan.article import Article; "
        "analyze(Article(id='x', text='The corrupt elites lied again.')); "
        "print(sorted({'torch', 'transformers', 'sklearn'} & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_bundled_model_is_the_all_article_model() -> None:
    """Issue 9: the shipped model trained on all 371 PTC articles, none held back."""
    manifest = load_model().manifest or {}
    assert manifest["trained_on"]["articles"] == 371
    assert manifest["trained_on"]["dev_articles"] == []
    assert "held_out" not in manifest
    assert {"prior_power", "repetition_boost", "class_counts"} <= set(manifest["tc"])


@pytest.mark.corpus
def test_bundled_model_still_tags_its_training_articles(ptc_corpus: Corpus) -> None:
    """A smoke test of the exported weights (not a quality figure: these articles trained it;
    the held-out figures come from cross-validation, see RESULTS.md)."""
    model = load_model()
    test = ptc_corpus.subset(a.id for a in ptc_corpus.articles[:10])
    predictions = predict(model, test)
    gold_spans = sorted({(a, s, e) for a, _, s, e in test.labels})
    assert score_si(gold_spans, predictions.spans).overall.f1 > 0.3
    assert score_tc(test.labels, predictions.techniques_on_gold).overall.f1 > 0.5


@pytest.mark.issue(19)
def test_networks_are_opened_on_first_use() -> None:
    model = read_model(DEFAULT_MODEL_DIR)
    assert not {"session", "tokenizer"} & (
        vars(model.tagger).keys() | vars(model.classifier).keys()
    )
    analyze(Article(id="a", text=EXAMPLE.read_text(encoding="utf-8")), model)
    assert {"session", "tokenizer"} <= vars(model.tagger).keys() & vars(model.classifier).keys()


@pytest.mark.issue(19)
def test_a_network_missing_from_the_folder_is_reported_when_the_model_loads(
    tmp_path: Path,
) -> None:
    for name in ("manifest.json", "tokenizer.json"):
        shutil.copy(DEFAULT_MODEL_DIR / name, tmp_path / name)
    with pytest.raises(ModelNotFound, match=r"si\.onnx: missing"):
        read_model(tmp_path)


@pytest.mark.issue(19)
def test_the_english_model_runs_one_window_and_one_span_at_a_time() -> None:
    """Chosen by grouped CV (RESULTS.md); a model whose manifest records no run size keeps the
    runs its decodings were chosen on."""
    english = read_model(DEFAULT_MODEL_DIR)
    assert isinstance(english.tagger, OnnxSpanTagger)
    assert isinstance(english.classifier, OnnxTechniqueClassifier)
    assert (english.tagger.batch_size, english.classifier.batch_size) == (1, 1)
    if (MULTILINGUAL_MODEL_DIR / "manifest.json").is_file():
        multilingual = read_model(MULTILINGUAL_MODEL_DIR)
        assert isinstance(multilingual.tagger, OnnxSpanTagger)
        assert isinstance(multilingual.classifier, OnnxTechniqueClassifier)
        assert multilingual.tagger.batch_size == LEGACY_WINDOWS_PER_RUN
        assert multilingual.classifier.batch_size == LEGACY_SPANS_PER_RUN


@pytest.mark.issue(19)
def test_a_window_scores_the_same_whatever_windows_run_beside_it() -> None:
    """Regression: in runs of 8 windows the int8 network scaled each window by the whole run,
    padding included, and a window's probabilities moved by up to 0.4 with its neighbours."""
    tagger = read_model(DEFAULT_MODEL_DIR).tagger
    assert isinstance(tagger, OnnxSpanTagger)
    text = EXAMPLE.read_text(encoding="utf-8")
    encoded = encode(tagger.tokenizer, text)
    ranges = windows(text, encoded, tagger.max_pieces - 2)
    assert len(ranges) > 2, "the example should need several windows"
    together = tagger.piece_probabilities(text, encoded)
    specials = tagger.specials
    for a, b in ranges:
        ids, mask = pad([[specials.cls, *encoded.ids[a:b].tolist(), specials.sep]], specials.pad)
        (logits,) = tagger.session.run(["logits"], {"input_ids": ids, "attention_mask": mask})
        alone = np.exp(logits[0, 1 : 1 + b - a])
        alone /= alone.sum(axis=-1, keepdims=True)
        assert np.allclose(together[a:b], alone, atol=1e-6)
