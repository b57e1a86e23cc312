"""One bad article never stops a run: what no store keeps is removed at ingest, and an article
the store refuses is recorded as a failure while the rest of its group is stored."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from conftest import FakeClassifier, FakeTagger
from propscan.article import Analysis, Article
from propscan.corpus.batch import run_batch
from propscan.corpus.sources import from_record
from propscan.corpus.store import Store
from propscan.errors import StoreError
from propscan.model.bundle import Model
from propscan.text.ingest import clean, from_text

DIRTY = "Title\x00 one\n\nThe corrupt\x00 elites\x07 lie.\x1b[31m\ud800\tEnd\x0c"
CLEAN = "Title one\n\nThe corrupt elites lie.[31m\tEnd\x0c"


def fake_model() -> Model:
    return Model("fake", FakeTagger(["corrupt elites"]), FakeClassifier())


def corpus(n: int) -> list[Article]:
    return [Article(f"n{i}", f"Article {i}: the corrupt elites, {i} times.") for i in range(n)]


@pytest.mark.issue(10)
def test_unstorable_characters_are_removed_at_ingest() -> None:
    assert from_text(DIRTY).text == CLEAN
    record = from_record({"id": "a\x00b", "text": DIRTY, "source": "Dai\x00ly"}, default_id="x")
    assert (record.id, record.text, record.source) == ("ab", CLEAN, "Daily")
    assert clean(Article("same", "plain text")) == Article("same", "plain text")


@pytest.mark.issue(10)
def test_an_article_with_a_nul_is_stored_on_every_backend(store_url: str) -> None:
    items = [*corpus(39), from_record({"id": "nul", "text": DIRTY}, default_id="x")]
    with Store(store_url) as store:
        result = run_batch(items, store, loader=fake_model, commit_every=16)
        assert (result.stored, result.failed) == (40, 0)
        texts = {s.analysis.article.id: s.analysis.article.text for s in store.iter_articles()}
    assert texts["nul"] == CLEAN


class PickyStore(Store):
    """Refuses any group holding an article that mentions 'refused'."""

    def add_many(self, analyses: Iterable[Analysis]) -> list[int]:
        batch = list(analyses)
        if any("refused" in a.article.text for a in batch):
            raise StoreError("value refused by the database")
        return super().add_many(batch)


@pytest.mark.issue(10)
def test_an_article_the_store_refuses_is_a_failure_and_its_group_is_kept(tmp_path: Path) -> None:
    items = corpus(40)
    items[5] = Article("bad", "This one is refused: the corrupt elites.")
    with PickyStore(f"sqlite:///{tmp_path / 'corpus.db'}") as store:
        result = run_batch(items, store, loader=fake_model, commit_every=16)
        assert (result.stored, result.failed) == (39, 1)
        assert store.count() == 39
        [failure] = store.failures()
        assert failure.external_id == "bad"
        assert "value refused by the database" in failure.error
        again = run_batch(items, store, loader=fake_model)
        assert (again.stored, again.skipped, again.failed) == (0, 39, 1)
