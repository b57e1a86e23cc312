"""The analyse form and the article page in a real headless Chromium: a text or file over the
request-size limit is refused beside the text (with script, before sending; without, by a 413
page), the taxonomy radios sit beside their labels, and rejected spans are struck through even
where they overlap others. Screenshots go to $PROPSCAN_ARTEFACTS (default: a pytest temporary
folder)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, FloatRect, Page, Request

from browser import CHROMIUM, artefact_folder, chromium, served
from conftest import FakeClassifier, FakeTagger
from propscan.article import Analysis, Article, Span
from propscan.corpus.store import Store
from propscan.model.bundle import Model
from propscan.server import Settings, create_app
from propscan.server.deps import get_model

pytestmark = pytest.mark.issue(20)

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: run scripts/install-browser.sh", allow_module_level=True)

LIMIT = 200_000
"""The test server's request-size limit (0.2 MB), not the default, to show the page reads it."""
WIDTHS = (1280, 390)
ERROR_BACKGROUND = "rgb(253, 236, 234)"  # .error in static/app.css
TOO_LARGE = "They lied again. " * (LIMIT // 17 + 1000)

ARTICLE = (
    "Council vote\n\n"
    "The corrupt elites of the council lied again to the brave patriots of the harbour.\n"
)
REVIEWED = [  # (fragment, technique, rejected)
    ("corrupt elites of the council", "Loaded_Language", False),
    ("elites", "Name_Calling,Labeling", True),  # inside an accepted span
    ("lied again to the brave", "Doubt", False),
    ("the brave patriots", "Flag-Waving", True),  # overlapping one at its start
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    folder = tmp_path_factory.mktemp("forms")
    application = create_app(Settings(db=f"sqlite:///{folder / 'corpus.db'}", max_bytes=LIMIT))
    model = Model(name="fake", tagger=FakeTagger(["corrupt elites"]), classifier=FakeClassifier())
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


@pytest.fixture(scope="module")
def artefacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return artefact_folder(tmp_path_factory)


ERRORS: list[str] = []
"""Script errors of the pages a test opened (none are allowed)."""


@pytest.fixture(autouse=True)
def no_script_errors() -> Iterator[None]:
    ERRORS.clear()
    yield
    assert ERRORS == []


def _page(browser: Browser, width: int, *, script: bool = True) -> Page:
    """A page in a fresh context, ``width`` px wide, its script errors noted in ERRORS."""
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=script
    )
    page = context.new_page()
    page.on("pageerror", lambda error: ERRORS.append(str(error)))
    return page


def _box(page: Page, selector: str) -> FloatRect:
    box = page.locator(selector).bounding_box()
    assert box is not None, f"{selector} is not rendered"
    return box


def _posts(page: Page) -> list[str]:
    """The form POSTs the page sends from now on."""
    sent: list[str] = []

    def note(request: Request) -> None:
        if request.method == "POST":
            sent.append(request.url)

    page.on("request", note)
    return sent


# --- 1. over the request-size limit -------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_a_text_over_the_limit_is_refused_beside_it_before_sending(
    browser: Browser, url: str, artefacts: Path, width: int
) -> None:
    page = _page(browser, width)
    page.goto(url + "/")
    assert page.locator("#form-error").is_hidden()
    sent = _posts(page)
    page.fill("#text", TOO_LARGE)
    page.click("#analyze-button")
    error = page.locator("#form-error")
    error.wait_for(state="visible")
    assert sent == [] and page.url == url + "/"
    assert page.input_value("#text") == TOO_LARGE
    assert "0.2 MB" in error.inner_text() and "text" in error.inner_text()
    assert error.evaluate("e => getComputedStyle(e).backgroundColor") == ERROR_BACKGROUND
    message, text = _box(page, "#form-error"), _box(page, "#text")
    assert message["y"] + message["height"] <= text["y"] < message["y"] + message["height"] + 80
    error.scroll_into_view_if_needed()
    page.screenshot(path=str(artefacts / f"analyze-too-large-{width}.png"))
    page.context.close()


def test_a_file_over_the_limit_is_refused_before_sending(browser: Browser, url: str) -> None:
    page = _page(browser, 1280)
    page.goto(url + "/")
    sent = _posts(page)
    page.set_input_files(
        "#file", {"name": "big.txt", "mimeType": "text/plain", "buffer": b"x" * (LIMIT + 1)}
    )
    page.click("#analyze-button")
    page.locator("#form-error").wait_for(state="visible")
    assert sent == [] and page.url == url + "/"
    assert "file" in page.inner_text("#form-error")
    page.context.close()


def test_a_text_under_the_limit_is_still_analysed(browser: Browser, url: str) -> None:
    page = _page(browser, 1280)
    page.goto(url + "/")
    page.fill("#text", "Harbour\n\nThe corrupt elites lied.")
    with page.expect_navigation(url=f"{url}/articles/*"):
        page.click("#analyze-button")
    assert page.locator("#doc mark.hl").count() == 1
    page.context.close()


def test_without_script_a_text_over_the_limit_gets_a_page_and_back_keeps_it(
    browser: Browser, url: str, artefacts: Path
) -> None:
    page = _page(browser, 1280, script=False)
    page.goto(url + "/")
    page.fill("#text", TOO_LARGE)
    with page.expect_response(f"{url}/analyze") as answer:
        page.click("#analyze-button")
    assert answer.value.status == 413
    assert answer.value.headers["content-type"].startswith("text/html")
    page.wait_for_load_state()
    assert "0.2 MB" in page.inner_text(".error")
    assert page.get_by_role("heading", level=1).is_visible()
    back = page.get_by_role("link", name="Back to the form")
    assert back.is_visible() and back.get_attribute("href") == "/"
    page.screenshot(path=str(artefacts / "analyze-too-large-no-script.png"))
    page.go_back()
    assert page.input_value("#text") == TOO_LARGE
    page.context.close()


def test_the_back_link_keeps_the_text_with_script(browser: Browser, url: str) -> None:
    page = _page(browser, 1280)
    page.goto(url + "/")
    page.fill("#text", TOO_LARGE)
    page.evaluate("document.getElementById('analyze-form').submit()")  # past the script's check
    page.wait_for_url(f"{url}/analyze")
    with page.expect_navigation(url=f"{url}/"):
        page.get_by_role("link", name="Back to the form").click()
    assert page.input_value("#text") == TOO_LARGE
    page.context.close()


def test_pages_get_an_html_413_and_the_api_keeps_json(app: FastAPI) -> None:
    client = TestClient(app, base_url="http://127.0.0.1")  # no lifespan: the store stays open
    page = client.post("/analyze", data={"text": TOO_LARGE})
    api = client.post("/api/analyze", json={"text": TOO_LARGE})
    streamed = client.post(  # an iterator: sent without a length, refused as it streams in
        "/analyze",
        content=iter([b"text=", TOO_LARGE.encode()]),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert page.status_code == streamed.status_code == 413
    for answer in (page, streamed):
        assert answer.headers["content-type"].startswith("text/html")
        assert "0.2 MB" in answer.text and 'href="/"' in answer.text
    assert api.status_code == 413
    assert api.json() == {"detail": "request body is over the 0.2 MB limit"}


# --- 4. the taxonomy radios ---------------------------------------------------------------------

_RADIOS = """() => [...document.querySelectorAll('.taxonomy-choice label')].map(label => {
  const radio = label.querySelector('input[type=radio]').getBoundingClientRect();
  const words = [...label.childNodes].find(n => n.nodeType === 3 && n.textContent.trim());
  const range = document.createRange();
  range.selectNodeContents(words);
  const line = range.getClientRects()[0];
  return {radio: [radio.left, radio.right, radio.top, radio.bottom],
          line: [line.left, line.right, line.top, line.bottom]};
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_each_taxonomy_radio_sits_left_of_its_label_on_its_line(
    browser: Browser, url: str, artefacts: Path, width: int
) -> None:
    page = _page(browser, width)
    page.goto(url + "/")
    found: list[dict[str, list[float]]] = page.evaluate(_RADIOS)
    assert len(found) == 2
    for item in found:
        (r_left, r_right, r_top, r_bottom), (t_left, _, t_top, t_bottom) = (
            item["radio"],
            item["line"],
        )
        assert 8 <= r_right - r_left <= 30, "the radio is its own size, not the line's"
        assert r_right <= t_left <= r_right + 16, "the label text starts just right of it"
        assert t_top <= (r_top + r_bottom) / 2 <= t_bottom, "on the first line of the label"
    page.locator(".taxonomy-choice").screenshot(path=str(artefacts / f"radios-{width}.png"))
    page.context.close()


# --- 5. rejected spans, overlapping or not ------------------------------------------------------


@pytest.fixture(scope="module")
def reviewed(app: FastAPI) -> int:
    """An article whose rejected spans overlap accepted ones."""
    store: Store = app.state.store
    spans = tuple(Span(ARTICLE.index(f), ARTICLE.index(f) + len(f), t, 0.7) for f, t, _ in REVIEWED)
    ident = store.add(Analysis(Article("overlap", ARTICLE, "Council vote"), spans, "fake"))
    stored = store.get(ident)
    assert stored is not None
    rejected = {f for f, _, r in REVIEWED if r}
    for span in stored.spans:
        if ARTICLE[span.start : span.end] in rejected:
            store.review_span(ident, span.id, verdict="rejected")
        else:
            store.review_span(ident, span.id, verdict="accepted")
    return ident


_MARKS = """() => [...document.querySelectorAll('#doc mark.hl')].map(m => ({
  text: m.textContent, spans: m.dataset.spans.split(' ').map(Number),
  line: getComputedStyle(m).textDecorationLine, background: getComputedStyle(m).backgroundColor,
}))"""


def _rendered(page: Page) -> tuple[list[dict[str, Any]], set[int]]:
    """The highlight pieces as drawn, and the indices of the rejected spans."""
    marks: list[dict[str, Any]] = page.evaluate(_MARKS)
    statuses = page.eval_on_selector(
        "#findings", "ol => [...ol.children].map(li => li.dataset.status)"
    )
    return marks, {i for i, status in enumerate(statuses) if status == "rejected"}


@pytest.mark.parametrize("script", [True, False], ids=["script", "no-script"])
def test_every_piece_of_a_rejected_span_is_struck_through(
    browser: Browser, url: str, reviewed: int, artefacts: Path, script: bool
) -> None:
    page = _page(browser, 1280, script=script)
    page.goto(f"{url}/articles/{reviewed}")
    if script:
        page.wait_for_selector("body[data-ready='1']")
    marks, rejected = _rendered(page)
    assert len(rejected) == 2
    covered = [m for m in marks if rejected & set(m["spans"])]
    assert {m["text"] for m in covered} >= {"elites", "the brave", " patriots"}
    for mark in marks:
        struck = "line-through" in mark["line"]
        assert struck == (mark in covered), f"{mark['text']!r}: {mark['line']}"
    by_text = {m["text"]: m for m in marks}
    assert by_text["elites"]["background"] == by_text["corrupt "]["background"]  # still coloured
    assert by_text[" patriots"]["background"] == "rgba(0, 0, 0, 0)"  # only a rejected span
    if script:
        page.locator("#doc").screenshot(path=str(artefacts / "article-rejected-overlap.png"))
        page.screenshot(path=str(artefacts / "article-rejected-overlap-page.png"))
    page.context.close()


@pytest.mark.issue(18)
def test_the_article_page_hides_weak_findings_until_the_slider_asks(
    app: FastAPI, browser: Browser, url: str
) -> None:
    store: Store = app.state.store
    text = "Weak and strong\n\nThe corrupt elites lied, said the brave patriots."
    strong, weak = text.index("corrupt elites"), text.index("brave patriots")
    spans = (
        Span(strong, strong + 14, "Loaded_Language", 0.7),
        Span(weak, weak + 14, "Flag-Waving", 0.1),
    )
    ident = store.add(Analysis(Article("weak", text, "Weak and strong"), spans, "fake"))
    page = _page(browser, 1280)
    page.goto(f"{url}/articles/{ident}")
    page.wait_for_selector("body[data-ready='1']")
    visible = page.eval_on_selector_all("#findings li", "lis => lis.map(li => !li.hidden)")
    assert visible == [True, False]
    assert "1 finding under 20% confidence hidden" in page.inner_text("#hidden-count")
    page.eval_on_selector(
        "#min-confidence", "s => { s.value = '0'; s.dispatchEvent(new Event('input')); }"
    )
    visible = page.eval_on_selector_all("#findings li", "lis => lis.map(li => !li.hidden)")
    assert visible == [True, True] and page.inner_text("#hidden-count") == ""
    page.close()
