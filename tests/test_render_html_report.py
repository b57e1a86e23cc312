"""The self-contained HTML report: each highlight ends with its footnote number and tag (as in
the terminal view), links to its finding, and each finding links back to its highlight."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from propscan.article import Analysis, Article, Span
from propscan.render import to_html, to_text

pytestmark = pytest.mark.issue(20)

TEXT = "The corrupt elites lied.\nThey always lie, and they will lie again. Our town, our flag!"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def analysis() -> Analysis:
    """Overlapping spans, two ending at the same character, one nested in another."""
    article = Article("42", TEXT, title="Elites", source="Daily Example")
    flag = TEXT.index("Our town")
    return Analysis(
        article,
        (
            Span(12, 23, "Doubt", 0.5),
            Span(4, 18, "Loaded_Language", 0.83),
            Span(4, 18, "Name_Calling,Labeling", 0.61),
            Span(25, 66, "Repetition", 0.7),
            Span(flag, len(TEXT), "Flag-Waving", 0.9),
        ),
        model="test",
    )


class Links(HTMLParser):
    """The report's links (href, text, id, class), ids, finding items and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.ids: list[str] = []
        self.findings: list[str] = []
        self.scripts = 0
        self._link: dict[str, str] | None = None
        self._item: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if "id" in found:
            self.ids.append(found["id"])
        if tag == "script":
            self.scripts += 1
        if tag == "li" and "id" in found:
            self.findings.append(found["id"])
            self._item = found["id"]
        if tag == "a":
            self._link = {
                "href": found.get("href", ""),
                "id": found.get("id", ""),
                "class": found.get("class", ""),
                "text": "",
                "in": self._item or "",
            }

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._link is not None:
            self.links.append(self._link)
            self._link = None
        if tag == "li":
            self._item = None

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link["text"] += data


def _links(document: str) -> Links:
    parser = Links()
    parser.feed(document)
    parser.close()
    return parser


def _refs(document: str) -> list[dict[str, str]]:
    """The links that end highlights, in the order of the text."""
    return [link for link in _links(document).links if not link["in"]]


def test_each_highlight_ends_with_its_number_and_tag_as_in_the_terminal(
    analysis: Analysis,
) -> None:
    refs = [link["text"] for link in _refs(to_html([analysis]))]
    terminal = re.findall(r"\[\d+ [A-Z-]+\]", to_text([analysis], color=False))
    assert len(terminal) == 2 * len(analysis.spans)  # in the text, then in the footnotes
    assert refs == terminal[: len(analysis.spans)]
    assert refs[:3] == ["[1 LOADED]", "[2 NAME-CALLING]", "[3 DOUBT]"]  # where each ends


def test_findings_link_to_their_highlights_and_back(analysis: Analysis) -> None:
    parser = _links(to_html([analysis]))
    assert len(parser.ids) == len(set(parser.ids))
    refs = {link["text"]: link for link in parser.links if not link["in"]}
    assert len(parser.findings) == len(analysis.spans)
    for number, finding in enumerate(parser.findings, 1):
        (to_highlight,) = [link for link in parser.links if link["in"] == finding]
        target = to_highlight["href"].removeprefix("#")
        (ref,) = [r for r in refs.values() if r["id"] == target]
        assert ref["text"].startswith(f"[{number} ")
        assert ref["href"] == f"#{finding}"  # and back
        assert "%)" in to_highlight["text"]  # says the technique and confidence, not "here"


def test_several_articles_keep_their_links_apart(analysis: Analysis) -> None:
    other = Analysis(Article("43", "They lied."), (Span(5, 9, "Doubt", 0.4),), "test")
    parser = _links(to_html([analysis, other]))
    assert len(parser.ids) == len(set(parser.ids))
    targets = set(parser.ids)
    assert all(link["href"].removeprefix("#") in targets for link in parser.links)
    assert len(parser.links) == 2 * (len(analysis.spans) + 1)


def test_the_report_still_needs_no_script_and_reaches_nothing_outside(
    analysis: Analysis,
) -> None:
    document = to_html([analysis])
    parser = _links(document)
    assert parser.scripts == 0
    assert all(link["href"].startswith("#") for link in parser.links)
    assert not re.search(r"""src\s*=|@import|url\(|https?://""", document)


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing")
def test_in_chromium_a_finding_jumps_to_its_highlight_and_back(
    analysis: Analysis, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    report = tmp_path / "report.html"
    report.write_text(to_html([analysis]), encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 800, "height": 300})
        page.goto(report.as_uri())
        page.locator(".findings li").nth(3).get_by_role("link").click()
        ref = page.locator(":target")
        assert ref.inner_text() == "[4 REPETITION]"
        assert ref.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
        box = ref.bounding_box()
        assert box is not None and 0 <= box["y"] <= 300 - box["height"]
        page.get_by_role("link", name="[1 LOADED]").click()
        first = page.locator(".findings li").first
        assert page.evaluate("location.hash") == f"#{first.get_attribute('id')}"
        assert first.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
        browser.close()
