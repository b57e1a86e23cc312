"""Feed fields, rates, comparisons, distinctive words and trends over a store (SQLite, and
PostgreSQL where PROPSCAN_TEST_POSTGRES_URL names one), on a simulated corpus with a planted
difference: left-rated outlets call names more often, and call them "traitors"."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from conftest import undo_later_migrations
from propscan.article import Analysis, Article, Span
from propscan.cli.compare import compare_command, trends_command
from propscan.cli.stats import stats_command
from propscan.corpus.filters import Filters, parse_conditions
from propscan.corpus.sources import from_record
from propscan.corpus.store import Store
from propscan.errors import StoreError

NAME_CALLING = "Name_Calling,Labeling"
LOADED = "Loaded_Language"


def simulated(n_per_side: int = 60, seed: int = 3) -> list[Analysis]:
    """Articles of 100-300 words; a left article has about 3 name-calling spans, a right one
    about 1; both about 2 of loaded language. Dated over four months of 2019, two a side in
    2020-01."""
    rng = np.random.default_rng(seed)
    out = []
    for side in ("left", "right"):
        for i in range(n_per_side):
            words = ["plain"] * int(rng.integers(100, 300))
            spans: list[Span] = []
            calls = rng.poisson(3.0 if side == "left" else 1.0)
            loaded = rng.poisson(2.0)
            insults = ["traitors" if side == "left" else "clowns", "crooks"]
            for k in range(calls + loaded):
                words[k * 3] = insults[k % 2] if k < calls else "disastrous"
            text = " ".join(words) + "."
            for k in range(calls + loaded):
                start = len(" ".join(words[: k * 3])) + (k > 0)
                end = start + len(words[k * 3])
                spans.append(Span(start, end, NAME_CALLING if k < calls else LOADED, 0.6))
            month = "2020-01" if i < 2 else f"2019-{i % 4 + 1:02d}"
            article = Article(
                f"{side}-{i}",
                text + f" ({side} {i})",
                source=f"{side}-outlet-{i % 3}",
                date=f"{month}-15",
                fields=(("bias_text", side), ("topic", "elections")),
            )
            out.append(Analysis(article, tuple(spans), model="fake"))
    return out


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with Store(store_url) as opened:
        opened.add_many(simulated())
        yield opened


LEFT, RIGHT = Filters(fields=(("bias_text", "left"),)), Filters(fields=(("bias_text", "right"),))


def test_feed_fields_are_kept_filtered_and_grouped(store: Store) -> None:
    assert store.field_names() == ["bias_text", "topic"]
    assert store.field_values("bias_text") == [("left", 60), ("right", 60)]
    assert store.count(LEFT) == 60
    stored = store.search(LEFT, limit=1)[0]
    article = store.get(stored.id)
    assert article is not None
    assert dict(article.analysis.article.fields) == {"bias_text": "left", "topic": "elections"}
    rows = {row.key: row for row in store.stats("bias_text")}
    assert rows["left"].articles == 60
    assert rows["left"].per_1000_words > rows["right"].per_1000_words


def test_grouping_by_an_unknown_field_names_the_choices(store: Store) -> None:
    with pytest.raises(StoreError, match=r"cannot group by 'colour'.*bias_text, topic"):
        store.stats("colour")


def test_word_counts_are_stored_and_rates_divide_by_them(store: Store) -> None:
    (row,) = [r for r in store.stats("technique") if r.key == NAME_CALLING]
    words = sum(len(a.article.text.split()) for a in simulated())
    assert row.words == words
    assert row.per_1000_words == pytest.approx(row.spans * 1000 / words)
    assert row.per_1000_words_low < row.per_1000_words < row.per_1000_words_high
    assert row.per_article_low < row.per_article < row.per_article_high


def test_the_planted_difference_is_credible_and_the_equal_one_is_not(store: Store) -> None:
    comparison = store.compare(LEFT, RIGHT)
    rows = {row.technique: row for row in comparison.techniques}
    calls, loaded = rows[NAME_CALLING], rows[LOADED]
    assert calls.credible and calls.ratio is not None and calls.ratio_low is not None
    assert 1 < calls.ratio_low < calls.ratio < (calls.ratio_high or np.inf)
    assert not loaded.credible
    assert comparison.total.a.articles == 60 and comparison.total.b.articles == 60
    assert comparison.shared == 0


def test_without_b_a_group_is_compared_with_the_rest(store: Store) -> None:
    comparison = store.compare(parse_conditions(["source=left-outlet-0"]))
    assert comparison.b is None
    assert comparison.total.a.articles == 20 and comparison.total.b.articles == 100


def test_overlapping_groups_count_shared_articles_in_a(store: Store) -> None:
    comparison = store.compare(parse_conditions(["source=left-outlet-0"]), LEFT)
    assert comparison.shared == 20
    assert comparison.total.b.articles == 40


def test_an_empty_group_is_an_error_naming_it(store: Store) -> None:
    with pytest.raises(StoreError, match=r"no stored article matches A \(bias_text=centre\)"):
        store.compare(parse_conditions(["bias_text=centre"]), RIGHT)


def test_distinctive_words_and_techniques_come_with_examples(store: Store) -> None:
    report = store.distinctive(LEFT, RIGHT)
    assert report.words_a[0].term == "traitors"
    # B's spans hold "clowns", and more of them are loaded language ("disastrous"): shares
    assert {d.term for d in report.words_b} == {"clowns", "disastrous"}
    assert report.techniques_a[0].term == NAME_CALLING
    example = report.words_a[0].examples[0]
    assert example.text == "traitors" and example.technique == NAME_CALLING


def test_distinctive_words_follow_changes_after_a_first_report(tmp_path: Path) -> None:
    """The store keeps span words between reports: a deleted article's spans must not linger,
    and a new article whose span takes the same place must be read afresh."""
    with Store(f"sqlite:///{tmp_path}/c.db") as store:
        analyses = simulated(30)
        ids = store.add_many(analyses)
        assert store.distinctive(LEFT, RIGHT).words_a[0].term == "traitors"
        for article_id, analysis in zip(ids, analyses, strict=True):
            if analysis.article.fields[0][1] == "left":
                store.delete(article_id)
        for analysis in analyses[:30]:
            text = analysis.article.text.replace("traitors", "villains") + " again"
            store.add(Analysis(replace(analysis.article, text=text), analysis.spans, model="fake"))
        terms = {d.term for d in store.distinctive(LEFT, RIGHT).words_a}
    assert "villains" in terms and "traitors" not in terms


def test_trends_by_month_flag_thin_months(store: Store) -> None:
    points = store.trends("bias_text", Filters(), NAME_CALLING)
    left = [p for p in points if p.group == "left"]
    assert [p.month for p in left] == sorted(p.month for p in left)
    january = next(p for p in left if p.month == "2020-01")
    assert january.articles == 2 and january.few
    assert all(p.low <= p.rate_per_1000_words <= p.high for p in points)
    assert not any(p.few for p in points if p.month != "2020-01")


def test_parse_conditions_reads_periods_and_fields() -> None:
    filters = parse_conditions(["date=2019-02", "bias_text=left", "source=CNN"])
    assert (filters.date_from, filters.date_to) == ("2019-02-01", "2019-02-28")
    assert filters.fields == (("bias_text", "left"),) and filters.source == "CNN"
    assert parse_conditions(["from=2016", "to=2017"]).date_to == "2017-12-31"
    with pytest.raises(StoreError, match="not a condition"):
        parse_conditions(["left"])


def test_feed_records_keep_short_fields_only() -> None:
    article = from_record(
        {
            "text": "Some text here.",
            "bias_text": "left",
            "year": 2019,
            "score_nan": float("nan"),
            "content_original": "x" * 500,
            "tags": ["a", "b"],
            "bad name!": "v",
        },
        default_id="r",
    )
    assert article.fields == (("bias_text", "left"), ("year", "2019"))


def test_new_fields_of_a_stored_article_are_taken(store: Store) -> None:
    first = simulated()[0].article
    changed = Article(first.id, first.text, fields=(("bias_text", "center"), ("desk", "metro")))
    assert store.update_metadata(changed, "fake")
    assert store.count(Filters(fields=(("bias_text", "center"), ("desk", "metro")))) == 1
    assert not store.update_metadata(changed, "fake")


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with Store(url) as opened:
        opened.add_many(simulated())
    return url


def invoke(command: object, *args: str) -> str:
    result = CliRunner().invoke(command, list(args))  # type: ignore[arg-type]
    assert result.exit_code == 0, result.output
    return result.output


def test_compare_command_as_json(db: str) -> None:
    out = json.loads(
        invoke(
            compare_command,
            "--db",
            db,
            "--a",
            "bias_text=left",
            "--b",
            "bias_text=right",
            "--format",
            "json",
        )
    )
    assert out["a"] == {
        "filters": "bias_text=left",
        "articles": 60,
        "words": out["a"]["words"],
        "spans": out["a"]["spans"],
    }
    row = next(r for r in out["techniques"] if r["technique"] == NAME_CALLING)
    assert set(row) == {"technique", "a", "b", "ratio", "ratio_low", "ratio_high", "credible"}
    assert set(row["a"]) == {"rate_per_1000_words", "low", "high", "spans", "articles", "words"}
    assert row["credible"] is True
    assert out["distinctive"]["words"]["a"][0]["term"] == "traitors"


def test_compare_command_as_a_table_and_csv(db: str) -> None:
    table = invoke(compare_command, "--db", db, "--a", "bias_text=left", "--b", "bias_text=right")
    assert "A: bias_text=left — 60 articles" in table
    assert "more in A" in table and "“traitors”" in table
    csv_out = invoke(compare_command, "--db", db, "--a", "bias_text=left", "--format", "csv")
    header, total, *_ = csv_out.splitlines()
    assert header.startswith("technique,a_rate_per_1000_words,a_low,a_high,a_spans,b_")
    assert total.startswith("(all techniques),")


def test_compare_command_rejects_a_bad_condition(db: str) -> None:
    result = CliRunner().invoke(compare_command, ["--db", db, "--a", "left"])
    assert result.exit_code == 2 and "not a condition" in result.output


def test_stats_and_trends_commands_group_by_a_field(db: str) -> None:
    out = json.loads(invoke(stats_command, "--db", db, "--by", "bias_text", "--format", "json"))
    assert [row["key"] for row in out] == ["left", "right"]
    filtered = invoke(stats_command, "--db", db, "--where", "bias_text=left")
    assert "60 articles in" in filtered
    trends = invoke(trends_command, "--db", db, "--by", "bias_text", "--of", NAME_CALLING)
    assert "2020-01" in trends and " *" in trends


def test_migration_counts_the_words_of_stored_articles(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Store(url) as opened:
        opened.add(Analysis(Article("a", "Four words are here."), (), model="fake"))
    with sqlite3.connect(tmp_path / "old.db") as old:  # as propscan 0.2.0 left it
        old.execute("UPDATE alembic_version SET version_num = '0004'")
        old.execute("ALTER TABLE articles DROP COLUMN words")
        old.execute("DROP TABLE article_fields")
        undo_later_migrations(old)
    with Store(url) as opened:
        (row,) = opened.stats("source")
        assert row.words == 4


@pytest.fixture
def client(db: str) -> Iterator[TestClient]:
    from propscan.server import Settings, create_app

    with TestClient(create_app(Settings(db=db)), base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_api_compare_distinctive_trends_and_fields(client: TestClient) -> None:
    response = client.get("/api/compare", params={"a": "bias_text=left", "b": "bias_text=right"})
    assert response.status_code == 200, response.text
    body = response.json()
    row = next(r for r in body["techniques"] if r["technique"] == NAME_CALLING)
    assert row["credible"] and body["a"]["articles"] == 60
    assert body["b"]["filters"] == "bias_text=right"
    rest = client.get("/api/compare", params={"a": "source=left-outlet-0"}).json()
    assert rest["b"]["filters"] == "the rest of the store" and rest["b"]["articles"] == 100
    words = client.get(
        "/api/distinctive", params={"a": "bias_text=left", "b": "bias_text=right", "limit": 2}
    ).json()
    assert words["b"] == "bias_text=right"
    assert words["words"]["a"][0]["term"] == "traitors"
    trends = client.get("/api/trends", params={"by": "bias_text", "of": NAME_CALLING}).json()
    assert {p["group"] for p in trends} == {"left", "right"}
    fields = client.get("/api/fields").json()
    assert fields[0] == {
        "name": "bias_text",
        "values": [{"value": "left", "articles": 60}, {"value": "right", "articles": 60}],
    }
    stats = client.get("/api/stats", params={"by": "bias_text", "where": "topic=elections"})
    assert [r["key"] for r in stats.json()["rows"]] == ["left", "right"]


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        ("/api/compare", {"a": "left"}, "not a condition"),
        ("/api/compare", {"a": "bias_text=centre"}, "no stored article matches A"),
        ("/api/stats", {"by": "colour"}, "cannot group by 'colour'"),
        ("/api/trends", {"of": "Nonsense"}, "unknown technique"),
        ("/api/stats", {"where": "date=2019-13"}, "not a date"),
    ],
)
def test_api_bad_queries_are_422_with_a_reason(
    client: TestClient, path: str, params: dict[str, str], message: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422, response.text
    assert message in response.text


def test_exports_carry_the_feed_fields(db: str, tmp_path: Path) -> None:
    from propscan.cli.export import export_command

    spans = tmp_path / "spans.csv"
    invoke(
        export_command,
        "--db",
        db,
        "--rows",
        "span",
        "--format",
        "csv",
        "-o",
        str(spans),
        "--where",
        "bias_text=right",
    )
    header, first, *_ = spans.read_text(encoding="utf-8").splitlines()
    assert header.endswith(",reviewed,bias_text,topic")
    assert first.endswith(",right,elections")
    articles = tmp_path / "articles.jsonl"
    invoke(export_command, "--db", db, "--format", "jsonl", "-o", str(articles))
    record = json.loads(articles.read_text(encoding="utf-8").splitlines()[0])
    assert record["fields"] == {"bias_text": "left", "topic": "elections"}
