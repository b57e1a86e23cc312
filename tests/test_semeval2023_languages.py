"""The multilingual SemEval-2023 release: language folders, snapped gold ends, derived paragraphs,
and scores language by language (issue 21)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from tests.test_routing import multilingual

from propscan.cli.evaluate_languages import score_language, unseen_part
from propscan.errors import CorpusFormatError, InputError
from propscan.model.bundle import Model
from propscan.model.training_texts import fingerprint
from propscan.tasks.semeval2023 import (
    language_folders,
    merged,
    read_any_semeval2023,
    read_language_folder,
)

pytestmark = pytest.mark.issue(21)

MULTILINGUAL_DIR = Path(__file__).resolve().parents[2] / "shared" / "semeval2023-multilingual"
TEXT = "Titre\r\n\r\nLe gouvernement corrompu a menti.\r\nLes menteurs professionnels partent.\r\n"


def write_language(root: Path, language: str, article: str = "article1") -> Path:
    folder = root / language
    (folder / "train-articles").mkdir(parents=True)
    (folder / "train-articles" / f"{article}.txt").write_bytes(TEXT.encode("utf-8"))
    start = TEXT.index("corrompu")
    other = TEXT.index("menteurs professionnels")
    ident = article.removeprefix("article")
    (folder / "train-spans.labels").write_text(
        f"{ident}\tLoaded_Language\t{start}\t{start + 7}\n"  # one character short, as in the gold
        f"{ident}\tName_Calling-Labeling\t{other}\t{other + 23}\n",
        encoding="utf-8",
    )
    return folder


def test_gold_ends_inside_a_word_are_snapped_to_its_end(tmp_path: Path) -> None:
    corpus = read_language_folder(write_language(tmp_path, "fr"))
    spans = {technique: TEXT[s:e] for _, technique, s, e in corpus.labels}
    assert spans == {
        "Loaded_Language": "corrompu",
        "Name_Calling-Labeling": "menteurs professionnels",
    }


def test_paragraph_labels_come_from_the_lines_spans_touch(tmp_path: Path) -> None:
    corpus = read_language_folder(write_language(tmp_path, "fr"))
    assert sorted(corpus.paragraphs) == [  # lines are numbered in the file, blank ones too
        ("1", 3, "Loaded_Language"),
        ("1", 4, "Name_Calling-Labeling"),
    ]


def test_a_release_folder_gives_each_language(tmp_path: Path) -> None:
    write_language(tmp_path, "fr")
    write_language(tmp_path, "de", "article2")
    assert sorted(language_folders(tmp_path)) == ["de", "fr"]
    corpora = read_any_semeval2023(tmp_path)
    assert sorted(corpora) == ["de", "fr"]
    assert len(merged(corpora).articles) == 2


def test_the_same_article_id_in_two_languages_is_refused(tmp_path: Path) -> None:
    write_language(tmp_path, "fr")
    write_language(tmp_path, "de")
    with pytest.raises(CorpusFormatError, match="two corpora"):
        merged(read_any_semeval2023(tmp_path))


def test_a_folder_without_languages_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CorpusFormatError, match="no language folder"):
        language_folders(tmp_path)


def test_scores_of_one_language_with_a_fake_model(tmp_path: Path) -> None:
    corpus = read_language_folder(write_language(tmp_path, "fr"))
    model: Model = multilingual()  # finds "corrompu" and "menteurs professionnels"
    result = score_language(model, "fr", corpus)
    assert result.spans.si.overall.f1 == pytest.approx(1.0)
    # both spans are called Name_Calling-Labeling: one of the two is right
    assert result.spans.full.overall.f1 == pytest.approx(0.5)
    assert result.paragraphs.overall.f1 == pytest.approx(0.5)


def test_the_shared_release_reads_with_every_span_on_word_boundaries() -> None:
    if not MULTILINGUAL_DIR.is_dir():
        pytest.skip("../shared/semeval2023-multilingual is not here")
    corpora = read_any_semeval2023(MULTILINGUAL_DIR)
    assert sorted(corpora) == ["de", "fr", "it", "pl", "ru"]
    assert sum(len(c.labels) for c in corpora.values()) == 22361
    for corpus in corpora.values():
        texts = {a.id: a.text for a in corpus.articles}
        for article, _, start, end in corpus.labels:
            text = texts[article]
            assert not (0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum())
            assert not (start > 0 and text[start - 1].isalnum() and text[start].isalnum())


def test_memes_take_the_2023_names_of_their_techniques(tmp_path: Path) -> None:
    text = "CROOKED POLITICIANS\n\nLOVE OUR GREAT NATION"
    memes = [
        {
            "id": "7",
            "text": text,
            "labels": [
                {"start": 0, "end": 19, "technique": "Smears", "text_fragment": ""},
                {"start": 21, "end": 25, "technique": "Transfer", "text_fragment": ""},
                {"start": 30, "end": 39, "technique": "Glittering generalities (Virtue)"},
            ],
        }
    ]
    (tmp_path / "training_set_task2.txt").write_text(json.dumps(memes), encoding="utf-8")
    (corpus,) = read_any_semeval2023(tmp_path).values()
    assert [a.id for a in corpus.articles] == ["meme7"]
    assert [(t, text[s:e]) for _, t, s, e in corpus.labels] == [
        ("Questioning_the_Reputation", "CROOKED POLITICIANS"),
        ("Appeal_to_Values", "GREAT NATION"),  # snapped to whole words; Transfer has no 2023 name
    ]


def test_a_memes_file_that_is_not_json_is_a_format_error(tmp_path: Path) -> None:
    (tmp_path / "training_set_task2.txt").write_text("not json", encoding="utf-8")
    with pytest.raises(CorpusFormatError, match="JSON"):
        read_any_semeval2023(tmp_path)


def test_evaluating_languages_with_a_ptc_model_says_what_to_do(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from propscan.cli import main

    write_language(tmp_path, "fr")
    model = Path(__file__).resolve().parents[1] / "src" / "propscan" / "models" / "default"
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path), "--model", str(model)])
    assert result.exit_code == 1
    assert "names PTC-2020 techniques" in result.output


def test_articles_whose_text_the_model_trained_on_are_left_out(tmp_path: Path) -> None:
    write_language(tmp_path, "fr")
    german = write_language(tmp_path, "de", "article2") / "train-articles" / "article2.txt"
    german.write_text(TEXT + "Noch ein Satz.\n", encoding="utf-8")
    corpus = merged(read_any_semeval2023(tmp_path))
    trained = replace(multilingual(), training_hashes=frozenset({fingerprint(TEXT)}))
    assert [a.id for a in unseen_part(trained, "fr", corpus).articles] == ["2"]
    french = corpus.subset({"1"})
    with pytest.raises(InputError, match="every article to score"):
        unseen_part(trained, "fr", french)
