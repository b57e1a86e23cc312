"""The bundled multilingual model on news written for these tests in each language (issue 21):
routing, 2023 names, PTC names on request, whole-word spans, the untested-language warning."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from propscan.article import Analysis, Article
from propscan.model.bundle import MULTILINGUAL_MODEL_DIR, load_model
from propscan.pipeline import analyze
from propscan.techniques import LABELS, SEMEVAL2023

pytestmark = pytest.mark.issue(21)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BY_LANGUAGE = {
    "fr": "ville-portuaire.txt",
    "de": "stadtwerke.txt",
    "it": "porto-antico.txt",
    "pl": "stary-port.txt",
    "ru": "staryi-port.txt",
}

if not (MULTILINGUAL_MODEL_DIR / "manifest.json").is_file():
    pytest.skip("no bundled multilingual model", allow_module_level=True)


def analysed(name: str, taxonomy: str | None = None) -> Analysis:
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    return analyze(Article(name, text), load_model(), taxonomy)  # type: ignore[arg-type]


def inside_a_word(text: str, at: int) -> bool:
    return 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum()


def test_multilingual_model_fits_the_size_budget() -> None:
    size = sum(f.stat().st_size for f in MULTILINGUAL_MODEL_DIR.iterdir() if f.is_file())
    assert size <= 60_000_000


def test_it_was_trained_on_the_six_languages() -> None:
    assert load_model(MULTILINGUAL_MODEL_DIR).languages == {"de", "en", "fr", "it", "pl", "ru"}


@pytest.mark.parametrize("language", sorted(BY_LANGUAGE))
def test_each_language_gets_2023_names_from_the_multilingual_model(language: str) -> None:
    analysis = analysed(BY_LANGUAGE[language])
    assert analysis.language == language
    assert not analysis.untested_language
    assert analysis.model == load_model(MULTILINGUAL_MODEL_DIR).name
    assert analysis.taxonomy == "semeval2023"
    assert analysis.spans, "a text full of loaded words and name calling gets highlights"
    assert {s.technique for s in analysis.spans} <= set(SEMEVAL2023.labels)
    text = analysis.article.text
    for span in analysis.spans:
        assert not inside_a_word(text, span.start) and not inside_a_word(text, span.end)


@pytest.mark.parametrize("language", sorted(BY_LANGUAGE))
def test_ptc_names_on_request(language: str) -> None:
    analysis = analysed(BY_LANGUAGE[language], "ptc2020")
    assert analysis.taxonomy == "ptc2020"
    assert {s.technique for s in analysis.spans} <= set(LABELS)


def test_an_untested_language_is_analysed_with_the_warning() -> None:
    analysis = analysed("puerto-viejo.txt")
    assert analysis.language == "es"
    assert analysis.untested_language
    assert analysis.model == load_model(MULTILINGUAL_MODEL_DIR).name
    text = analysis.article.text
    for span in analysis.spans:
        assert not inside_a_word(text, span.start) and not inside_a_word(text, span.end)


def test_english_stays_with_the_english_model() -> None:
    analysis = analysed("harbour-town.txt")
    assert analysis.language == "en"
    assert analysis.model == load_model().name
    assert analysis.taxonomy == "ptc2020"


def test_english_analysis_leaves_the_multilingual_model_unopened() -> None:
    code = (
        "from pathlib import Path; from propscan.article import Article; "
        "from propscan.model.bundle import load_model; from propscan.pipeline import analyze; "
        "model = load_model(); "
        f"analyze(Article('en', Path({str(EXAMPLES / 'harbour-town.txt')!r}).read_text()), model); "
        "print('session' in vars(model.routes[0].tagger))"
    )
    opened = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert opened.stdout.strip() == "False"  # English alone costs it no load time or memory
