"""Per-technique label thresholds: which detected spans get which techniques."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from propscan.article import Article
from propscan.model.bundle import DEFAULT_MODEL_DIR, Model
from propscan.pipeline import analyze
from propscan.tasks.scoring import score_full
from propscan.techniques import LABELS
from propscan.train.label_thresholds import (
    RECIPE_LABEL_THRESHOLDS,
    Candidate,
    choose_label_thresholds,
    decide,
)

pytestmark = pytest.mark.issue(13)

TEXT = "The corrupt elites betrayed the brave patriots."


def test_without_thresholds_a_span_gets_its_likeliest_technique(fake_model: Model) -> None:
    spans = analyze(Article("a", TEXT), fake_model).spans
    assert [s.technique for s in spans] == ["Loaded_Language", "Loaded_Language"]


def test_thresholds_give_every_technique_that_reaches_them(fake_model: Model) -> None:
    # the fake classifier: Loaded_Language 0.6, Name_Calling 0.28 (before normalising); conf 0.9
    both = replace(
        fake_model, label_thresholds={"Loaded_Language": 0.4, "Name_Calling,Labeling": 0.2}
    )
    labels = [s.technique for s in analyze(Article("a", TEXT), both).spans]
    assert labels == ["Loaded_Language", "Name_Calling,Labeling"] * 2
    strict = replace(fake_model, label_thresholds={"Loaded_Language": 0.9})
    assert analyze(Article("a", TEXT), strict).spans == ()  # no technique is sure enough
    named = replace(fake_model, label_thresholds={"Name_Calling,Labeling": 0.2})
    spans = analyze(Article("a", TEXT), named).spans
    assert {s.technique for s in spans} == {"Name_Calling,Labeling"}
    assert [s.score for s in spans] == pytest.approx([0.9 * 0.28] * 2)  # confidence × probability


def test_decide_and_choose_on_held_out_spans() -> None:
    a, b = LABELS.index("Loaded_Language"), LABELS.index("Doubt")
    rows = []
    for i in range(40):
        row = [0.0] * len(LABELS)
        row[a], row[b] = (0.7, 0.3) if i % 2 else (0.3, 0.7)
        rows.append(row)
    found: list[Candidate] = [("x", 10 * i, 10 * i + 5, 0.9, rows[i]) for i in range(40)]
    gold = [("x", "Loaded_Language" if i % 2 else "Doubt", 10 * i, 10 * i + 5) for i in range(40)]
    assert decide(found, LABELS, {}) == []
    chosen = choose_label_thresholds(found, gold, LABELS)
    assert score_full(gold, decide(found, LABELS, chosen)).overall.f1 == 1.0
    assert 0.27 < chosen["Loaded_Language"] <= 0.63
    assert 0.27 < chosen["Doubt"] <= 0.63


def test_the_bundled_model_uses_the_recipe_thresholds() -> None:
    manifest = json.loads((DEFAULT_MODEL_DIR / "manifest.json").read_text(encoding="utf-8"))
    recipe = RECIPE_LABEL_THRESHOLDS
    assert manifest["tc"]["label_thresholds"] == recipe
    assert set(recipe) <= set(LABELS)
    assert all(0 <= t < 1 for t in recipe.values())
    assert np.isfinite(list(recipe.values())).all()
