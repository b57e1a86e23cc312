"""A teacher's probabilities as a student's targets: mapping, loss, storage, training."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from propscan.model.transformer.text import BEGIN, INSIDE, OUTSIDE, EncodedText
from propscan.tasks.ptc import Corpus
from propscan.train.soft_labels import TeacherView, read_soft_labels, save_soft_labels


def _view() -> TeacherView:
    """A teacher that read "Crooked liars win" as the pieces "Crook", "ed", "liars", "win"."""
    return TeacherView(
        piece_offsets=np.array([[0, 5], [5, 7], [8, 13], [14, 17]]),
        piece_probabilities=np.array(
            [[0.1, 0.8, 0.1], [0.2, 0.1, 0.7], [0.4, 0.2, 0.4], [0.9, 0.05, 0.05]],
            dtype=np.float32,
        ),
        span_offsets=np.array([[0, 13]]),
        span_probabilities=np.array([[0.7, 0.3]], dtype=np.float32),
    )


def test_a_student_piece_takes_the_teacher_piece_under_its_midpoint() -> None:
    # the student splits "liars" into "li" + "ars" and reads "Crooked" whole
    student = EncodedText(ids=np.arange(4), offsets=np.array([[0, 7], [8, 10], [10, 13], [14, 17]]))
    targets = _view().tag_distributions(student)
    assert targets.shape == (4, 3)
    assert np.allclose(targets.sum(axis=1), 1.0)
    assert np.allclose(targets[0], [0.1, 0.8, 0.1])  # its midpoint lies in "Crook"
    assert targets[1, BEGIN] == pytest.approx(0.2)  # the first piece of "liars" may begin
    assert targets[2, BEGIN] == 0.0 and targets[2, INSIDE] == pytest.approx(0.6)
    assert targets[3, OUTSIDE] == pytest.approx(0.9)


def test_a_piece_the_teacher_did_not_read_is_outside() -> None:
    student = EncodedText(ids=np.arange(2), offsets=np.array([[7, 8], [17, 19]]))
    targets = _view().tag_distributions(student)
    assert np.array_equal(targets, [[1, 0, 0], [1, 0, 0]])


def test_the_technique_distribution_is_found_by_offsets() -> None:
    view = _view()
    assert np.allclose(view.technique_distribution(0, 13), [0.7, 0.3])  # type: ignore[arg-type]
    assert view.technique_distribution(0, 12) is None


def test_views_survive_saving(tmp_path: Path) -> None:
    save_soft_labels({"a-1": _view(), "b/2": _view()}, tmp_path / "soft.npz")
    read = read_soft_labels(tmp_path / "soft.npz")
    assert sorted(read) == ["a-1", "b/2"]
    for field in TeacherView.__dataclass_fields__:
        assert np.array_equal(getattr(read["b/2"], field), getattr(_view(), field))


def test_the_soft_loss_on_one_hot_rows_is_weighted_cross_entropy() -> None:
    torch = pytest.importorskip("torch")
    from propscan.train._loop import soft_cross_entropy

    torch.manual_seed(0)
    logits = torch.randn(6, 4)
    labels = torch.tensor([0, 3, 1, 1, 2, 0])
    class_weight = torch.tensor([0.5, 1.0, 2.0, 1.5])
    expected = torch.nn.CrossEntropyLoss(weight=class_weight)(logits, labels)
    one_hot = torch.nn.functional.one_hot(labels, 4).float()
    got = soft_cross_entropy(logits, one_hot, class_weight[labels])
    assert torch.allclose(got, expected)
    # weight 0 leaves a row out, as ignore_index does
    kept = torch.nn.CrossEntropyLoss()(logits[:4], labels[:4])
    row_weights = torch.tensor([1.0, 1, 1, 1, 0, 0])
    assert torch.allclose(soft_cross_entropy(logits, one_hot, row_weights), kept)


def manifest_labels(folder: Path) -> list[str]:
    """The techniques a model folder's classifier tells apart."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return list(manifest["tc"]["labels"])


@pytest.mark.corpus
def test_a_student_learns_a_teachers_probabilities(
    tiny_dir: Path,
    tiny_config: Callable[..., Any],
    tiny_teacher: Path,
    ptc_corpus: Corpus,
    tmp_path: Path,
) -> None:
    from propscan.model.bundle import read_model
    from propscan.model.transformer.text import load_tokenizer
    from propscan.train.si import tagged_windows
    from propscan.train.tc import marked_spans
    from propscan.train.teacher_labels import teacher_labels
    from propscan.train.transformer import train_transformer

    config = tiny_config(quantize=False)
    gold = ptc_corpus.subset(a.id for a in ptc_corpus.articles[:2])
    teacher = read_model(tiny_teacher)
    unlabelled = ptc_corpus.articles[2:4]
    pseudo, views = teacher_labels(teacher, unlabelled, probabilities=True)
    assert sorted(views) == sorted(a.id for a in unlabelled)
    for article in unlabelled:
        view = views[article.id]
        assert len(view.piece_offsets) == len(view.piece_probabilities) > 0
        decoded = {(s, e) for _, _, s, e in pseudo.labels_by_article[article.id]}
        assert {tuple(row) for row in view.span_offsets.tolist()} == decoded
        assert np.allclose(view.span_probabilities.sum(axis=1), 1.0, atol=1e-5)

    tokenizer = load_tokenizer(tiny_teacher / "tokenizer.json")
    windows = tagged_windows(gold.merged(pseudo), tokenizer, 64, views)
    taught = [w for w in windows if w.soft is not None]
    assert taught and len(taught) < len(windows)  # the gold articles keep their tags
    assert all(len(w.soft) == len(w.ids) for w in taught)  # type: ignore[arg-type]
    labels = manifest_labels(tiny_teacher)
    spans = marked_spans(gold.merged(pseudo), tokenizer, labels, 32, True, views)
    found = sum(len(view.span_offsets) for view in views.values())
    assert sum(span.soft is not None for span in spans) == found

    manifest = train_transformer(
        gold,
        tmp_path / "student",
        encoder_dir=tiny_dir,
        config=config,
        tune=False,
        pseudo=pseudo,
        soft=views,
    )
    assert manifest["trained_on"]["teacher_probabilities"] is True
    assert manifest["trained_on"]["teacher_labelled_articles"] == 2
    assert read_model(tmp_path / "student").tagger.detect(unlabelled[0].text) is not None
