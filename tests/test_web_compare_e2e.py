"""The compare page and the corpus page's trends, in headless Chromium against a live server on
a simulated corpus with a planted difference (see test_compare)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from browser import artefact_folder, chromium, require_chromium, served
from propscan.corpus.store import Store
from propscan.server import Settings, create_app
from test_compare import simulated

require_chromium()


@pytest.fixture(scope="module")
def page_and_shots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Page, str, Path]]:
    db = f"sqlite:///{tmp_path_factory.mktemp('compare') / 'c.db'}"
    with Store(db) as store:
        store.add_many(simulated())
    with served(create_app(Settings(db=db))) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        # the page for a group without articles answers 422 on purpose; nothing else may fail
        page.on(
            "console",
            lambda m: errors.append(m.text) if m.type == "error" and "422" not in m.text else None,
        )
        yield page, url, artefact_folder(tmp_path_factory)
        assert errors == []


def test_the_compare_page_shows_the_table_chart_and_what_sets_groups_apart(
    page_and_shots: tuple[Page, str, Path],
) -> None:
    page, url, shots = page_and_shots
    page.goto(f"{url}/compare?a=bias_text%3Dleft&b=bias_text%3Dright")
    page.wait_for_selector("#chart-compare[data-rendered='1']")
    page.wait_for_selector("#distinctive-a[data-rendered='1']")
    rows = page.locator("#comparison tbody tr")
    assert rows.count() == 3  # all techniques, then the two techniques of the corpus
    credible = page.locator("#comparison tr.credible")
    assert "Name calling" in credible.nth(1).inner_text()
    assert "more in A" in credible.nth(1).inner_text()
    assert "“traitors”" in page.locator("#distinctive-a").inner_text()
    assert page.locator("#chart-compare .point").count() >= 4
    page.screenshot(path=str(shots / "compare.png"), full_page=True)


def test_the_compare_form_keeps_the_groups_and_explains_a_bad_one(
    page_and_shots: tuple[Page, str, Path],
) -> None:
    page, url, _ = page_and_shots
    page.goto(f"{url}/compare")
    page.locator("input[name='a']").first.fill("bias_text=left")
    page.locator("button[type='submit']").click()
    page.wait_for_selector("#chart-compare[data-rendered='1']")
    assert "against the rest" in page.locator("h2").first.inner_text()
    page.goto(f"{url}/compare?a=bias_text%3Dnobody")
    assert "no stored article matches A" in page.locator("[role='alert']").inner_text()


def test_the_corpus_page_draws_trends_per_field_and_filters_by_it(
    page_and_shots: tuple[Page, str, Path],
) -> None:
    page, url, shots = page_and_shots
    page.goto(f"{url}/corpus")
    page.wait_for_selector("#chart-trends[data-rendered='1']")
    page.select_option("#trend-by", "bias_text")
    page.locator("#chart-trends .legendtext").nth(2).wait_for()
    legend = page.locator("#chart-trends .legendtext").all_text_contents()
    assert "left" in legend and "right" in legend
    page.screenshot(path=str(shots / "corpus-trends.png"), full_page=True)
    page.select_option("select[data-field='bias_text']", "bias_text=left")
    page.locator("#filters button[type='submit']").click()
    page.wait_for_selector("#chart-trends[data-rendered='1']")
    assert "60 articles" in page.locator("h2").first.inner_text()
