"""The model shipped in the package: it loads without torch, analyses text, and scores on
articles it was not trained on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from propscan.article import Article
from propscan.errors import ModelNotFound
from propscan.model.bundle import DEFAULT_MODEL_DIR, load_model, read_model
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
