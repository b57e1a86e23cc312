"""Corpus inputs: folders, JSONL, CSV and Parquet -> Articles (or Unreadable with a reason)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from propscan.article import Analysis, Article, Span
from propscan.corpus.sources import (
    NO_ARTICLE,
    Unreadable,
    analysis_from_row,
    analysis_row,
    analysis_schema,
    chain,
    open_source,
)
from propscan.errors import InputError

PAGE = """<!doctype html><html><head><title>Ferry chaos</title>
<meta property="og:site_name" content="Harbour News">
<meta name="date" content="2024-05-01"></head><body><article><h1>Ferry chaos</h1>
<p>The corrupt elites have cancelled the ferry again, and the brave patriots of the harbour
are left waiting in the rain for a boat that never comes.</p>
<p>Everyone knows who is to blame, and everyone knows they will never answer for it.</p>
</article></body></html>"""


def test_folder_reads_articles_and_reports_unreadable_files(tmp_path: Path) -> None:
    (tmp_path / "article1.txt").write_text("A headline\n\nSome text here.", encoding="utf-8")
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("   ", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("ignored", encoding="utf-8")
    source = open_source(tmp_path)
    assert len(source) == 3
    items = {item.id: item for item in source}
    assert isinstance(items["1"], Article) and items["1"].title == "A headline"
    page = items["page"]
    assert isinstance(page, Article) and page.title == "Ferry chaos"
    assert page.source == "Harbour News" and page.date == "2024-05-01"
    assert isinstance(items["empty"], Unreadable) and "empty" in items["empty"].error


def test_a_single_article_file_is_a_source(tmp_path: Path) -> None:
    path = tmp_path / "one.txt"
    path.write_text("Just one article.", encoding="utf-8")
    assert [item.id for item in open_source(path)] == ["one"]


def test_jsonl_records_with_text_html_metadata_and_errors(tmp_path: Path) -> None:
    lines = [
        {"id": "t1", "text": "Title line\nBody.", "source": "wire", "date": "2024-02-03T10:00Z"},
        {"html": PAGE, "url": "https://harbour.example/ferry", "source": "Given Source"},
        {"title": "no text here"},
        "not an object",
    ]
    path = tmp_path / "news.jsonl"
    text = "\n".join(json.dumps(line) for line in lines)
    path.write_text(text + "\n\n{broken\n", encoding="utf-8")
    source = open_source(path)
    assert len(source) == 5
    items = list(source)
    assert items[0] == Article(
        "t1", "Title line\nBody.", title="Title line", source="wire", date="2024-02-03"
    )
    page = items[1]
    assert isinstance(page, Article) and page.id == "news:2"
    assert (page.title, page.source, page.url) == (
        "Ferry chaos",
        "Given Source",
        "https://harbour.example/ferry",
    )
    assert "corrupt elites" in page.text
    assert [type(item) for item in items[2:]] == [Unreadable] * 3
    assert items[2] == Unreadable("news:3", NO_ARTICLE)
    assert "not a JSON object" in items[3].error  # type: ignore[union-attr]
    assert items[4].id == "news:6" and "not JSON" in items[4].error  # type: ignore[union-attr]


def test_csv_rows_with_multiline_text(tmp_path: Path) -> None:
    path = tmp_path / "feed.csv"
    path.write_text(
        'id,title,text,source,date\nc1,First,"Line one\nline two",wire,2024-01-31\n'
        "c2,,Second text,,not a date\n,,,,\n",
        encoding="utf-8",
    )
    source = open_source(path)
    assert len(source) == 3
    first, second, third = source
    assert first == Article(
        "c1", "Line one\nline two", title="First", source="wire", date="2024-01-31"
    )
    assert second == Article("c2", "Second text", title="Second text")  # date unreadable: none
    assert isinstance(third, Unreadable) and third.id == "feed:4"


def test_parquet_rows_with_timestamp_dates(tmp_path: Path) -> None:
    path = tmp_path / "corpus.parquet"
    table = pa.table(
        {
            "id": ["p1", "p2"],
            "text": ["Parquet article one.", None],
            "date": [datetime(2023, 12, 24, 18, 0), None],
        }
    )
    pq.write_table(table, path)
    source = open_source(path)
    assert len(source) == 2
    first, second = source
    assert first == Article(
        "p1", "Parquet article one.", title="Parquet article one.", date="2023-12-24"
    )
    assert isinstance(second, Unreadable) and second.id == "p2"


def test_missing_input_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        open_source(tmp_path / "nothing.jsonl")


def test_chain_reads_sources_in_order(tmp_path: Path) -> None:
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "One."}\n', encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"id": "y", "text": "Two."}\n', encoding="utf-8")
    sources = [open_source(tmp_path / name) for name in ("a.jsonl", "b.jsonl")]
    assert [item.id for item in chain(sources)] == ["x", "y"]


def test_analysis_rows_round_trip_through_parquet(tmp_path: Path) -> None:
    article = Article(
        "r1", "Brave patriots win.", title="T", source="s", url="u", date="2024-05-06"
    )
    analysis = Analysis(article, (Span(0, 14, "Flag-Waving", 0.75),), model="m")
    path = tmp_path / "rows.parquet"
    pq.write_table(pa.Table.from_pylist([analysis_row(analysis)], schema=analysis_schema()), path)
    (row,) = pq.read_table(path).to_pylist()
    assert analysis_from_row(row) == analysis
    # and the file is an input source again
    assert list(open_source(path)) == [
        Article("r1", article.text, title="T", source="s", url="u", date="2024-05-06")
    ]
