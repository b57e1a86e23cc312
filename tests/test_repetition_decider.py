"""The joint Repetition decider: occurrence inputs, placement, fitting and its manifest form."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from propscan.errors import ModelNotFound
from propscan.model.repetition import REPETITION, WordIndex
from propscan.model.repetition_decider import (
    DECIDER_FEATURES,
    RepetitionDecider,
    decider_inputs,
    occurrence_features,
)
from propscan.techniques import LABELS
from propscan.train.repetition_decider import (
    HeldOutSpan,
    Rules,
    cross_fitted_scores,
    fit_decider,
    gold_labels,
    technique_labels,
)

REP = LABELS.index(REPETITION)
LOADED = LABELS.index("Loaded_Language")
NAME = LABELS.index("Name_Calling,Labeling")

TEXT = "Stop the steal, they said. Nobody listened. Stop the steal! The crowd roared."


def _features(text: str, start: int, end: int) -> dict[str, float]:
    values = occurrence_features(text, start, end, WordIndex(text), text.lower())
    return dict(zip(DECIDER_FEATURES[2:], values, strict=True))


def test_occurrence_features_count_earlier_and_later_copies() -> None:
    first = TEXT.index("Stop the steal")
    second = TEXT.index("Stop the steal", first + 1)
    at_first = _features(TEXT, first, first + 14)
    at_second = _features(TEXT, second, second + 14)
    assert at_first["verbatim_earlier"] == 0 and at_first["verbatim_later"] > 0
    assert at_second["verbatim_earlier"] > 0 and at_second["verbatim_later"] == 0
    assert at_first["key_words_share_elsewhere"] == 1.0
    assert not at_first["key_word_earlier"] and at_second["key_word_earlier"]


def test_occurrence_features_of_a_fragment_said_once() -> None:
    start = TEXT.index("crowd roared")
    once = _features(TEXT, start, start + 12)
    assert once["verbatim_earlier"] == once["verbatim_later"] == 0
    assert once["key_words_share_elsewhere"] == 0.0


def _decider(first: float, second: float, coef: float = 1.0) -> RepetitionDecider:
    n = len(DECIDER_FEATURES)
    return RepetitionDecider((0.0,) * n, (1.0,) * n, (coef,) + (0.0,) * (n - 1), 0.0, first, second)


def _row(rep: float, loaded: float, name: float = 0.2) -> np.ndarray:
    row = np.full(len(LABELS), (1.0 - rep - loaded - name) / (len(LABELS) - 3))
    row[REP], row[LOADED], row[NAME] = rep, loaded, name
    return row


@pytest.mark.parametrize(
    ("p", "rank"),
    [(0.9, 0), (0.5, 1), (0.1, None)],
)
def test_place_moves_repetition_first_second_or_leaves_it(p: float, rank: int | None) -> None:
    rows = np.asarray([_row(0.01, 0.6)])
    placed = _decider(first=0.8, second=0.4).place(rows, np.asarray([p]), REP)
    assert placed.sum() == pytest.approx(1.0)
    assert (placed >= 0).all()
    order = list(np.argsort(-placed[0]))
    if rank is None:
        np.testing.assert_array_equal(placed, rows)
    else:
        assert order.index(REP) == rank
        # The other techniques keep their proportions, so their order.
        ratio = np.delete(placed[0], REP) / np.delete(rows[0], REP)
        assert ratio == pytest.approx(np.full(len(LABELS) - 1, ratio[0]))


def test_probability_is_monotone_in_an_input_with_positive_weight() -> None:
    decider = _decider(0.5, 0.5, coef=2.0)
    inputs = np.zeros((5, len(DECIDER_FEATURES)))
    inputs[:, 0] = np.linspace(-3, 3, 5)
    p = decider.probability(inputs)
    assert (np.diff(p) > 0).all() and ((p > 0) & (p < 1)).all()


def test_settings_round_trip_and_refuse_other_features() -> None:
    decider = _decider(0.7, 0.3)
    assert RepetitionDecider.from_settings(decider.settings()) == decider
    with pytest.raises(ModelNotFound):
        RepetitionDecider.from_settings({**decider.settings(), "features": ["other"]})


def _synthetic(seed: int) -> tuple[list[HeldOutSpan], dict[str, str]]:
    """Articles where the spans that recur carry Repetition (besides Loaded language), while
    the network's rows always rank Loaded language first: only occurrences tell them apart."""
    rng = np.random.default_rng(seed)
    spans, texts = [], {}
    for a in range(60):
        words = [f"word{a}x{i}" for i in range(40)]
        repeated = f"terrible{a} menace{a}"
        text = f"{repeated} {' '.join(words[:20])}. {repeated} {' '.join(words[20:])}."
        texts[str(a)] = text
        noise = rng.uniform(0, 0.05)
        second = text.index(repeated, 1)
        spans.append(
            HeldOutSpan(
                a % 3,
                str(a),
                second,
                second + len(repeated),
                ("Loaded_Language", REPETITION),
                tuple(_row(0.05 + noise, 0.6)),
            )
        )
        once = text.index(words[25])
        spans.append(
            HeldOutSpan(
                a % 3,
                str(a),
                once,
                once + len(words[25]),
                ("Loaded_Language", "Name_Calling,Labeling"),
                tuple(_row(0.05 + noise, 0.6)),
            )
        )
    return spans, texts


def test_fitted_decider_learns_recurrence_and_raises_tc_f1() -> None:
    from propscan.tasks.scoring import score_tc

    spans, texts = _synthetic(0)
    counts = {fold: [1] * len(LABELS) for fold in range(3)}
    rules = Rules(0.0, 1.0)
    decider = fit_decider(spans, texts, LABELS, counts, rules)
    recurring = [s for s in spans if REPETITION in s.gold]
    single = [s for s in spans if REPETITION not in s.gold]

    def p(span: HeldOutSpan) -> float:
        row = np.asarray([span.raw])
        inputs = decider_inputs(row, texts[span.article], [(span.start, span.end)], LABELS)
        return float(decider.probability(inputs)[0])

    assert min(map(p, recurring)) > max(map(p, single))
    gold = gold_labels(spans)
    before = np.asarray([s.raw for s in spans])
    after = np.vstack(
        [
            decider.apply(np.asarray([s.raw]), texts[s.article], [(s.start, s.end)], LABELS)
            for s in spans
        ]
    )
    f1_before = score_tc(gold, technique_labels(spans, before, LABELS)).overall.f1
    f1_after = score_tc(gold, technique_labels(spans, after, LABELS)).overall.f1
    assert f1_after > f1_before


def test_cross_fitted_scores_score_each_fold_with_rules_from_the_others() -> None:
    spans, texts = _synthetic(1)
    counts = {fold: [1] * len(LABELS) for fold in range(3)}
    results = cross_fitted_scores(spans, texts, LABELS, counts, Rules(0.25, 2.0))
    assert [r.fold for r in results] == [0, 1, 2]
    for result in results:
        assert set(result.reports) == {
            "0.2.0 rules",
            "0.2.0 rules, tuned on the other folds",
            "0.2.0 rules + joint Repetition decider",
        }
        assert result.rules["0.2.0 rules + joint Repetition decider"].decider is not None
        assert (
            result.reports["0.2.0 rules + joint Repetition decider"].overall.f1
            >= result.reports["0.2.0 rules, tuned on the other folds"].overall.f1
        )


def test_the_bundled_model_reads_the_occurrence_note_and_ships_no_decider() -> None:
    """The 0.2.1 recipe tells the classifier how often a fragment recurs; the decider, fitted
    on the 0.2.0 network's rows, would misread the new network's and is not shipped."""
    from propscan.model.bundle import load_model
    from propscan.train.label_thresholds import RECIPE_LABEL_THRESHOLDS

    manifest = load_model().manifest or {}
    assert manifest["tc"]["occurrence_input"] is True
    assert "repetition_decider" not in manifest["tc"]
    assert manifest["tc"]["label_thresholds"] == RECIPE_LABEL_THRESHOLDS
    assert load_model().classifier.repetition_decider is None  # type: ignore[attr-defined]


def test_the_bundled_model_names_a_slogan_repeated_three_times_repetition() -> None:
    from propscan.article import Article
    from propscan.model.bundle import load_model
    from propscan.pipeline import classify

    text = (
        "The mayor opened the new bridge on Monday. Build it now, she told the crowd.\n"
        "Residents had waited nine years for the crossing. Build it now, they chanted back.\n"
        "Engineers said the work was finished on schedule. Build it now, the banners read."
    )
    last = text.rindex("Build it now")
    spans = [(last, last + 12), (last, last + 12)]
    labels = {s.technique for s in classify(Article("x", text), spans, load_model())}
    assert "Repetition" in labels
    single = text.index("Engineers said")
    (once,) = classify(Article("x", text), [(single, single + 14)], load_model())
    assert once.technique != "Repetition"


FITTED_ON_0_2_0 = {
    "features": list(DECIDER_FEATURES),
    "mean": [-7.9488, -0.47273, 0.12695, 0.11338, 0.49714, 0.29679, 1.45463, 0.61656, 1.79166],
    "scale": [4.34773, 1.26137, 0.40081, 0.37863, 0.37302, 0.61166, 1.18864, 0.48622, 0.86659],
    "coef": [0.58414, -0.37904, 0.33556, -0.06281, 0.39186, 0.51821, -0.27746, 0.43043, -0.49236],
    "intercept": -3.46275,
    "first": 0.45,
    "second": 0.1,
}
"""The decider 0.2.0 shipped (fitted on its network's held-out rows): a real one for the tests."""


def test_analysis_rows_leave_the_decider_out_and_ranking_rows_use_it() -> None:
    """analyze's label thresholds were chosen on rows without the decider: only the ranking of
    given spans (the TC task) may move Repetition."""
    import copy

    from propscan.model.bundle import load_model

    classifier = copy.copy(load_model().classifier)
    classifier.repetition_decider = RepetitionDecider.from_settings(FITTED_ON_0_2_0)  # type: ignore[attr-defined]
    text = "Build it now, she said. The crowd cheered. Build it now, they chanted. Build it now!"
    last = text.rindex("Build it now")
    spans = [(last, last + 12)]
    chosen = classifier.probabilities(text, spans)
    ranked = classifier.ranked(text, spans)
    assert chosen.sum() == pytest.approx(1.0) and ranked.sum() == pytest.approx(1.0)
    # The decider is sure of this thrice-said slogan: Repetition comes first, at its probability.
    assert not np.allclose(ranked, chosen)
    assert int(np.argmax(ranked[0])) == REP


def test_a_work_folder_trained_with_another_input_is_refused(tmp_path: Path) -> None:
    import json

    from propscan.cli.evaluate_tc import _check_recipe
    from propscan.errors import InputError
    from propscan.train.tc_cv import RAW

    for fold in range(2):
        (tmp_path / f"fold-{fold}").mkdir()
        raw = {"config": {"tc_occurrence_input": True}, "spans": []}
        (tmp_path / f"fold-{fold}" / RAW).write_text(json.dumps(raw), encoding="utf-8")
    _check_recipe(tmp_path, 2, occurrence_input=True)
    with pytest.raises(InputError, match="trained with --occurrence-input"):
        _check_recipe(tmp_path, 2, occurrence_input=False)
