"""Calibrated confidence and the views' default cut (issue 18, item 4)."""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace
from itertools import pairwise

import pytest
from click.testing import CliRunner

from propscan import cli
from propscan.article import DEFAULT_MIN_CONFIDENCE, Analysis, Article, Span
from propscan.cli import common
from propscan.model.bundle import DEFAULT_MODEL_DIR, Model, read_model
from propscan.model.calibration import Calibration
from propscan.pipeline import analyze
from propscan.render import render
from propscan.text.ingest import from_text
from propscan.train.calibration import (
    cross_fitted,
    expected_calibration_error,
    reliability,
    shown_spans,
)

pytestmark = pytest.mark.issue(18)
LABELS = ("Loaded_Language", "Name_Calling,Labeling")


def test_a_calibration_is_monotone_and_within_0_and_1() -> None:
    curve = Calibration(0.5, -1.6)
    values = [curve(x / 1000) for x in range(-50, 1051)]
    assert all(0 < v < 1 for v in values)
    assert all(a <= b for a, b in pairwise(values))
    assert Calibration.from_dict(curve.to_dict()) == curve
    for bad in ((0.0, 1.0), (-1.0, 0.0), (math.nan, 0.0)):
        with pytest.raises(ValueError):
            Calibration(*bad)


def test_fitting_recovers_the_rate_of_being_right() -> None:
    rng = random.Random(3)
    scores = [rng.random() for _ in range(4000)]
    hits = [rng.random() < 0.3 * s for s in scores]  # right 30% of the time at score 1
    curve = Calibration.fit(scores, hits)
    table = reliability([curve(s) for s in scores], hits)
    assert expected_calibration_error(table) < 0.03
    assert expected_calibration_error(reliability(scores, hits)) > 0.3


def test_a_span_is_right_when_a_gold_span_of_its_technique_covers_half_of_it() -> None:
    found = [("a", 0, 10, 0.9, [0.8, 0.2]), ("a", 20, 30, 0.9, [0.1, 0.9])]
    gold = [("a", "Loaded_Language", 5, 40), ("a", "Loaded_Language", 20, 24)]
    thresholds = dict.fromkeys(LABELS, 0.1)
    articles, scores, hits = shown_spans(found, gold, LABELS, thresholds)
    assert articles == ["a", "a", "a"]  # 0.9 x 0.1 is under the threshold: not shown
    assert [round(s, 2) for s in scores] == [0.72, 0.18, 0.81]
    assert hits == [True, False, False]  # 5 of 10 covered: right; 4 of 10 (at 20-24): not


def test_cross_fitting_never_uses_a_parts_own_spans() -> None:
    rng = random.Random(5)
    articles = [f"x{i}" for i in range(300)] + [f"y{i}" for i in range(300)]
    scores = [rng.random() for _ in articles]
    hits = [rng.random() < (0.9 if a.startswith("x") else 0.1) for a in articles]
    calibrated = cross_fitted(
        articles, scores, hits, [{a for a in articles if a[0] == p} for p in "xy"]
    )
    assert max(calibrated[:300]) < 0.5 and min(calibrated[300:]) > 0.5  # fitted on the other part


@pytest.mark.corpus
def test_the_bundled_model_reports_calibrated_scores() -> None:
    model = read_model(DEFAULT_MODEL_DIR)
    assert model.calibration is not None
    raw = replace(model, calibration=None)
    text = "The corrupt, treacherous elites have betrayed our brave patriots once again!"
    shown, unmapped = analyze(from_text(text), model), analyze(from_text(text), raw)
    assert [(s.start, s.end, s.technique) for s in shown.spans] == [
        (s.start, s.end, s.technique) for s in unmapped.spans
    ]  # the same findings: only their scores change
    for mine, theirs in zip(shown.spans, unmapped.spans, strict=True):
        assert mine.score == pytest.approx(model.calibration(theirs.score))


def test_views_hide_weak_findings_and_say_how_many(
    fake_model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    weak = replace(fake_model, calibration=Calibration(1.0, -3.0))  # every score becomes low
    monkeypatch.setattr(common, "load_model", lambda model_dir=None: weak)
    runner = CliRunner()
    text = "Title\n\nThe corrupt elites lied. The corrupt elites always lie.\n"
    plain = runner.invoke(cli.main, ["analyze", text])
    assert plain.exit_code == 0, plain.output
    assert f"under {DEFAULT_MIN_CONFIDENCE:.0%} confidence hidden" in plain.stdout
    everything = runner.invoke(cli.main, ["analyze", text, "--min-confidence", "0"])
    assert "hidden" not in everything.stdout and "[1 " in everything.stdout
    data = json.loads(runner.invoke(cli.main, ["analyze", text, "-f", "json"]).stdout)
    assert data["spans"] and data["hidden"] == 0  # files for programs keep every finding


def test_the_html_report_says_how_many_it_hid() -> None:
    article = Article("a", "The corrupt elites lied.")
    analysis = Analysis(article, (Span(4, 18, "Loaded_Language", 0.1),)).at_least(0.2)
    assert "1 finding under 20% confidence hidden" in render([analysis], "html")
