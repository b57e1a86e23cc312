"""crf-linear training and cross-validation on a slice of the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscan.article import Article
from propscan.model.bundle import read_model
from propscan.pipeline import analyze
from propscan.tasks.ptc import Corpus
from propscan.train import linear as training
from propscan.train.evaluation import article_folds
from propscan.train.linear import TrainingConfig, cross_validate, train

FAST = TrainingConfig(si_iterations=30)


def test_folds_partition_the_articles() -> None:
    ids = [str(i) for i in range(23)]
    articles = [Article(i, f"Article {i}.") for i in ids]
    folds = article_folds(articles, 5, seed=3)
    assert sorted(i for fold in folds for i in fold) == sorted(ids)
    assert sorted(len(f) for f in folds) == [4, 4, 5, 5, 5]
    assert article_folds(articles, 5, seed=3) == folds
    assert article_folds(articles, 5, seed=4) != folds


@pytest.fixture(scope="module")
def small_corpus(ptc_corpus: Corpus) -> Corpus:
    return ptc_corpus.subset(a.id for a in ptc_corpus.articles[:40])


@pytest.mark.corpus
def test_cross_validation_never_trains_on_held_out_articles(
    small_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[set[str], set[str]]] = []
    real = training.predict_held_out

    def spy(train_corpus: Corpus, test_corpus: Corpus, config: TrainingConfig):  # type: ignore[no-untyped-def]
        seen.append(({a.id for a in train_corpus.articles}, {a.id for a in test_corpus.articles}))
        return real(train_corpus, test_corpus, config)

    monkeypatch.setattr(training, "predict_held_out", spy)
    result = cross_validate(small_corpus, k=2, config=FAST)
    assert len(seen) == 2
    for trained_on, held_out in seen:
        assert trained_on.isdisjoint(held_out)
    assert seen[0][1] | seen[1][1] == {a.id for a in small_corpus.articles}
    assert result.tc.overall.gold == len(small_corpus.labels)
    assert 0.0 < result.si.overall.f1 < 1.0
    assert 0.0 < result.tc.overall.f1 < 1.0


@pytest.mark.corpus
def test_trained_model_round_trips_through_disk(small_corpus: Corpus, tmp_path: Path) -> None:
    train(small_corpus, tmp_path, FAST)
    model = read_model(tmp_path)
    assert model.manifest is not None
    assert model.manifest["trained_on"] == {"articles": 40, "labels": len(small_corpus.labels)}
    analysis = analyze(small_corpus.articles[0], model)
    assert all(0.0 <= s.score <= 1.0 for s in analysis.spans)
    text = "Some text with no technique at all."
    assert analyze(Article("plain", text), model).article.text == text
