"""The PTC corpus format: ids, label files, templates, and the real corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscan.errors import CorpusFormatError
from propscan.tasks.ptc import article_id, read_corpus, read_technique_labels, read_template


@pytest.mark.parametrize(
    ("name", "ident"),
    [
        ("article111111111.txt", "111111111"),
        ("article7.txt", "7"),
        ("news story.txt", "news story"),
    ],
)
def test_article_id(name: str, ident: str) -> None:
    assert article_id(Path(name)) == ident


def test_template_accepts_three_and_four_fields(tmp_path: Path) -> None:
    path = tmp_path / "template.out"
    path.write_text("1\t?\t10\t20\n2\t5\t9\n\n", encoding="utf-8")
    assert read_template(path) == [("1", 10, 20), ("2", 5, 9)]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("1\tNot_A_Technique\t1\t2", "unknown technique"),
        ("1\tDoubt\tx\t2", "integers"),
        ("1\tDoubt\t5\t2", "bad span"),
        ("1\tDoubt\t5", "4 tab-separated"),
    ],
)
def test_bad_label_lines(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "labels.txt"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match=message):
        read_technique_labels(path)


def test_folder_without_corpus(tmp_path: Path) -> None:
    with pytest.raises(CorpusFormatError, match="articles"):
        read_corpus(tmp_path)


@pytest.mark.corpus
def test_real_corpus(ptc_dir: Path) -> None:
    corpus = read_corpus(ptc_dir)
    assert len(corpus.articles) == 371
    assert len(corpus.labels) == 6128
    first = corpus.articles[0]
    ident, technique, start, end = corpus.labels_by_article[first.id][0]
    assert (ident, technique, start, end) == ("111111111", "Appeal_to_Authority", 265, 323)
    fragment = first.text[start:end]
    assert fragment[0].isupper() and fragment.endswith("stronger") and "\n" not in fragment
    assert first.title is not None and first.text.startswith(first.title)
