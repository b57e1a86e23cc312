"""The article's language (issue 21, item 2): detected with py3langid, shown in every output,
stored as the article's ``language`` field (stats, filters), and stores of earlier versions
get it by migration."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import FakeClassifier, FakeTagger
from propscan.article import Article
from propscan.corpus.filters import Filters, parse_conditions
from propscan.corpus.store import Store
from propscan.model.bundle import Model
from propscan.pipeline import analyze
from propscan.text.language import UNKNOWN, detect_language, is_untested

FRENCH = (
    "Le gouvernement a annoncé mardi une nouvelle loi sur les retraites. Les syndicats ont "
    "appelé à une grève nationale la semaine prochaine."
)
GERMAN = "Der Bundestag hat am Dienstag ein neues Gesetz beschlossen, sagte die Ministerin."
SPANISH = (  # no bundled model was trained on Spanish: the CLI and store tests need it
    "El gobierno anunció el martes una nueva ley de pensiones. Los sindicatos han convocado "
    "una huelga general para la semana que viene."
)
ENGLISH = "The council met on Tuesday and approved the new bridge after a long debate."
MODEL = Model("fake", FakeTagger(["loi", "Gesetz", "bridge"]), FakeClassifier())


@pytest.mark.issue(21)
@pytest.mark.parametrize(
    ("text", "code"), [(FRENCH, "fr"), (GERMAN, "de"), (SPANISH, "es"), (ENGLISH, "en")]
)
def test_languages_are_detected(text: str, code: str) -> None:
    assert detect_language(text).language == code


@pytest.mark.issue(21)
def test_short_mixed_or_letterless_text_is_undetermined_and_not_warned_about() -> None:
    assert detect_language("Déjà vu: a naïve façade.").language == UNKNOWN
    assert detect_language("12345 !!!").language == UNKNOWN
    assert not is_untested(UNKNOWN, frozenset({"en"}))


@pytest.mark.issue(21)
def test_the_analysis_says_the_language_and_whether_it_is_untested() -> None:
    french = analyze(Article("f", FRENCH), MODEL)
    assert (french.language, french.untested_language) == ("fr", True)
    english = analyze(Article("e", ENGLISH), MODEL)
    assert (english.language, english.untested_language) == ("en", False)
    given = analyze(Article("g", FRENCH), MODEL, language="en")
    assert (given.language, given.untested_language) == ("en", False)
    assert json.loads(json.dumps(french.to_dict()))["language"] == "fr"


@pytest.mark.issue(21)
def test_cli_language_override_and_warning(tmp_path: Path) -> None:
    from propscan.cli import main

    spanish = tmp_path / "noticia.txt"
    spanish.write_text(SPANISH, encoding="utf-8")
    runner = CliRunner()
    warned = runner.invoke(main, ["analyze", str(spanish), "-f", "json"])
    assert warned.exit_code == 0 and "looks like 'es'" in warned.stderr
    told = runner.invoke(main, ["analyze", str(spanish), "-f", "json", "--language", "EN"])
    assert json.loads(told.stdout)["language"] == "en" and "untested" not in told.stderr
    shown = runner.invoke(main, ["analyze", str(spanish)])
    assert "language: es (untested for this model)" in shown.stdout


@pytest.mark.issue(21)
def test_the_store_keeps_the_language_as_a_field_to_count_and_filter_by(store_url: str) -> None:
    with Store(store_url) as store:
        for ident, text in (("f", FRENCH), ("d", GERMAN), ("e", ENGLISH)):
            store.add(analyze(Article(ident, text), MODEL))
        assert {row.key for row in store.stats("language")} == {"fr", "de", "en"}
        french = Filters(fields=tuple(parse_conditions(["language=fr"]).fields))
        assert store.count(french) == 1
        (stored,) = store.search(french)
        assert store.get(stored.id).analysis.language == "fr"  # type: ignore[union-attr]


@pytest.mark.issue(21)
def test_a_feed_language_field_is_kept(tmp_path: Path) -> None:
    article = Article("x", ENGLISH, fields=(("language", "en-GB"),))
    with Store(f"sqlite:///{tmp_path / 's.db'}") as store:
        store.add(analyze(article, MODEL))
        assert [row.key for row in store.stats("language")] == ["en-GB"]


@pytest.mark.issue(21)
def test_migration_detects_the_language_of_stored_articles(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Store(url) as store:
        store.add(analyze(Article("f", FRENCH), MODEL))
    with sqlite3.connect(tmp_path / "old.db") as old:  # as the version before this left it
        old.execute("UPDATE alembic_version SET version_num = '0006'")
        old.execute("DELETE FROM article_fields WHERE name = 'language'")
        old.execute("DROP TABLE login_sessions")
    with Store(url) as store:
        assert [row.key for row in store.stats("language")] == ["fr"]


@pytest.mark.issue(21)
def test_the_article_page_shows_the_language_and_the_untested_note(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from propscan.server import Settings, create_app
    from propscan.server.deps import get_model

    app = create_app(Settings(db=f"sqlite:///{tmp_path / 's.db'}"))
    app.dependency_overrides[get_model] = lambda: MODEL
    client = TestClient(app, base_url="http://127.0.0.1")
    french = client.post("/api/articles", json={"text": FRENCH}).json()["id"]
    english = client.post("/api/articles", json={"text": ENGLISH}).json()["id"]
    page = client.get(f"/articles/{french}").text
    assert "language fr" in page and 'id="untested-language"' in page
    assert 'id="untested-language"' not in client.get(f"/articles/{english}").text


@pytest.mark.issue(21)
def test_ptc_commands_warn_article_by_article_about_untested_languages(tmp_path: Path) -> None:
    from propscan.cli import main

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "article1.txt").write_text(SPANISH, encoding="utf-8")
    (folder / "article2.txt").write_text(ENGLISH, encoding="utf-8")
    result = CliRunner().invoke(main, ["ptc", "full", str(folder)])
    assert result.exit_code == 0, result.output
    assert "warning: article 1: the text looks like 'es'" in result.stderr
    assert "article 2" not in result.stderr


@pytest.mark.issue(21)
def test_a_corpus_run_says_how_many_articles_are_in_untested_languages(tmp_path: Path) -> None:
    from propscan.cli import main

    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "es.txt").write_text(SPANISH, encoding="utf-8")
    (folder / "en.txt").write_text(ENGLISH, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 's.db'}"
    result = CliRunner().invoke(main, ["analyze", str(folder), "--db", db, "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "1 stored articles are in languages the model was not trained on" in result.stderr
    assert "(es 1)" in result.stderr
