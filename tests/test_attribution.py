"""Who says what about whom (issue 22): quotes and their speakers, the entity a technique is
aimed at, the entities of an article, and the --entities / --voice options. Hand-checked
expectations on text written for these tests; the technique spans are given (the model is not
the subject here)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

pytest.importorskip("spacy")
pytest.importorskip("textacy")

from propscan.article import Analysis, Article, Span
from propscan.attribute import attribute
from propscan.attribute.pipeline import AttributionUnavailable, english_pipeline
from propscan.tasks.entity_framing import FINE_ROLES, MAIN_ROLES

TEXT = (
    "Mayor John Carter opened the new bridge on Monday.\n\n"
    '"We will never surrender to these thugs from the port authority," said Carter, '
    "who has led the town for ten years.\n\n"
    "Anna Lee, a council member, disagreed. "
    '"This is a shameful waste of public money," she said.\n\n'
    'Critics called the plan a "triumph" of spin. Senator Mark Ellis is a corrupt liar.\n\n'
    'Residents were told that "the bridge is safe for everyone who uses it". '
    "Mark Ellis spoke next. He is a disgrace to this town.\n\n"
    "Our town, our bridge, our future!"
)


def span(fragment: str, technique: str = "Name_Calling,Labeling", nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(fragment, start + 1)
    return Span(start, start + len(fragment), technique, 0.5)


@pytest.fixture(scope="module")
def attributed() -> dict[str, Span]:
    given = {
        "thugs": span("these thugs"),
        "waste": span("a shameful waste of public money", "Loaded_Language"),
        "liar": span("a corrupt liar"),
        "disgrace": span("a disgrace to this town"),
        "triumph": span("triumph", "Loaded_Language"),
        "safe": span("safe for everyone", "Loaded_Language"),
        "flag": span("Our town, our bridge, our future!", "Flag-Waving"),
    }
    analysis = attribute(Analysis(Article("t", TEXT), tuple(given.values()), "fake"))
    by_start = {s.start: s for s in analysis.spans}
    return {name: by_start[s.start] for name, s in given.items()}


@pytest.mark.issue(22)
def test_a_span_in_a_quote_is_quoted_with_its_speaker(attributed: dict[str, Span]) -> None:
    assert (attributed["thugs"].voice, attributed["thugs"].speaker) == ("quoted", "John Carter")


@pytest.mark.issue(22)
def test_a_quoting_pronoun_is_resolved_to_the_person(attributed: dict[str, Span]) -> None:
    assert (attributed["waste"].voice, attributed["waste"].speaker) == ("quoted", "Anna Lee")


@pytest.mark.issue(22)
def test_quotes_without_a_speaker_and_scare_quotes(attributed: dict[str, Span]) -> None:
    assert (attributed["safe"].voice, attributed["safe"].speaker) == ("quoted", None)
    assert attributed["triumph"].voice == "author"  # one word in quotes is no speech
    assert attributed["liar"].voice == "author"


@pytest.mark.issue(22)
def test_targets_come_from_the_sentence_or_a_pronoun(attributed: dict[str, Span]) -> None:
    assert attributed["liar"].target == "Mark Ellis"  # the subject of "is"
    assert attributed["disgrace"].target == "Mark Ellis"  # "He", the sentence before
    assert attributed["flag"].target is None  # flag-waving aims at no one


@pytest.mark.issue(22)
def test_entities_merge_surnames_and_count_what_is_aimed_at_them() -> None:
    spans = (span("a corrupt liar"), span("a disgrace to this town"))
    analysis = attribute(Analysis(Article("t", TEXT), spans, "fake"))
    entities = {e.name: e for e in analysis.entities or ()}
    assert entities["John Carter"].mentions == 2 and entities["John Carter"].type == "person"
    assert entities["Mark Ellis"].techniques == {"Name_Calling,Labeling": 2}
    assert next(iter(entities)) == "Mark Ellis"  # most aimed-at first
    data = analysis.to_dict()
    assert data["spans"][0]["voice"] == "author" and data["spans"][0]["target"] == "Mark Ellis"
    assert {"name", "type", "mentions", "techniques"} <= set(data["entities"][0])
    for entity in analysis.entities or ():
        assert entity.main_role in MAIN_ROLES and entity.fine_roles
        assert set(entity.fine_roles) <= set(FINE_ROLES[entity.main_role])
        assert entity.confidence is not None and 0 <= entity.confidence <= 1


@pytest.mark.issue(22)
def test_voice_filter_keeps_one_voice(attributed: dict[str, Span]) -> None:
    analysis = Analysis(Article("t", TEXT), tuple(attributed.values()), "fake")
    assert {s.voice for s in analysis.in_voice("author").spans} == {"author"}
    assert {s.voice for s in analysis.in_voice("quoted").spans} == {"quoted"}
    assert analysis.in_voice("all") is analysis


@pytest.mark.issue(22)
def test_cli_entities_and_voice(tmp_path: pytest.TempPathFactory) -> None:
    from propscan.cli import main

    runner = CliRunner()
    everything = runner.invoke(main, ["analyze", TEXT, "--entities", "-f", "json"])
    assert everything.exit_code == 0, everything.output
    data = json.loads(everything.stdout)
    analysis = data[0] if isinstance(data, list) else data
    assert "entities" in analysis
    assert all(s["voice"] in ("author", "quoted") for s in analysis["spans"])
    author = runner.invoke(main, ["analyze", TEXT, "--voice", "author", "-f", "json"])
    kept = json.loads(author.stdout)
    kept = kept[0] if isinstance(kept, list) else kept
    assert all(s["voice"] == "author" for s in kept["spans"])


@pytest.mark.issue(22)
def test_without_the_extra_the_error_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import spacy

    def missing(name: str) -> None:
        raise OSError(f"[E050] Can't find model '{name}'")

    english_pipeline.cache_clear()
    monkeypatch.setattr(spacy, "load", missing)
    try:
        with pytest.raises(AttributionUnavailable, match=r"propscan\[entities\]"):
            english_pipeline()
    finally:
        english_pipeline.cache_clear()


@pytest.mark.issue(22)
def test_api_analyze_with_entities_and_voice() -> None:
    from fastapi.testclient import TestClient

    from conftest import FakeClassifier, FakeTagger
    from propscan.model.bundle import Model
    from propscan.server import Settings, create_app
    from propscan.server.deps import get_model

    app = create_app(Settings(db="sqlite:///:memory:"))
    tagger = FakeTagger(["these thugs", "a corrupt liar"])
    app.dependency_overrides[get_model] = lambda: Model("fake", tagger, FakeClassifier())
    client = TestClient(app, base_url="http://127.0.0.1")
    plain = client.post("/api/analyze", json={"text": TEXT}).json()
    assert plain["spans"][0]["voice"] is None and plain.get("entities") is None
    full = client.post("/api/analyze?entities=true", json={"text": TEXT})
    assert full.status_code == 200, full.text
    spans = full.json()["spans"]
    assert {s["voice"] for s in spans} == {"author", "quoted"}
    assert any(s["speaker"] == "John Carter" for s in spans)
    assert any(e["name"] == "Mark Ellis" for e in full.json()["entities"])
    author = client.post("/api/analyze?voice=author", json={"text": TEXT}).json()
    assert author["spans"] and {s["voice"] for s in author["spans"]} == {"author"}


@pytest.mark.issue(22)
def test_a_pronoun_after_a_named_speaker_in_the_paragraph_is_that_speaker() -> None:
    text = (
        "‘The bridge is finished,’ said Major-General Igor Konashenkov, a spokesman for the "
        "ministry. ‘All the roads across the river are open again,’ he confirmed."
    )
    start = text.index("All the roads")
    spans = (Span(text.index("The bridge"), text.index("The bridge") + 10, "Doubt", 0.5),)
    spans += (Span(start, start + 13, "Doubt", 0.5),)
    first, second = attribute(Analysis(Article("k", text), spans, "fake")).spans
    assert first.voice == second.voice == "quoted"
    assert first.speaker is not None and "Konashenkov" in first.speaker
    assert second.speaker == first.speaker


SAID_OF = (
    "Governor Ruth Dalton spoke in Denver on Friday. "
    "Her rivals called Dalton a reckless gambler from Texas. "
    "Old allies now paint her as a traitor. "
    "She's a wolf in a Boston suit."
)


@pytest.mark.issue(22)
@pytest.mark.parametrize(
    "fragment",
    [
        "a reckless gambler from Texas",  # the object of "call", not the place named inside
        "a traitor",  # "paint her as": the pronoun's person
        "She's a wolf in a Boston suit",  # the subject inside, not the city
    ],
)
def test_a_span_said_of_someone_targets_them(fragment: str) -> None:
    start = SAID_OF.index(fragment)
    given = Span(start, start + len(fragment), "Name_Calling,Labeling", 0.5)
    analysis = attribute(Analysis(Article("s", SAID_OF), (given,), "fake"))
    assert analysis.spans[0].target == "Ruth Dalton"


DESCRIBED = (
    "Senator Ruth Dalton toured Denver on Friday with her aides. "
    "Voters there say the Colorado senator is a reckless gambler. "
    "Many now switch to the billionaire businesswoman in protest. "
    "Columnists describe Dalton as a pompous bore."
)


@pytest.mark.issue(22)
@pytest.mark.parametrize(
    "fragment",
    [
        "a reckless gambler",  # "the Colorado senator": the person, not the state
        "billionaire businesswoman",  # a definite description of the last person named
        "a pompous bore",  # "describe X as": the object
    ],
)
def test_a_span_aimed_at_a_described_person_targets_them(fragment: str) -> None:
    start = DESCRIBED.index(fragment)
    given = Span(start, start + len(fragment), "Name_Calling,Labeling", 0.5)
    analysis = attribute(Analysis(Article("d", DESCRIBED), (given,), "fake"))
    assert analysis.spans[0].target == "Ruth Dalton"
