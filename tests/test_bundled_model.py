"""The model shipped in the package: it loads without torch, analyses text, and scores on
articles it was not trained on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from propscan.article import Article
from propscan.model.bundle import DEFAULT_MODEL_DIR, load_model
from propscan.pipeline import analyze
from propscan.ptc import Corpus
from propscan.scoring import score_si, score_tc
from propscan.train.evaluation import hold_out, predict

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


@pytest.mark.corpus
def test_bundled_model_on_its_held_out_articles(ptc_corpus: Corpus) -> None:
    """A regression guard on 20 articles the model never saw (the figures are in RESULTS.md)."""
    model = load_model()
    held_out = (model.manifest or {}).get("held_out")
    if not held_out:
        pytest.skip("the bundled model was trained on every article")
    _, test = hold_out(ptc_corpus, held_out["fold"], held_out["folds"], held_out["seed"])
    test = test.subset(a.id for a in test.articles[:20])
    predictions = predict(model, test)
    gold_spans = sorted({(a, s, e) for a, _, s, e in test.labels})
    assert score_si(gold_spans, predictions.spans).overall.f1 > 0.3
    assert score_tc(test.labels, predictions.techniques_on_gold).overall.f1 > 0.5
