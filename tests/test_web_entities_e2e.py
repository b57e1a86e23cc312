"""Who says what on the pages (issue 22), in headless Chromium against a live server: the
article page's voice filter, who/whom lines and "Who is cast as what" panel, and the corpus
page's Entities section."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

pytest.importorskip("spacy")
pytest.importorskip("textacy")

from browser import artefact_folder, chromium, require_chromium, served
from propscan.corpus.store import Store
from propscan.server import Settings, create_app
from test_entities_store import attributed

require_chromium()


@pytest.fixture(scope="module")
def page_and_shots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Page, str, Path]]:
    db = f"sqlite:///{tmp_path_factory.mktemp('entities') / 'e.db'}"
    with Store(db) as store:
        store.add(attributed())
    with served(create_app(Settings(db=db))) as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        yield page, url, artefact_folder(tmp_path_factory)
        assert errors == []


@pytest.mark.issue(22)
def test_the_article_page_filters_by_voice_and_shows_who_is_cast_as_what(
    page_and_shots: tuple[Page, str, Path],
) -> None:
    page, url, shots = page_and_shots
    page.goto(f"{url}/articles/1")
    page.wait_for_selector("body[data-ready='1']")
    page.fill("#min-confidence", "0")
    page.dispatch_event("#min-confidence", "input")
    findings = page.locator("#findings li:not([hidden])")
    assert findings.count() == 2
    assert "quoted: John Carter" in page.locator("#findings").inner_text()
    assert "aimed at Mark Ellis" in page.locator("#findings").inner_text()
    page.select_option("#voice", "author")
    assert findings.count() == 1
    assert "a corrupt liar" in findings.first.inner_text()
    page.select_option("#voice", "quoted")
    assert findings.count() == 1 and "these thugs" in findings.first.inner_text()
    panel = page.locator("#targets")
    assert "Mark Ellis" in panel.inner_text() and "Loaded language ×1" in panel.inner_text()
    page.screenshot(path=str(shots / "article-entities.png"), full_page=True)


@pytest.mark.issue(22)
def test_the_corpus_page_lists_entities_with_roles_and_links(
    page_and_shots: tuple[Page, str, Path],
) -> None:
    page, url, shots = page_and_shots
    page.goto(f"{url}/corpus")
    section = page.locator("#entities")
    assert "Mark Ellis" in section.inner_text()
    assert any(role in section.inner_text() for role in ("Protagonist", "Antagonist", "Innocent"))
    section.locator("a", has_text="Mark Ellis").click()
    page.wait_for_url("**/corpus?q=Mark*")
    assert page.locator("#articles tbody tr").count() == 1
    page.screenshot(path=str(shots / "corpus-entities.png"), full_page=True)
