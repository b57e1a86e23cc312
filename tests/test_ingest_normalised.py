"""One article however it arrives: line endings, HTML pasted as text, headline spacing, dates
read by a library, bylines kept (issue 20, items 2, 3, 10, 12 and 15)."""

from __future__ import annotations

import sqlite3
import warnings
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from conftest import undo_later_migrations
from propscan.article import Analysis, Article
from propscan.corpus.sources import from_record, open_source
from propscan.corpus.store import Store
from propscan.errors import DoubtfulInput
from propscan.model.bundle import Model
from propscan.pipeline import analyze
from propscan.render import render
from propscan.server import Settings, create_app
from propscan.server.deps import get_model
from propscan.text.dates import UnreadableDate, iso_date
from propscan.text.ingest import clean, from_bytes, from_html, from_text, read_file

pytestmark = pytest.mark.issue(20)

LF = "Harbour news\n\nThe corrupt elites closed the ferry.\nProud citizens object.\n"
PAGE = """<!doctype html><html><head><title>Traitors sell out the nation</title>
<meta name="author" content="John Smith"></head><body><article>
<h1>Traitors sell out the nation</h1>
<p class="byline">By John Smith</p>
<p>The corrupt elites have once again betrayed the hard-working families of this town, said the
mayor on Monday, and the council has not answered a single question about the harbour deal.</p>
<p>Residents gathered outside the town hall to protest against the sale of the old harbour.</p>
</article></body></html>"""


@pytest.mark.parametrize("crlf", [LF.replace("\n", "\r\n"), LF.replace("\n", "\r")])
def test_every_input_path_reads_crlf_and_cr_as_lf(crlf: str, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(crlf.encode("utf-8"))
    read = [
        read_file(path),
        from_text(crlf),
        from_bytes(crlf.encode("utf-8"), ident="x"),
        from_record({"text": crlf}, default_id="r"),
        clean(Article("c", crlf, title="T\r\nx")),
    ]
    assert all(a.text == LF for a in read)
    assert read[-1].title == "T\nx"


def test_a_text_pasted_with_crlf_is_stored_once_with_lf_offsets(
    fake_model: Model, tmp_path: Path
) -> None:
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'c.db'}"))
    app.dependency_overrides[get_model] = lambda: fake_model
    with TestClient(app, base_url="http://127.0.0.1") as client:
        first = client.post("/api/articles", json={"text": LF.replace("\n", "\r\n")}).json()
        again = client.post("/api/articles", json={"text": LF}).json()
    assert first["id"] == again["id"]
    with Store(f"sqlite:///{tmp_path / 'c.db'}") as store:
        stored = store.get(first["id"])
    assert stored is not None and stored.analysis.article.text == LF
    ptc = render([analyze(stored.analysis.article, fake_model)], "ptc")
    assert ptc.splitlines()
    for line in ptc.splitlines():  # offsets into the LF text, as Python's open() reads it
        _, _, start, end = line.split("\t")
        assert LF[int(start) : int(end)] == "corrupt elites"


def test_html_pasted_as_text_is_read_as_a_page(fake_model: Model, tmp_path: Path) -> None:
    app = create_app(Settings(db=f"sqlite:///{tmp_path / 'c.db'}"))
    app.dependency_overrides[get_model] = lambda: fake_model
    with TestClient(app, base_url="http://127.0.0.1") as client:
        answer = client.post("/api/analyze", json={"text": PAGE})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["title"] == "Traitors sell out the nation"
    assert "<" not in body["text"] and "corrupt elites" in body["text"]


def test_a_page_keeps_a_blank_line_between_headline_and_body() -> None:
    article = from_html(PAGE, ident="p")
    assert article.text.startswith("Traitors sell out the nation\n\n")
    assert article.author == "John Smith"


@pytest.mark.parametrize(
    ("given", "day"),
    [
        ("2019-03-04", "2019-03-04"),
        ("2019-03-04T23:10:00Z", "2019-03-04"),
        ("Tue, 05 Mar 2019 10:00:00 GMT", "2019-03-05"),
        ("March 3, 2019", "2019-03-03"),
        (date(2020, 2, 29), "2020-02-29"),
    ],
)
def test_dates_are_read_by_a_library_and_stored_iso(given: str | date, day: str) -> None:
    assert iso_date(given) == day


@pytest.mark.parametrize(
    "given", ["last tuesday", "2019-02-30", "May 2019", "9999-12-31", "0001-01-01", "NaN", ""]
)
def test_unreadable_dates_are_refused(given: str) -> None:
    with pytest.raises(UnreadableDate):
        iso_date(given)


def test_an_unreadable_date_is_dropped_with_a_warning_naming_the_input(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        '{"id": "a", "text": "Some text here.", "date": "last tuesday"}\n'
        '{"id": "b", "text": "Other text here.", "date": "2019-02-30"}\n'
        '{"id": "c", "text": "Third text here.", "date": "4 March 2019", "author": "Ann Lee"}\n',
        encoding="utf-8",
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        articles = list(open_source(feed))
    assert [a.date for a in articles] == [None, None, "2019-03-04"]  # type: ignore[union-attr]
    assert articles[2].author == "Ann Lee"  # type: ignore[union-attr]
    messages = [str(w.message) for w in caught if issubclass(w.category, DoubtfulInput)]
    assert len(messages) == 2 and "last tuesday" in messages[0] and "kept no date" in messages[0]
    assert messages[0].startswith(f"{feed}:1: ")  # named by the feed's path (issue 20, item 13)


def test_the_store_keeps_the_author_and_migrates_old_dates(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    with Store(url) as store:
        kept = store.add(analyze_fake(Article("a", "Text one.", date="2019-03-04", author="A B")))
        bad = store.add(analyze_fake(Article("b", "Text two.", date="2019-03-05")))
    with sqlite3.connect(tmp_path / "c.db") as db:  # as an older propscan stored it
        db.execute("UPDATE articles SET date = 'last tuesday' WHERE id = ?", (bad,))
        db.execute("UPDATE alembic_version SET version_num = '0003'")
        db.execute("ALTER TABLE articles DROP COLUMN author")
        db.execute("ALTER TABLE articles DROP COLUMN words")
        db.execute("DROP TABLE article_fields")
        undo_later_migrations(db)
    with Store(url) as store:
        first, second = store.get(kept), store.get(bad)
    assert first is not None and second is not None
    assert first.analysis.article.date == "2019-03-04"
    assert second.analysis.article.date is None
    with Store(url) as store:
        store.update_metadata(Article("a", "Text one.", author="C D"), "fake")
        again = store.get(kept)
    assert again is not None and again.analysis.article.author == "C D"


def analyze_fake(article: Article) -> Analysis:
    return Analysis(article, (), model="fake")
