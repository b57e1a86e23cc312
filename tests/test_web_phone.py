"""The pages on a phone (390 px wide, in Chromium), the popover, the charts and the slider."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Page

from browser import CHROMIUM, chromium, served
from conftest import FakeClassifier
from propscan.article import Analysis, Article, Span
from propscan.corpus.store import Store
from propscan.model import DetectedSpan
from propscan.model.bundle import Model
from propscan.server import Settings, create_app
from propscan.server.deps import get_model

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: run scripts/install-browser.sh", allow_module_level=True)

PHONE = {"width": 390, "height": 844}
HEADLINE = "Unprecedented-catastrophic-betrayal: the councillors' shameless harbour land grab"
TEXT = f"{HEADLINE}\n\nThe corrupt elites\nbrave patriots marched on the town hall again today.\n"


class TwoConfidences:
    """'corrupt elites' at confidence 0.9, 'brave patriots' at 0.3."""

    def detect(self, text: str, *, spans_only: bool = False) -> list[DetectedSpan]:
        found = []
        for phrase, confidence in (("corrupt elites", 0.9), ("brave patriots", 0.3)):
            start = text.find(phrase)
            if start >= 0:
                found.append((start, start + len(phrase), confidence))
        return found


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    folder = tmp_path_factory.mktemp("phone")
    application = create_app(Settings(db=f"sqlite:///{folder / 'corpus.db'}"))
    model = Model(name="fake", tagger=TwoConfidences(), classifier=FakeClassifier())
    application.dependency_overrides[get_model] = lambda: model
    yield application


@pytest.fixture(scope="module")
def url(app: FastAPI) -> Iterator[str]:
    with served(app) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as instance:
        yield instance


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def corpus(app: FastAPI) -> None:
    """One article from 2016, the others from 2024, with ten techniques between them."""
    store: Store = app.state.store
    labels = [
        "Loaded_Language", "Name_Calling,Labeling", "Doubt", "Flag-Waving", "Slogans",
        "Repetition", "Appeal_to_fear-prejudice", "Causal_Oversimplification",
        "Exaggeration,Minimisation", "Black-and-White_Fallacy",
    ]  # fmt: skip
    dates = ["2016-05-02", "2024-01-10", "2024-02-11", "2024-02-20", "2024-03-05"]
    for n, date in enumerate(dates):
        text = f"Story {n}\n\nThey are traitors and cowards, everyone knows it ({n})."
        spans = tuple(Span(9, 17, label, 0.8) for label in labels[2 * n : 2 * n + 2])
        article = Article(
            f"s{n}", text, f"Story {n}", "A very long source name of a paper", None, date
        )
        store.add(Analysis(article, spans, model="fake"))


def _analyse(page: Page, url: str) -> None:
    page.goto(url + "/")
    page.fill("#text", TEXT)
    page.click("#analyze-button")
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    page.wait_for_selector("body[data-ready='1']")


def _page_width(page: Page) -> int:
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return width


@pytest.mark.issue(11)
def test_article_page_fits_a_phone(phone: Page, url: str) -> None:
    _analyse(phone, url)
    assert _page_width(phone) <= PHONE["width"]
    assert phone.locator("#article-title").bounding_box()["height"] < 200  # type: ignore[index]


@pytest.mark.issue(11)
def test_corpus_page_fits_a_phone(phone: Page, url: str, corpus: None) -> None:
    phone.goto(url + "/corpus")
    for chart in ("techniques", "sources", "months"):
        phone.wait_for_selector(f"#chart-{chart}[data-rendered='1'] .main-svg")
    assert _page_width(phone) <= PHONE["width"]


@pytest.mark.issue(11)
def test_popover_does_not_block_the_next_highlight(phone: Page, url: str) -> None:
    _analyse(phone, url)
    first, second = phone.locator("#doc mark.hl").all()
    first.hover()
    phone.locator("#popover").wait_for(state="visible")
    box = second.bounding_box()
    assert box is not None
    on_top = phone.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('mark.hl') !== null",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top
    second.hover()
    assert "Loaded language" in phone.locator("#popover").inner_text()


def test_confidence_slider_hides_unsure_highlights(phone: Page, url: str) -> None:
    _analyse(phone, url)
    assert phone.locator("#doc mark.hl:not(.off)").count() == 1  # the default hides under 20%
    assert "1 finding under 20% confidence hidden" in phone.locator("#hidden-count").inner_text()
    phone.locator("#min-confidence").fill("0")
    assert phone.locator("#doc mark.hl:not(.off)").count() == 2
    phone.locator("#min-confidence").fill("40")
    assert phone.locator("#doc mark.hl:not(.off)").count() == 1
    assert phone.locator("#findings li:visible").count() == 1


@pytest.mark.issue(11)
def test_month_chart_shows_months_with_data_and_every_technique(
    phone: Page, url: str, corpus: None
) -> None:
    phone.goto(url + "/corpus")
    phone.wait_for_selector("#chart-months[data-rendered='1'] .main-svg")
    ticks = phone.eval_on_selector_all(
        "#chart-months .xtick text", "ts => ts.map(t => t.textContent)"
    )
    assert ticks == ["2016-05", "2024-01", "2024-02", "2024-03"]
    hidden = phone.evaluate(
        "document.getElementById('chart-months').data"
        ".filter(t => t.visible === 'legendonly').length"
    )
    assert hidden == 0


def test_clicking_a_bar_puts_the_filter_in_the_url(phone: Page, url: str, corpus: None) -> None:
    phone.goto(url + "/corpus")
    phone.wait_for_selector("#chart-techniques[data-rendered='1'] .main-svg")
    bar = phone.locator("#chart-techniques .bars path").last.bounding_box()
    assert bar is not None
    phone.mouse.click(bar["x"] + bar["width"] / 2, bar["y"] + bar["height"] / 2)
    phone.wait_for_url(re.compile(r"/corpus\?.*technique="))
    assert phone.locator("#technique").input_value() != ""


@pytest.mark.issue(11)
def test_api_docs_link_back_to_the_app(phone: Page, url: str) -> None:
    phone.goto(url + "/docs")
    back = phone.get_by_role("link", name=re.compile("Back to the propscan app"))
    assert back.get_attribute("href") == "/"
