"""Reviewed spans in the store: the v0003 migration, review actions, queue and agreement."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from propscan.corpus.review import ReviewRow
from propscan.corpus.store import Filters, Store
from propscan.errors import InputError
from test_store import ELITES, HARBOUR, make

pytestmark = pytest.mark.issue(12)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        yield opened


def engine_of(url: str) -> sa.Engine:
    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


def test_migration_keeps_a_v0002_store_and_gives_every_span_a_review(store_url: str) -> None:
    engine = engine_of(store_url)
    config = Config()
    config.set_main_option("script_location", "propscan.corpus:migrations")
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0002")
        conn.execute(
            sa.text(
                "INSERT INTO articles (id, external_id, title, source, url, date, text, "
                "content_hash, model, score, n_spans, created) VALUES (7, 'old', 'Old news', "
                "'example.org', NULL, '2024-01-02', 'The corrupt elites lie again.', 'h', "
                "'model-1', 0.5, 2, '2024-01-02T00:00:00')"
            )
        )
        conn.execute(
            sa.text(
                'INSERT INTO spans (article_id, start, "end", technique, score) VALUES '
                "(7, 4, 18, 'Loaded_Language', 0.7), (7, 4, 18, 'Name_Calling,Labeling', 0.2)"
            )
        )
        conn.execute(
            sa.text(
                "INSERT INTO counts (article_id, technique, n) VALUES "
                "(7, 'Loaded_Language', 1), (7, 'Name_Calling,Labeling', 1)"
            )
        )
    engine.dispose()
    with Store(store_url) as store:
        stored = store.get(7)
        assert stored is not None
        assert [(s.start, s.end, s.technique, s.status, s.origin) for s in stored.spans] == [
            (4, 18, "Loaded_Language", "predicted", "model-1"),
            (4, 18, "Name_Calling,Labeling", "predicted", "model-1"),
        ]
        assert len({s.id for s in stored.spans}) == 2
        assert stored.reviewed is None
        assert [a.id for a in store.search(Filters(q="elites"))] == [7]
        new = store.add(make("new", "Brave patriots will win.", [(0, 14, "Flag-Waving")]))
        assert new != 7
        rejected = store.review_span(7, stored.spans[0].id, verdict="rejected")
        assert rejected is not None and rejected.status == "rejected"


def test_reject_relabel_add_and_mark_reviewed(store: Store) -> None:
    ident = store.add(ELITES)
    stored = store.get(ident)
    assert stored is not None
    by = {s.technique: s for s in stored.spans}
    flag, name = by["Flag-Waving"], by["Name_Calling,Labeling"]

    rejected = store.review_span(ident, name.id, verdict="rejected", reviewer="ana")
    assert rejected is not None
    assert (rejected.status, rejected.reviewer) == ("rejected", "ana")
    assert rejected.reviewed is not None
    relabelled = store.review_span(ident, flag.id, technique="Slogans")
    assert relabelled is not None
    assert (relabelled.status, relabelled.technique, relabelled.original_technique) == (
        "corrected",
        "Slogans",
        "Flag-Waving",
    )
    text = ELITES.article.text
    added = store.add_span(ident, 20, 28, "Doubt", reviewer="ana")
    assert added is not None
    assert (added.status, added.origin, text[added.start : added.end]) == (
        "added",
        "added",
        "ie again",
    )

    after = store.get(ident)
    assert after is not None
    assert len(after.spans) == 4
    assert {(s.technique, s.start, s.end) for s in after.analysis.spans} == {
        ("Loaded_Language", 4, 18),
        ("Slogans", 30, 44),
        ("Doubt", 20, 28),
    }
    assert store.search()[0].counts == {"Doubt": 1, "Loaded_Language": 1, "Slogans": 1}

    assert store.mark_reviewed(ident, reviewer="ana")
    final = store.get(ident)
    assert final is not None and final.reviewed is not None and final.reviewer == "ana"
    statuses = {s.technique: s.status for s in final.spans}
    assert statuses == {
        "Loaded_Language": "accepted",
        "Name_Calling,Labeling": "rejected",
        "Slogans": "corrected",
        "Doubt": "added",
    }
    restored = store.review_span(ident, name.id, verdict="accepted")
    assert restored is not None and restored.status == "accepted"
    back = store.review_span(ident, flag.id, technique="Flag-Waving")
    assert back is not None
    assert (back.status, back.original_technique) == ("accepted", None)


def test_re_analysing_never_erases_a_review(store: Store) -> None:
    ident = store.add(ELITES)
    stored = store.get(ident)
    assert stored is not None
    store.review_span(ident, stored.spans[0].id, verdict="rejected")
    store.add_span(ident, 20, 28, "Doubt")
    store.mark_reviewed(ident)
    before = store.get(ident)

    assert store.add(ELITES) == ident  # the same model again: kept as it is
    again = make("a1", ELITES.article.text, [(4, 18, "Doubt")], title="Elites", model="m2")
    other = store.add(again)  # a new model: a new analysis beside the reviewed one
    assert other != ident
    assert store.get(ident) == before
    newer = store.get(other)
    assert newer is not None and newer.reviewed is None
    assert [s.status for s in newer.spans] == ["predicted"]


@pytest.mark.parametrize(
    ("article_id", "span_id", "changes", "error"),
    [
        (1, 1, {"technique": "Nonsense"}, "unknown technique"),
        (1, 1, {}, "either a status"),
        (1, 1, {"verdict": "accepted", "technique": "Doubt"}, "either a status"),
    ],
)
def test_bad_review_actions_raise(
    store: Store, article_id: int, span_id: int, changes: dict[str, str], error: str
) -> None:
    store.add(ELITES)
    with pytest.raises(InputError, match=error):
        store.review_span(article_id, span_id, **changes)  # type: ignore[arg-type]


def test_unknown_ids_and_bad_offsets(store: Store) -> None:
    ident = store.add(ELITES)
    other = store.add(HARBOUR)
    span = store.get(other)
    assert span is not None
    assert store.review_span(ident, span.spans[0].id, verdict="accepted") is None
    assert store.review_span(999, 1, verdict="accepted") is None
    assert store.add_span(999, 0, 3, "Doubt") is None
    assert not store.mark_reviewed(999)
    for start, end in [(-1, 3), (5, 5), (9, 3), (0, 10_000), (3, 4)]:
        with pytest.raises(InputError):
            store.add_span(ident, start, end, "Doubt")
    with pytest.raises(InputError, match="unknown technique"):
        store.add_span(ident, 0, 3, "Nonsense")


def test_queue_serves_least_sure_first_with_filters(store: Store) -> None:
    sure = make("s", "They are traitors and cowards.", [(9, 17, "Name_Calling,Labeling")])
    unsure = make("u", "What are they hiding from us?", [(0, 20, "Doubt")], source="other")
    store.add_many([sure, unsure])
    with store._engine.begin() as conn:
        conn.exec_driver_sql("UPDATE spans SET score = 0.2 WHERE technique = 'Doubt'")
    total, items = store.review_queue()
    assert total == 2
    assert [i.span.technique for i in items] == ["Doubt", "Name_Calling,Labeling"]
    assert items[0].text == "What are they hiding"
    assert items[1].before == "They are " and items[1].after == " and cowards."
    assert store.review_queue(Filters(source="other"))[0] == 1
    only = store.review_queue(Filters(technique="Name_Calling,Labeling"))[1]
    assert [i.span.technique for i in only] == ["Name_Calling,Labeling"]
    store.mark_reviewed(items[0].article_id)
    assert store.review_queue()[0] == 1


def test_review_stats_per_technique(store: Store) -> None:
    ident = store.add(ELITES)
    stored = store.get(ident)
    assert stored is not None
    by = {s.technique: s.id for s in stored.spans}
    store.review_span(ident, by["Name_Calling,Labeling"], verdict="rejected")
    store.review_span(ident, by["Flag-Waving"], technique="Slogans")
    store.add_span(ident, 20, 28, "Doubt")
    store.add(HARBOUR)
    rows = {row.technique: row for row in store.review_stats()}
    assert rows["Flag-Waving"] == ReviewRow("Flag-Waving", 0, 0, 0, 1, 0)
    assert rows["Name_Calling,Labeling"] == ReviewRow("Name_Calling,Labeling", 0, 0, 1, 0, 0)
    assert rows["Loaded_Language"] == ReviewRow("Loaded_Language", 2, 0, 0, 0, 0)
    assert rows["Doubt"] == ReviewRow("Doubt", 0, 0, 0, 0, 1)
    assert rows["Loaded_Language"].precision is None
    store.mark_reviewed(ident)
    rows = {row.technique: row for row in store.review_stats(Filters(source="example.org"))}
    assert rows["Loaded_Language"] == ReviewRow("Loaded_Language", 0, 1, 0, 0, 0)
    assert rows["Loaded_Language"].precision == 1.0
    assert rows["Flag-Waving"].precision == 0.0


def test_a_store_file_reopens_with_reviews(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'r.db'}"
    with Store(url) as first:
        ident = first.add(ELITES)
        first.add_span(ident, 20, 28, "Doubt")
    with Store(url) as second:
        stored = second.get(ident)
        assert stored is not None
        assert [s.status for s in stored.spans].count("added") == 1
