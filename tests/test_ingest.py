"""Reading what users bring: encodings, HTML, binary, empty and oversized files."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from propscan.errors import DoubtfulInput, InputError
from propscan.text.ingest import collect, from_bytes, read_file
from propscan.text.language import detect_language

ARTICLE = "Brave patriots rise\n\nThe corrupt elites lied again, said the mayor.\n"


def test_utf8_text_keeps_its_bom_and_title_and_reads_crlf_as_lf(tmp_path: Path) -> None:
    path = tmp_path / "article123.txt"
    path.write_bytes(("\ufeff" + ARTICLE.replace("\n", "\r\n")).encode("utf-8"))
    article = read_file(path)
    assert article.id == "123"
    assert article.text.startswith("\ufeffBrave")  # BOM kept: PTC offsets count it
    assert article.text == "\ufeff" + ARTICLE  # one kind of line break (issue 20, item 3)
    assert article.title == "\ufeffBrave patriots rise".strip()


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "cp1252"])
def test_other_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    text = "Café owners in Zürich say the naïve plan is a disaster for everyone.\n" * 5
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode(encoding))
    assert read_file(path).text.lstrip("\ufeff") == text


@pytest.mark.parametrize("content", [b"", b"   \n\t\n"])
def test_empty_files_are_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="empty article"):
        read_file(path)


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 40,
        b"\x00\x01\x02binary",  # valid UTF-8: was read as the text "binary" (regression)
        bytes(range(1, 9)) * 50 + b"text",  # valid UTF-8, no NUL, mostly control characters
        b"\x00\x00\x00\x01PK\x03\x04" + b"a" * 200,
        "\ufeff".encode("utf-16-le") + "abc\x00\x01\x02\x03def".encode("utf-16-le"),
    ],
)
def test_binary_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(content)
    with pytest.raises(InputError, match="binary"):
        read_file(path)


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_text("word " * 1_100_000, encoding="utf-8")
    with pytest.raises(InputError, match="MB limit"):
        read_file(path)


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "nope.txt")


def test_html_page_gives_main_text_and_metadata() -> None:
    page = (
        b"<html><head><title>Big news</title>"
        b'<meta property="og:site_name" content="Daily Example">'
        b'<meta property="article:published_time" content="2020-01-02"></head>'
        b"<body><nav>Home | Sport</nav><article><h1>Big news</h1>"
        b"<p>The corrupt elites lied again, and the brave patriots of this town will not "
        b"forget it. This paragraph is long enough to count as the article.</p>"
        b"<p>A second paragraph mentions &lt;script&gt; as plain text.</p></article></body></html>"
    )
    article = from_bytes(page, ident="page")
    assert article.title == "Big news"
    assert article.source == "Daily Example"
    assert article.date == "2020-01-02"
    assert "corrupt elites" in article.text
    assert "<script>" in article.text
    assert "Home | Sport" not in article.text


def test_html_without_article_text_is_refused() -> None:
    with pytest.raises(InputError, match="no article text"):
        from_bytes(b"<html><body><img src='x.png'></body></html>", ident="page")


def test_folder_with_mixed_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.html").write_text("<html></html>", encoding="utf-8")
    (tmp_path / "c.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    files, skipped = collect([tmp_path])
    assert [p.name for p in files] == ["a.txt", "b.html"]
    assert [p.name for p in skipped] == ["c.png"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (ARTICLE * 3, "en"),
        ("Les élites corrompues ont encore menti, a déclaré le maire de la ville. " * 3, "fr"),
        ("Коррумпированные элиты снова солгали, заявил мэр города сегодня утром. " * 3, "ru"),
        ("12345 !!! ???", "und"),
    ],
)
def test_the_language_is_detected(text: str, language: str) -> None:
    assert detect_language(text).language == language


FRENCH = "Le sommet à Bruxelles: une façade naïve. Déjà vu, said the minister of the elites.\n"


@pytest.mark.issue(11)
def test_short_latin1_text_is_read_as_western(tmp_path: Path) -> None:
    path = tmp_path / "brussels.txt"
    path.write_bytes(FRENCH.encode("latin-1"))
    with warnings.catch_warnings():
        warnings.simplefilter("error", DoubtfulInput)
        assert read_file(path).text == FRENCH


@pytest.mark.issue(11)
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_detected_and_flagged(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "story.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    with pytest.warns(DoubtfulInput, match="without a byte-order mark"):
        assert read_file(path).text == ARTICLE


@pytest.mark.issue(11)
def test_non_western_legacy_text_is_guessed_and_flagged(tmp_path: Path) -> None:
    text = "Коррумпированные элиты снова лгали, и наивные избиратели им поверили.\n"
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode("cp1251"))
    with pytest.warns(DoubtfulInput, match="a guess"):
        assert read_file(path).text == text
