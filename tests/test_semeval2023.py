"""The SemEval-2023 Task 3 release (subtask 3, English) read into a Corpus with 2023 labels."""

from __future__ import annotations

from pathlib import Path

import pytest

from propscan.errors import CorpusFormatError
from propscan.tasks.ptc import Corpus
from propscan.tasks.semeval2023 import read_paragraph_labels, read_semeval2023
from propscan.techniques import SEMEVAL2023

pytestmark = pytest.mark.issue(13)


def test_reads_the_english_training_release(semeval2023_corpus: Corpus) -> None:
    corpus = semeval2023_corpus
    assert len(corpus.articles) == 371
    assert len(corpus.labels) == 6136
    assert {t for _, t, _, _ in corpus.labels} <= set(SEMEVAL2023.labels)
    assert len({(a, line) for a, line, _ in corpus.paragraphs}) < 7895  # rows without labels
    half = [a.id for a in corpus.articles[::2]]
    subset = corpus.subset(half)
    assert {a for a, _, _ in subset.paragraphs} <= set(half)
    assert len(subset.paragraphs) < len(corpus.paragraphs)


def _release(tmp_path: Path, spans: str, paragraphs: str) -> Path:
    (tmp_path / "dev-articles").mkdir()
    (tmp_path / "dev-articles" / "article1.txt").write_text("Title\n\nThey lie.\n")
    (tmp_path / "dev-labels").mkdir()
    (tmp_path / "dev-labels" / "dev-spans.labels").write_text(spans)
    (tmp_path / "dev-labels" / "dev-paragraphs.labels").write_text(paragraphs)
    return tmp_path


def test_reads_a_small_release(tmp_path: Path) -> None:
    folder = _release(tmp_path, "1\tDoubt\t7\t16\n", "1\t1\t\n1\t3\tDoubt,Straw_Man\n")
    corpus = read_semeval2023(folder)
    assert corpus.labels == (("1", "Doubt", 7, 16),)
    assert corpus.paragraphs == (("1", 3, "Doubt"), ("1", 3, "Straw_Man"))


@pytest.mark.parametrize(
    ("spans", "paragraphs", "message"),
    [
        ("1\tBandwagon,Reductio_ad_hitlerum\t7\t16\n", "", "unknown technique"),
        ("1\tDoubt\t7\t99\n", "", "not in an article"),
        ("", "1\t3\tFlag-Waving\n", "unknown technique"),
        ("", "1\tthree\tDoubt\n", "ID<TAB>line<TAB>techniques"),
    ],
)
def test_bad_release_files(tmp_path: Path, spans: str, paragraphs: str, message: str) -> None:
    with pytest.raises(CorpusFormatError, match=message):
        read_semeval2023(_release(tmp_path, spans, paragraphs))


def test_a_folder_without_the_release_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CorpusFormatError, match=r"paragraphs\.labels"):
        read_semeval2023(tmp_path)
    with pytest.raises(CorpusFormatError, match="no such label file"):
        read_paragraph_labels(tmp_path / "none.labels")
