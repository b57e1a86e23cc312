"""Reviewing an article in a real headless Chromium: reject, relabel, add by selecting text,
mark reviewed; then the corrections are in the PTC export. Screenshots go to
$PROPSCAN_ARTEFACTS (default: a pytest temporary folder)."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from click.testing import CliRunner
from fastapi import FastAPI
from playwright.sync_api import Page, sync_playwright

from propscan.article import Analysis, Article, Span
from propscan.cli import main
from propscan.corpus.store import Store
from propscan.server import Settings, create_app
from propscan.tasks.ptc import read_corpus

pytestmark = pytest.mark.issue(12)

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: run scripts/install-browser.sh", allow_module_level=True)

TEXT = (
    "Harbour deal: the council's shameless land grab\n\n"
    "The corrupt elites of the council have once again ignored the brave patriots of our "
    "town. Everyone knows the deal stinks. Who is paying them? The mayor, a notorious liar, "
    "said the vote was fair.\n"
)
PREDICTED = [
    ("corrupt elites", "Loaded_Language", 0.83),
    ("brave patriots", "Loaded_Language", 0.41),
    ("Everyone knows the deal stinks", "Bandwagon,Reductio_ad_hitlerum", 0.55),
    ("a notorious liar", "Name_Calling,Labeling", 0.77),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, FastAPI, str]]:
    folder = tmp_path_factory.mktemp("review")
    db = f"sqlite:///{folder / 'corpus.db'}"
    app = create_app(Settings(db=db))
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not uv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{uv.servers[0].sockets[0].getsockname()[1]}", app, db
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        yield browser.new_page(viewport={"width": 1280, "height": 900})
        browser.close()


def finding(page: Page, text: str) -> str:
    """The selector of the finding whose quote is ``text``."""
    ident = page.locator("#findings li", has_text=text).first.get_attribute("data-id")
    return f"#findings li[data-id='{ident}']"


def act(page: Page, click: str) -> None:
    """Click, wait for the page to reload with the change."""
    with page.expect_navigation():
        page.click(click)
    page.wait_for_selector("body[data-review-ready='1']")


def test_review_an_article_and_export_the_corrections(
    server: tuple[str, FastAPI, str], page: Page, tmp_path: Path
) -> None:
    url, app, db = server
    store: Store = app.state.store
    spans = tuple(Span(TEXT.index(f), TEXT.index(f) + len(f), t, s) for f, t, s in PREDICTED)
    ident = store.add(Analysis(Article("harbour", TEXT, source="Harbour Times"), spans, "fake"))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{url}/articles/{ident}")
    page.wait_for_selector("body[data-review-ready='1']")
    assert "Not reviewed yet: 4 of 4" in page.inner_text("#review-state")

    act(page, f"{finding(page, 'corrupt elites')} [data-verdict='rejected']")
    assert page.locator("#doc mark.struck", has_text="corrupt elites").count() == 1
    assert "rejected" in page.inner_text(finding(page, "corrupt elites"))

    relabel = f"{finding(page, 'brave patriots')} select.relabel"
    with page.expect_navigation():
        page.select_option(relabel, "Flag-Waving")
    page.wait_for_selector("body[data-review-ready='1']")
    assert "relabelled" in page.inner_text(finding(page, "brave patriots"))

    page.evaluate(
        """(fragment) => {
            const doc = document.getElementById('doc');
            const walker = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT);
            let node;
            while ((node = walker.nextNode()) && !node.textContent.includes(fragment));
            const range = document.createRange();
            const at = node.textContent.indexOf(fragment);
            range.setStart(node, Math.max(at - 1, 0));
            range.setEnd(node, at + fragment.length);
            getSelection().removeAllRanges();
            getSelection().addRange(range);
        }""",
        "Who is paying them?",
    )
    page.wait_for_selector("#add-button:not([disabled])")
    assert "Who is paying them?" in page.inner_text("#add-selection")
    page.select_option("#add-technique", "Doubt")
    act(page, "#add-button")
    assert "added" in page.inner_text(finding(page, "Who is paying them?"))

    page.keyboard.press("n")
    current = page.locator("#findings li.current").get_attribute("data-status")
    assert current is not None
    shots = Path(os.environ.get("PROPSCAN_ARTEFACTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "review.png"))

    act(page, "#mark-reviewed")
    assert page.inner_text("#review-state").startswith("Reviewed")
    assert errors == []

    out = tmp_path / "reviewed-ptc"
    result = CliRunner().invoke(
        main, ["export", "--db", db, "--format", "ptc", "--reviewed", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    labels = {(t, TEXT[s:e]) for _, t, s, e in read_corpus(out).labels}
    assert labels == {
        ("Flag-Waving", "brave patriots"),
        ("Doubt", "Who is paying them?"),
        ("Bandwagon,Reductio_ad_hitlerum", "Everyone knows the deal stinks"),
        ("Name_Calling,Labeling", "a notorious liar"),
    }
