"""Repetition is only given where something is repeated (issue 9)."""

from __future__ import annotations

import numpy as np
import pytest

from propscan.model.repetition import (
    REPETITION,
    adjust_priors,
    boost_repetition,
    gate_repetition,
    recurs_elsewhere,
)
from propscan.techniques import LABELS

TEXT = (
    "It was a historic day. The regime fell. Freedom for Syria! "
    "We will never forget: freedom for Syria, freedom for all."
)


@pytest.mark.issue(9)
def test_a_word_that_occurs_once_does_not_recur() -> None:
    start = TEXT.index("historic")
    assert not recurs_elsewhere(TEXT, start, start + len("historic"))


@pytest.mark.issue(9)
def test_a_repeated_phrase_recurs() -> None:
    start = TEXT.index("Freedom for Syria")
    assert recurs_elsewhere(TEXT, start, start + len("Freedom for Syria"))


@pytest.mark.issue(9)
def test_key_words_decide_not_short_function_words() -> None:
    text = "the warfare of the worlds and the end"
    start = text.index("the warfare")
    assert not recurs_elsewhere(text, start, start + len("the warfare"))
    assert recurs_elsewhere("no, no and no", 0, 2)  # no key word: every word counts


@pytest.mark.issue(9)
def test_gate_rules_out_repetition_only_where_nothing_recurs() -> None:
    labels = list(LABELS)
    rows = np.full((2, len(labels)), 0.02)
    rows[:, labels.index(REPETITION)] = 0.6
    rows /= rows.sum(axis=1, keepdims=True)
    once = (TEXT.index("historic"), TEXT.index("historic") + 8)
    again = (TEXT.index("Freedom for Syria"), TEXT.index("Freedom for Syria") + 17)
    gated = gate_repetition(rows, TEXT, [once, again], labels)
    assert gated[0, labels.index(REPETITION)] == 0.0
    assert gated[0].sum() == pytest.approx(1.0)
    assert np.argmax(gated[1]) == labels.index(REPETITION)


@pytest.mark.issue(9)
def test_prior_adjustment_restores_frequent_classes() -> None:
    rows = np.array([[0.45, 0.55]])
    adjusted = adjust_priors(rows, [900, 100], 0.5)
    assert np.argmax(adjusted[0]) == 0 and adjusted.sum() == pytest.approx(1.0)
    assert adjust_priors(rows, [900, 100], 0.0) is rows


@pytest.mark.issue(9)
def test_bundled_model_never_labels_a_single_occurrence_repetition() -> None:
    from propscan.article import Article
    from propscan.model.bundle import load_model
    from propscan.pipeline import analyze, classify

    model = load_model()
    article = Article(id="t", text=TEXT)
    start = TEXT.index("historic")
    for span in classify(article, [(start, start + 8)] * 3, model):
        assert span.technique != REPETITION
    for span in analyze(article, model).spans:
        if span.technique == REPETITION:
            assert recurs_elsewhere(TEXT, span.start, span.end)


@pytest.mark.issue(9)
def test_boost_favours_repetition_only_for_verbatim_repeats() -> None:
    labels = list(LABELS)
    rows = np.full((2, len(labels)), 0.02)
    rows[:, labels.index("Loaded_Language")] = 0.5
    rows[:, labels.index(REPETITION)] = 0.3
    rows /= rows.sum(axis=1, keepdims=True)
    again = (TEXT.index("Freedom for Syria"), TEXT.index("Freedom for Syria") + 17)
    once = (TEXT.index("The regime fell"), TEXT.index("The regime fell") + 15)
    boosted = boost_repetition(rows, TEXT, [again, once], labels, 4.0)
    assert np.argmax(boosted[0]) == labels.index(REPETITION)
    assert np.allclose(boosted[1], rows[1])
    assert boost_repetition(rows, TEXT, [again, once], labels, 1.0) is rows
