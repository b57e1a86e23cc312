"""Language routing (issue 21): the English model sends other languages to the multilingual model,
which names SemEval-2023 techniques itself, and PTC-2020 ones on request."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from numpy.typing import NDArray
from tests.conftest import FakeTagger

from propscan.article import Article
from propscan.model.bundle import Model
from propscan.pipeline import analyze, as_ptc2020, classify
from propscan.techniques import LABELS, SEMEVAL2023

pytestmark = pytest.mark.issue(21)

FRENCH = (
    "Le gouvernement corrompu a encore menti aux citoyens. Ces menteurs professionnels "
    "détruisent le pays, disent les manifestants qui défilaient samedi à Paris."
)
ENGLISH = (
    "The corrupt government lied to the citizens again. These professional liars are "
    "destroying the country, said the protesters who marched in London on Saturday."
)


class Fake2023Classifier:
    """Probabilities over the 23 techniques: ``first`` most, ``second`` next."""

    def __init__(self, first: str, second: str) -> None:
        self.labels = list(SEMEVAL2023.labels)
        self.row = np.full(len(self.labels), 0.01)
        self.row[self.labels.index(first)] = 0.6
        self.row[self.labels.index(second)] = 0.2
        self.row /= self.row.sum()

    def probabilities(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        return np.tile(self.row, (len(spans), 1))

    def ranked(self, text: str, spans: Sequence[tuple[int, int]]) -> NDArray[np.float64]:
        return self.probabilities(text, spans)


def multilingual(first: str = "Name_Calling-Labeling", second: str = "Loaded_Language") -> Model:
    return Model(
        name="multilingual",
        tagger=FakeTagger(["corrompu", "menteurs professionnels", "corrupt"]),
        classifier=Fake2023Classifier(first, second),
        manifest={"taxonomy": "semeval2023", "languages": ["de", "en", "fr", "it", "pl", "ru"]},
    )


@pytest.fixture
def routed(fake_model: Model) -> Model:
    return replace(fake_model, routes=(multilingual(),))


def test_english_stays_with_the_english_model(routed: Model) -> None:
    analysis = analyze(Article("a", ENGLISH), routed)
    assert analysis.model == "fake"
    assert analysis.language == "en"
    assert analysis.taxonomy == "ptc2020"


def test_french_goes_to_the_multilingual_model_in_2023_names(routed: Model) -> None:
    analysis = analyze(Article("a", FRENCH), routed)
    assert analysis.model == "multilingual"
    assert analysis.language == "fr"
    assert analysis.taxonomy == "semeval2023"
    assert not analysis.untested_language
    assert {s.technique for s in analysis.spans} == {"Name_Calling-Labeling"}


def test_ptc_names_on_request(routed: Model) -> None:
    analysis = analyze(Article("a", FRENCH), routed, "ptc2020")
    assert analysis.taxonomy == "ptc2020"
    assert {s.technique for s in analysis.spans} == {"Name_Calling,Labeling"}


def test_a_2023_technique_without_a_ptc_class_is_left_out_in_ptc_names(routed: Model) -> None:
    model = replace(routed, routes=(multilingual("Questioning_the_Reputation", "Doubt"),))
    assert {s.technique for s in analyze(Article("a", FRENCH), model).spans} == {
        "Questioning_the_Reputation"
    }
    assert analyze(Article("a", FRENCH), model, "ptc2020").spans == ()


def test_language_override_routes_too(routed: Model) -> None:
    analysis = analyze(Article("a", ENGLISH), routed, language="de")
    assert analysis.model == "multilingual"
    assert analysis.language == "de"


def test_untested_language_goes_to_the_multilingual_model_with_the_warning(routed: Model) -> None:
    analysis = analyze(Article("a", FRENCH), routed, language="es")
    assert analysis.model == "multilingual"
    assert analysis.untested_language


def test_undetermined_language_stays_with_the_first_model(routed: Model) -> None:
    assert routed.for_language("und") is routed
    assert routed.for_language(None) is routed


def test_a_model_given_alone_analyses_every_language(fake_model: Model) -> None:
    analysis = analyze(Article("a", FRENCH), fake_model)
    assert analysis.model == "fake"
    assert analysis.untested_language


def test_classify_routes_by_language(routed: Model) -> None:
    start = FRENCH.index("corrompu")
    (span,) = classify(Article("a", FRENCH), [(start, start + 8)], routed)
    assert span.technique == "Name_Calling,Labeling"  # the PTC class of the 2023 technique


def test_rows_in_2023_labels_sum_into_their_ptc_classes() -> None:
    labels = SEMEVAL2023.labels
    rows = np.zeros((1, len(labels)))
    rows[0, labels.index("Whataboutism")] = 0.3
    rows[0, labels.index("Straw_Man")] = 0.2
    rows[0, labels.index("Questioning_the_Reputation")] = 0.5
    ptc = as_ptc2020(rows, labels)
    assert ptc.shape == (1, len(LABELS))
    assert ptc[0, LABELS.index("Whataboutism,Straw_Men,Red_Herring")] == pytest.approx(0.5)
    assert ptc.sum() == pytest.approx(0.5)  # Questioning the reputation has no PTC class


def test_techniques_each_model_cannot_name_in_2023(fake_model: Model) -> None:
    assert fake_model.unnamed_in_2023 == {
        "Questioning_the_Reputation",
        "Appeal_to_Values",
        "Consequential_Oversimplification",
        "Appeal_to_Time",
        "Obfuscation-Vagueness-Confusion",
    }
    assert multilingual().unnamed_in_2023 == frozenset()


def test_ptc_analysis_of_english_never_runs_the_complement(fake_model: Model) -> None:
    helper = multilingual("Questioning_the_Reputation", "Loaded_Language")
    english = replace(fake_model, routes=(helper,), complement=helper)
    analysis = analyze(Article("a", "The corrupt elites lied again."), english, "ptc2020")
    assert analysis.model == "fake"
    assert {s.technique for s in analysis.spans} == {"Loaded_Language"}


def test_complement_spans_are_added_in_2023_names_only(fake_model: Model) -> None:
    from propscan.model.semeval2023_head import Semeval2023Head

    helper = multilingual("Questioning_the_Reputation", "Loaded_Language")
    english = replace(
        fake_model, routes=(helper,), complement=helper, semeval2023=Semeval2023Head({})
    )
    text = "The corrupt elites lied again."
    analysis = analyze(Article("a", text), english, "semeval2023")
    found = [(text[s.start : s.end], s.technique) for s in analysis.spans]
    assert ("corrupt", "Questioning_the_Reputation") in found  # from the multilingual model
    assert ("corrupt elites", "Loaded_Language") in found  # from the English model
    assert analysis.model == "fake + multilingual"
    assert [s.start for s in analysis.spans] == sorted(s.start for s in analysis.spans)
    helper_only = replace(english, routes=(multilingual("Loaded_Language", "Doubt"),))
    helper_only = replace(helper_only, complement=helper_only.routes[0])
    # a technique the English model names itself is never taken from the complement
    assert {s.technique for s in analyze(Article("a", text), helper_only, "semeval2023").spans} == {
        "Loaded_Language"
    }


@pytest.fixture
def cli_runner(routed: Model, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    from propscan.cli import common

    monkeypatch.setattr(common, "load_model", lambda model_dir=None: routed)
    return CliRunner()


def test_analyze_shows_french_in_2023_names(cli_runner: CliRunner, tmp_path: Path) -> None:
    from propscan import cli

    path = tmp_path / "fr.txt"
    path.write_text(FRENCH, encoding="utf-8")
    result = cli_runner.invoke(cli.main, ["analyze", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["language"] == "fr" and data["taxonomy"] == "semeval2023"
    assert {s["technique"] for s in data["spans"]} == {"Name_Calling-Labeling"}
    ptc = cli_runner.invoke(cli.main, ["analyze", str(path), "-f", "json", "--taxonomy", "ptc2020"])
    assert {s["technique"] for s in json.loads(ptc.output)["spans"]} == {"Name_Calling,Labeling"}


def test_ptc_commands_route_article_by_article(cli_runner: CliRunner, tmp_path: Path) -> None:
    from propscan import cli

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article1.txt").write_text(FRENCH, encoding="utf-8")
    (folder / "article2.txt").write_text(ENGLISH, encoding="utf-8")
    spans = cli_runner.invoke(cli.main, ["ptc", "spans", str(folder)])
    assert spans.exit_code == 0, spans.output
    found = [line.split("\t") for line in spans.stdout.splitlines() if line]
    # the multilingual fake finds "corrompu" in French; the English fake nothing in English
    assert [(i, FRENCH[int(s) : int(e)]) for i, s, e in found] == [
        ("1", "corrompu"),
        ("1", "menteurs professionnels"),
    ]
    full = cli_runner.invoke(cli.main, ["ptc", "full", str(folder)])
    labels = {line.split("\t")[1] for line in full.stdout.splitlines() if line}
    assert labels == {"Name_Calling,Labeling"}
