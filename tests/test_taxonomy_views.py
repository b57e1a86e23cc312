"""The 2023 taxonomy everywhere: ``analyze``, ``ptc``, ``stats --by category``, the API and the
pages (with a fake model that has a SemEval-2023 head)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from propscan import cli
from propscan.cli import common
from propscan.corpus.store import Store
from propscan.model.bundle import Model
from propscan.model.semeval2023_head import Semeval2023Head
from propscan.server import Settings, create_app
from propscan.server.deps import get_model
from propscan.techniques import SEMEVAL2023

pytestmark = pytest.mark.issue(13)

ARTICLE = "Shocking news\n\nThe corrupt elites betrayed the brave patriots.\n \nThe end."


@pytest.fixture
def model_2023(fake_model: Model) -> Model:
    """Loaded_Language first, Name_Calling second; paragraphs keep both above 0.2."""
    thresholds = {"Loaded_Language": 0.2, "Name_Calling-Labeling": 0.2}
    return replace(fake_model, semeval2023=Semeval2023Head({}, thresholds))


def _runner(model: Model, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setattr(common, "load_model", lambda model_dir=None: model)
    return CliRunner()


def _run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli.main, list(args), env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_analyze_names_2023_techniques_under_their_categories(
    model_2023: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = _runner(model_2023, monkeypatch)
    shown = _run(runner, "analyze", ARTICLE, "--taxonomy", "semeval2023")
    assert "Loaded language · Manipulative wording" in shown
    table = shown[shown.index("Techniques found") :]
    assert re.search(r"Manipulative wording\s+│\s+2", table)
    assert table.index("Manipulative wording") < table.index("Loaded language")
    assert "Name_Calling" not in shown
    data = json.loads(_run(runner, "analyze", ARTICLE, "--taxonomy", "semeval2023", "-f", "json"))
    assert data["taxonomy"] == "semeval2023"
    assert {s["technique"] for s in data["spans"]} == {"Loaded_Language"}
    assert {s["category"] for s in data["spans"]} == {"Manipulative wording"}
    report = _run(runner, "analyze", ARTICLE, "--taxonomy", "semeval2023", "-f", "html")
    assert '<h4 class="category">Manipulative wording' in report


def test_analyze_default_stays_ptc2020(model_2023: Model, monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.loads(_run(_runner(model_2023, monkeypatch), "analyze", ARTICLE, "-f", "json"))
    assert data["taxonomy"] == "ptc2020"
    assert all("category" not in s for s in data["spans"])


def test_a_model_without_a_head_says_how_to_add_one(
    fake_model: Model, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runner = _runner(fake_model, monkeypatch)
    for args in (
        ["analyze", ARTICLE, "--taxonomy", "semeval2023"],
        ["ptc", "paragraphs", str(tmp_path), "--taxonomy", "semeval2023"],
    ):
        result = runner.invoke(cli.main, args)
        assert result.exit_code == 1
        assert "no SemEval-2023 head" in result.stderr
        assert "propscan train" in result.stderr


def test_a_corpus_store_keeps_ptc_labels(
    model_2023: Model, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runner = _runner(model_2023, monkeypatch)
    result = runner.invoke(
        cli.main,
        [
            "analyze",
            str(tmp_path),
            "--db",
            f"sqlite:///{tmp_path}/c.db",
            "--taxonomy",
            "semeval2023",
        ],
    )
    assert result.exit_code == 2
    assert "--by category" in result.output


def _articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article42.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def test_ptc_paragraphs_in_2023_use_the_paragraph_decision(
    model_2023: Model, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runner = _runner(model_2023, monkeypatch)
    folder = _articles(tmp_path)
    decided = _run(runner, "ptc", "paragraphs", str(folder), "--taxonomy", "semeval2023")
    assert decided == "42\t1\t\n42\t3\tLoaded_Language,Name_Calling-Labeling\n42\t5\t\n"
    union = _run(runner, "ptc", "paragraphs", str(folder), "--taxonomy", "semeval2023", "--union")
    assert union == "42\t1\t\n42\t3\tLoaded_Language\n42\t5\t\n"


def test_ptc_full_and_techniques_in_2023(
    model_2023: Model, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runner = _runner(model_2023, monkeypatch)
    folder = _articles(tmp_path)
    full = _run(runner, "ptc", "full", str(folder), "--taxonomy", "semeval2023")
    assert full.splitlines() == ["42\tLoaded_Language\t19\t33", "42\tLoaded_Language\t47\t61"]
    template = tmp_path / "tc.txt"
    template.write_text("42\t?\t19\t33\n42\t?\t19\t33\n", encoding="utf-8")
    labelled = _run(
        runner, "ptc", "techniques", str(folder), str(template), "--taxonomy", "semeval2023"
    )
    assert labelled.splitlines() == [
        "42\tLoaded_Language\t19\t33",
        "42\tName_Calling-Labeling\t19\t33",
    ]
    spans = _run(runner, "ptc", "spans", str(folder), "--taxonomy", "semeval2023")
    assert spans == _run(runner, "ptc", "spans", str(folder))


@pytest.fixture
def client(model_2023: Model, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(Settings(db=f"sqlite:///{tmp_path}/web.db", max_bytes=100_000))
    app.dependency_overrides[get_model] = lambda: model_2023
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client


def test_api_analyse_in_either_taxonomy(client: TestClient) -> None:
    ptc = client.post("/api/analyze", json={"text": ARTICLE}).json()
    assert ptc["taxonomy"] == "ptc2020"
    assert ptc["counts"] == {"Loaded_Language": 2}
    new = client.post("/api/analyze", json={"text": ARTICLE, "taxonomy": "semeval2023"}).json()
    assert new["taxonomy"] == "semeval2023"
    assert [s["category"] for s in new["spans"]] == ["Manipulative wording"] * 2
    wrong = client.post("/api/analyze", json={"text": ARTICLE, "taxonomy": "semeval2021"})
    assert wrong.status_code == 422


def test_api_2023_without_a_head_is_a_clear_422(client: TestClient, fake_model: Model) -> None:
    client.app.dependency_overrides[get_model] = lambda: fake_model  # type: ignore[attr-defined]
    answer = client.post("/api/analyze", json={"text": ARTICLE, "taxonomy": "semeval2023"})
    assert answer.status_code == 422
    assert "no SemEval-2023 head" in answer.text


def test_stored_articles_keep_ptc_labels_and_show_2023_on_request(client: TestClient) -> None:
    added = client.post("/api/articles", json={"text": ARTICLE, "taxonomy": "semeval2023"})
    assert added.status_code == 201
    assert added.json()["analysis"]["taxonomy"] == "semeval2023"
    article_id = added.json()["id"]
    stored = client.get(f"/api/articles/{article_id}").json()["analysis"]
    assert stored["taxonomy"] == "ptc2020"
    assert {s["technique"] for s in stored["spans"]} == {"Loaded_Language"}
    span_id = stored["spans"][0]["id"]
    relabel = {"technique": "Name_Calling,Labeling"}
    assert client.patch(f"/api/articles/{article_id}/spans/{span_id}", json=relabel).is_success
    view = client.get(f"/api/articles/{article_id}?taxonomy=semeval2023").json()["analysis"]
    first = next(s for s in view["spans"] if s["id"] == span_id)
    assert first["technique"] == "Name_Calling-Labeling"  # a reviewer's label, refined
    assert first["original_technique"] == "Loaded_Language"
    assert first["category"] == "Attack on reputation"


def test_pages_switch_taxonomies(client: TestClient) -> None:
    form = client.get("/").text
    assert 'name="taxonomy" value="semeval2023"' in form
    answer = client.post(
        "/analyze", data={"text": ARTICLE, "taxonomy": "semeval2023"}, follow_redirects=False
    )
    assert answer.status_code == 303
    assert answer.headers["location"].endswith("?taxonomy=semeval2023")
    page = client.get(answer.headers["location"]).text
    default = client.post("/analyze", data={"text": ARTICLE + " "}, follow_redirects=False)
    assert re.fullmatch(r"/articles/\d+", default.headers["location"])  # the server's default
    assert "Techniques by category" in page
    assert '<h3 class="category">Manipulative wording' in page
    assert re.search(r'aria-current="page"[^>]*>SemEval-2023', page)
    ptc_page = client.get(answer.headers["location"].replace("semeval2023", "ptc2020")).text
    assert re.search(r'aria-current="page"[^>]*>PTC-2020', ptc_page)
    assert "Mark article reviewed" in ptc_page
    assert client.get(answer.headers["location"].replace("semeval2023", "x")).status_code == 422


def test_api_stats_by_category(client: TestClient) -> None:
    client.post("/api/articles", json={"text": ARTICLE})
    rows = client.get("/api/stats?by=category").json()["rows"]
    assert [(r["key"], r["articles"], r["spans"], r["per_article"]) for r in rows] == [
        ("Manipulative wording", 1, 2, 2.0)
    ]
    assert rows[0]["per_1000_words"] == pytest.approx(2000 / rows[0]["words"])


def test_store_stats_by_category_group_ptc_classes(tmp_path: Path) -> None:
    from propscan.article import Analysis, Article, Span

    text = "Everyone joins. What about them? They lie. Bad."
    spans = (
        Span(0, 14, "Bandwagon,Reductio_ad_hitlerum", 0.9),
        Span(16, 31, "Whataboutism,Straw_Men,Red_Herring", 0.9),
        Span(33, 41, "Name_Calling,Labeling", 0.9),
        Span(43, 46, "Loaded_Language", 0.9),
    )
    with Store(f"sqlite:///{tmp_path}/s.db") as store:
        store.add(Analysis(Article("x", text), spans, model="m"))
        store.add(Analysis(Article("y", "Nothing here."), (), model="m"))
        rows = store.stats("category")
    assert [(r.key, r.articles, r.spans, r.per_article) for r in rows] == [
        ("Attack on reputation", 1, 2, 1.0),
        ("Distraction", 1, 1, 0.5),
        ("Manipulative wording", 1, 1, 0.5),
    ]
    # Eight words in "x", two in "y": rates per 1,000 words count both articles.
    assert [(r.words, r.per_1000_words) for r in rows] == [(10, 200.0), (10, 100.0), (10, 100.0)]
    assert set(SEMEVAL2023.labels) >= {"Guilt_by_Association", "Red_Herring"}


@pytest.mark.issue(18)
def test_the_2023_page_hides_findings_under_the_confidence_limit(client: TestClient) -> None:
    added = client.post("/api/articles", json={"text": ARTICLE}).json()["id"]
    page = f"/articles/{added}?taxonomy=semeval2023"
    shown = client.get(page + "&min_confidence=0").text
    assert "<q>" in shown and 'id="hidden-count"' not in shown
    strict = client.get(page + "&min_confidence=1").text
    assert "<q>" not in strict
    assert re.search(r"\d+ findings? under 100% confidence hidden", strict)
    assert 'href="?taxonomy=semeval2023&amp;min_confidence=0"' in strict
    assert client.get(page + "&min_confidence=2").status_code == 422
