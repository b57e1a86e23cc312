"""The corpus store, run against SQLite and (when PROPSCAN_TEST_POSTGRES_URL is set) PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from propscan.article import Analysis, Article, Span
from propscan.corpus import store as store_module
from propscan.corpus.store import Filters, StatRow, Store, content_hash
from propscan.errors import StoreError


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened


def make(
    ident: str,
    text: str,
    spans: Sequence[tuple[int, int, str]] = (),
    *,
    source: str | None = "example.org",
    date: str | None = "2024-03-05",
    title: str | None = None,
    model: str = "m1",
) -> Analysis:
    article = Article(ident, text, title=title, source=source, url=f"https://x/{ident}", date=date)
    return Analysis(article, tuple(Span(s, e, t, 0.5) for s, e, t in spans), model=model)


ELITES = make(
    "a1",
    "The corrupt elites lie again. Brave patriots will win.",
    [(4, 18, "Loaded_Language"), (30, 44, "Flag-Waving"), (4, 18, "Name_Calling,Labeling")],
    title="Elites",
)
HARBOUR = make(
    "a2",
    "Harbour news: the council met and voted on the ferry timetable.",
    [(0, 7, "Loaded_Language")],
    source="harbour.news",
    date="2024-04-20T09:30:00",
)
PLAIN = make("a3", "Nothing to see here at all.", source=None, date=None)


def test_add_then_get_round_trips_everything(store: Store) -> None:
    ident = store.add(ELITES)
    stored = store.get(ident)
    assert stored is not None
    assert stored.id == ident
    assert stored.analysis == ELITES
    assert stored.analysis.counts == {
        "Loaded_Language": 1,
        "Flag-Waving": 1,
        "Name_Calling,Labeling": 1,
    }
    assert stored.content_hash == content_hash(ELITES.article.text)
    assert stored.created[:4].isdigit() and "T" in stored.created
    assert store.get(ident + 100) is None


def test_add_is_idempotent_per_text_and_model(store: Store) -> None:
    first = store.add(ELITES)
    assert store.add(ELITES) == first
    assert store.count() == 1
    other_model = make("a1", ELITES.article.text, model="m2")
    assert store.add(other_model) != first
    assert store.count() == 2


def test_contains_and_hashes_are_per_model(store: Store) -> None:
    store.add(ELITES)
    digest = content_hash(ELITES.article.text)
    assert store.contains(digest, "m1")
    assert not store.contains(digest, "m2")
    assert not store.contains(content_hash("other"), "m1")
    assert store.hashes("m1") == {digest}
    assert store.hashes("m2") == set()


def test_add_many_is_all_or_nothing(store: Store) -> None:
    broken = make("bad", "A broken analysis.", [(0, 1, None)])  # type: ignore[list-item]
    with pytest.raises(StoreError):
        store.add_many([ELITES, broken])
    assert store.count() == 0
    assert _counted(store.stats("technique")) == []


def test_failures_are_recorded_updated_and_cleared_on_success(store: Store) -> None:
    digest = content_hash(ELITES.article.text)
    store.record_failure("a1", digest, "ValueError: first")
    store.record_failure("a1", digest, "ValueError: second")
    store.record_failure("gone", "", "empty article")
    assert [(f.external_id, f.error) for f in store.failures()] == [
        ("a1", "ValueError: second"),
        ("gone", "empty article"),
    ]
    store.add(ELITES)
    assert [f.external_id for f in store.failures()] == ["gone"]


def test_delete_removes_article_spans_and_counts(store: Store) -> None:
    ident = store.add(ELITES)
    store.add(HARBOUR)
    assert store.delete(ident) is True
    assert store.delete(ident) is False
    assert store.get(ident) is None
    assert [row.key for row in store.stats("technique")] == ["Loaded_Language"]
    assert store.add(ELITES) != ident  # storable again


def test_search_lists_newest_first_with_counts_and_pages(store: Store) -> None:
    ids = [store.add(a) for a in (ELITES, HARBOUR, PLAIN)]
    rows = store.search()
    assert [r.id for r in rows] == ids[::-1]
    assert [r.external_id for r in store.search(limit=1, offset=1)] == ["a2"]
    elites = rows[-1]
    assert (elites.title, elites.source, elites.url, elites.date, elites.model) == (
        "Elites",
        "example.org",
        "https://x/a1",
        "2024-03-05",
        "m1",
    )
    assert elites.counts == ELITES.counts
    assert elites.score == pytest.approx(ELITES.score)
    assert rows[0].counts == {}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), ["a1", "a2", "a3"]),
        (Filters(source="harbour.news"), ["a2"]),
        (Filters(source="(unknown)"), ["a3"]),
        (Filters(technique="Flag-Waving"), ["a1"]),
        (Filters(technique="Loaded_Language"), ["a1", "a2"]),
        (Filters(date_from="2024-04-01"), ["a2"]),
        (Filters(date_to="2024-04-20"), ["a1", "a2"]),
        (Filters(date_from="2024-03-06", date_to="2024-04-19"), []),
        (Filters(q="patriot"), ["a1"]),  # stemmed: the text says 'patriots'
        (Filters(q="ferry COUNCIL"), ["a2"]),
        (Filters(q="ferry elites"), []),
        (Filters(q='"* (:'), ["a1", "a2", "a3"]),  # no words: no keyword filter
        (Filters(q='AND "OR*'), []),  # query syntax is not interpreted
        (Filters(q="elites", source="harbour.news"), []),
    ],
)
def test_filters(store: Store, filters: Filters, expected: list[str]) -> None:
    for analysis in (ELITES, HARBOUR, PLAIN):
        store.add(analysis)
    assert sorted(r.external_id for r in store.search(filters)) == expected
    assert store.count(filters) == len(expected)


def test_a_date_filter_must_be_a_date(store: Store) -> None:
    with pytest.raises(StoreError, match="not a date: '2024-13-01'; use YYYY-MM-DD"):
        store.count(Filters(date_to="2024-13-01"))


def test_search_does_not_match_deleted_articles(store: Store) -> None:
    ident = store.add(ELITES)
    store.delete(ident)
    assert store.search(Filters(q="patriots")) == []


def _counted(rows: list[StatRow]) -> list[tuple[str, int, int, float]]:
    return [(r.key, r.articles, r.spans, r.per_article) for r in rows]


def test_stats_by_technique(store: Store) -> None:
    for analysis in (ELITES, HARBOUR, PLAIN):
        store.add(analysis)
    assert _counted(store.stats("technique")) == [
        ("Loaded_Language", 2, 2, 2 / 3),
        ("Flag-Waving", 1, 1, 1 / 3),
        ("Name_Calling,Labeling", 1, 1, 1 / 3),
    ]
    assert _counted(store.stats("technique", Filters(source="harbour.news"))) == [
        ("Loaded_Language", 1, 1, 1.0)
    ]


def test_stats_by_source_and_month(store: Store) -> None:
    for analysis in (ELITES, HARBOUR, PLAIN, make("a4", "More from the example site.")):
        store.add(analysis)
    assert _counted(store.stats("source")) == [
        ("example.org", 2, 3, 1.5),
        ("(unknown)", 1, 0, 0.0),
        ("harbour.news", 1, 1, 1.0),
    ]
    assert _counted(store.stats("month")) == [
        ("(unknown)", 1, 0, 0.0),
        ("2024-03", 2, 3, 1.5),
        ("2024-04", 1, 1, 1.0),
    ]
    assert _counted(store.stats("month", Filters(q="harbour"))) == [("2024-04", 1, 1, 1.0)]


def test_stats_of_an_empty_store(store: Store) -> None:
    assert _counted(store.stats("technique")) == []
    assert _counted(store.stats("source")) == []
    assert store.count() == 0


def test_iter_articles_reads_in_chunks_in_id_order(store: Store) -> None:
    for analysis in (ELITES, HARBOUR, PLAIN):
        store.add(analysis)
    streamed = list(store.iter_articles(chunk=2))
    assert [s.analysis for s in streamed] == [ELITES, HARBOUR, PLAIN]
    assert [s.analysis.article.id for s in store.iter_articles(Filters(source="(unknown)"))] == [
        "a3"
    ]


def test_reopening_keeps_data_and_schema_version(store_url: str) -> None:
    with Store(store_url) as first:
        first.add(ELITES)
    with Store(store_url) as second:
        assert second.count() == 1
        engine = sa.create_engine(second._engine.url)
        with engine.connect() as conn:
            versions = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
        engine.dispose()
    assert versions == [("0008",)]


def test_in_memory_and_bare_path_urls(tmp_path: Path) -> None:
    with Store("sqlite:///:memory:") as memory:
        memory.add(ELITES)
        assert memory.count() == 1
    with Store(str(tmp_path / "bare.db")) as bare:
        bare.add(ELITES)
    assert (tmp_path / "bare.db").is_file()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://localhost/corpus", "unsupported database 'mysql'"),
        ("postgresql://nobody:secret@127.0.0.1:1/none", "connection"),
        ("sqlite:////no/such/folder/corpus.db", "unable to open database file"),
    ],
)
def test_bad_urls_raise_store_error_without_password(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as caught:
        Store(url)
    assert "secret" not in str(caught.value)


def test_two_stores_adding_the_same_article_keep_one(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other writer commits between this one's check for the article and its insert."""
    with Store(store_url) as first, Store(store_url) as second:
        article_row = store_module._article_row

        def meanwhile(*args: Any) -> dict[str, Any]:
            monkeypatch.setattr(store_module, "_article_row", article_row)  # once
            ids.append(first.add(ELITES))
            return article_row(*args)

        ids: list[int] = []
        monkeypatch.setattr(store_module, "_article_row", meanwhile)
        assert second.add(ELITES) == ids[0]
        assert second.count() == 1
