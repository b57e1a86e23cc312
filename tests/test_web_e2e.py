"""End to end in a real headless Chromium (Debian's, driven by Playwright) against a live server.

Screenshots go to $PROPSCAN_ARTEFACTS (default: a pytest temporary folder).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Dialog, Page, Route

from browser import chromium, require_chromium, served
from propscan.article import Analysis, Article, Span
from propscan.corpus.store import Store
from propscan.server import Settings, create_app
from propscan.techniques import TECHNIQUES

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[1]
SHARED_EXAMPLE = ROOT.parent / "shared" / "examples" / "syria-victory.txt"
EXAMPLE = SHARED_EXAMPLE if SHARED_EXAMPLE.is_file() else ROOT / "examples" / "harbour-town.txt"

require_chromium()


def rgb(color: str) -> str:
    """'#ffd166' -> 'rgb(255, 209, 102)', as getComputedStyle reports colours."""
    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@dataclass
class Live:
    """A server running in this process, and what the browser did that it should not."""

    url: str
    app: FastAPI
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def store(self) -> Store:
        store: Store = self.app.state.store
        return store


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("e2e")
    app = create_app(Settings(db=f"sqlite:///{folder / 'corpus.db'}"))
    with served(app) as url:
        yield Live(url, app)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as instance:
        yield instance


@pytest.fixture
def page(browser: Browser, live: Live) -> Iterator[Page]:
    """A page in a fresh browser context that may only reach 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1360, "height": 900})

    def only_local(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            live.blocked.append(url)
            route.abort()

    context.route("**/*", only_local)
    tab = context.new_page()
    tab.on("pageerror", lambda error: live.errors.append(f"page error: {error}"))
    tab.on(
        "console",
        lambda msg: live.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
    )
    live.errors.clear()
    live.blocked.clear()
    yield tab
    context.close()


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("PROPSCAN_ARTEFACTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def analyse(page: Page, live: Live, text: str, **fields: str) -> None:
    """Paste ``text`` on the analyse page, submit, and wait for the article page."""
    page.goto(live.url + "/")
    page.fill("#text", text)
    if fields:
        page.click("details.meta-fields summary")
        for name, value in fields.items():
            page.fill(f"#{name}", value)
    page.click("#analyze-button")
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    page.wait_for_selector("body[data-ready='1']")


def test_paste_the_example_and_see_highlights(page: Page, live: Live, artefacts: Path) -> None:
    analyse(
        page, live, EXAMPLE.read_text(encoding="utf-8"), source="Example Daily", date="2016-12-08"
    )
    page.locator("#min-confidence").fill("0")  # every finding, the weak ones too
    spans = json.loads(page.text_content("#spans-data") or "[]")
    marks = page.eval_on_selector_all(
        "#doc mark.hl", "ms => ms.map(m => [m.dataset.spans, getComputedStyle(m).backgroundColor])"
    )
    assert spans and marks
    for indices, background in marks:
        assert background == rgb(spans[int(indices.split()[0])]["color"])
    page.screenshot(path=str(artefacts / "article-full.png"), full_page=True)

    first = page.locator("#doc mark.hl").first
    first.scroll_into_view_if_needed()
    first.hover()
    popover = page.locator("#popover")
    popover.wait_for(state="visible")
    first_span = spans[int((first.get_attribute("data-spans") or "").split()[0])]
    assert first_span["name"] in popover.inner_text()
    assert TECHNIQUES[first_span["technique"]].definition in popover.inner_text()
    assert re.search(r"\d+% confidence", popover.inner_text())

    top = page.locator("#legend input").first
    technique = top.get_attribute("value")
    only_it = [
        m for m in marks if {spans[int(i)]["technique"] for i in m[0].split()} == {technique}
    ]
    visible_before = page.locator("#doc mark.hl:not(.off)").count()
    top.uncheck()
    assert page.locator("#doc mark.hl:not(.off)").count() == visible_before - len(only_it)
    hidden = page.locator(f"#findings li[data-technique='{technique}']:visible")
    assert hidden.count() == 0
    top.check()
    page.locator("#findings .finding").first.click()
    popover.wait_for(state="visible")
    page.keyboard.press("Escape")
    assert popover.is_hidden()

    page.evaluate("window.scrollTo(0, 0)")
    in_view = page.evaluate(
        """() => [...document.querySelectorAll('#doc mark.hl')]
        .findIndex(m => m.getBoundingClientRect().top > 350)"""
    )
    page.evaluate("document.activeElement.blur()")
    page.locator("#doc mark.hl").nth(max(in_view, 0)).hover()
    popover.wait_for(state="visible")
    page.screenshot(path=str(artefacts / "analyze.png"))
    assert live.errors == [] and live.blocked == []


def test_corpus_charts_render(page: Page, live: Live, artefacts: Path) -> None:
    text = "Title\n\nThey are traitors and cowards, and everyone knows it is a disgrace."
    samples = [
        ("Daily Example", "2024-01-15", ["Loaded_Language", "Name_Calling,Labeling"]),
        ("Daily Example", "2024-02-03", ["Loaded_Language", "Doubt"]),
        ("Weekly <i>Sample</i>", "2024-02-20", ["Flag-Waving"]),
        ("Weekly <i>Sample</i>", "2024-03-11", ["Loaded_Language", "Appeal_to_fear-prejudice"]),
    ]
    for n, (source, date, techniques) in enumerate(samples):
        spans = tuple(Span(9, 17, t, 0.8) for t in techniques)
        article = Article(f"sample-{n}", f"{text} ({n})", f"Sample {n}", source, None, date)
        live.store.add(Analysis(article, spans, model="e2e"))
    page.goto(live.url + "/corpus")
    for chart in ("techniques", "sources", "months"):
        page.wait_for_selector(f"#chart-{chart}[data-rendered='1'] .main-svg")
    fills = page.eval_on_selector_all(
        "#chart-techniques .bars path", "ps => ps.map(p => getComputedStyle(p).fill)"
    )
    used = {t for _, _, ts in samples for t in ts}
    assert {rgb(TECHNIQUES[t].color) for t in used} <= set(fills)
    assert page.locator("#chart-sources .bars path").count() >= 2
    ticks = page.eval_on_selector_all(
        "#chart-sources .xtick text", "ts => ts.map(t => t.textContent)"
    )
    assert "Weekly <i>Sample</i>" in ticks
    assert page.locator("#chart-months .barlayer .trace").count() >= 1
    page.screenshot(path=str(artefacts / "corpus.png"), full_page=True)

    page.click("#articles a >> nth=0")
    page.wait_for_url(re.compile(r"/articles/\d+$"))
    assert page.locator("#doc mark.hl").count() >= 1
    assert live.errors == [] and live.blocked == []


def test_injected_script_does_not_run(page: Page, live: Live) -> None:
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    attack = (
        "<script>window.__pwned = 1; alert('script')</script>\n\n"
        "The corrupt <img src=x onerror=\"window.__pwned = 2; alert('img')\"> elites "
        "betrayed us. What are they hiding? <svg onload=\"alert('svg')\"></svg>"
    )
    analyse(page, live, attack, title="<script>alert('title')</script>")
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    assert "<script>window.__pwned = 1;" in (page.text_content("#doc") or "")
    assert page.text_content("#article-title") == "<script>alert('title')</script>"
    assert page.locator("#doc img, #doc svg, #doc script").count() == 0


@pytest.mark.issue(10)
def test_api_docs_render_offline_under_the_content_security_policy(page: Page, live: Live) -> None:
    page.goto(live.url + "/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() >= 10
    assert page.locator("a[href='/']").count() >= 1  # the way back to the app
    assert live.errors == [] and live.blocked == []  # no CSP violation, nothing fetched outside
