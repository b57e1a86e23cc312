"""Reviewed articles out of the store as a PTC folder, merged into training, and scored on."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from propscan.article import Analysis, Article, Span
from propscan.cli import main
from propscan.corpus.store import Store
from propscan.errors import CorpusFormatError
from propscan.model.bundle import read_model
from propscan.tasks.ptc import read_corpora, read_corpus

pytestmark = pytest.mark.issue(12)

SENTENCES = [
    ("The corrupt elites betrayed the brave patriots again.", "Loaded_Language", "corrupt elites"),
    ("Only a fool would trust these treacherous traitors.", "Name_Calling,Labeling", "traitors"),
    ("Make our great nation strong and proud once more!", "Flag-Waving", "great nation"),
    ("What are they hiding from the honest people of the town?", "Doubt", "What are they hiding"),
]


def write_ptc(folder: Path, prefix: str, n: int) -> None:
    """A tiny PTC release: n articles cycling through SENTENCES, one label each."""
    articles = folder / "train-articles"
    articles.mkdir(parents=True)
    lines = []
    for i in range(n):
        sentence, technique, fragment = SENTENCES[i % len(SENTENCES)]
        text = f"Title {i}\n\n{sentence} The council met on Tuesday. {sentence}\n"
        (articles / f"article{prefix}{i}.txt").write_text(text, encoding="utf-8")
        start = text.index(fragment)
        lines.append(f"{prefix}{i}\t{technique}\t{start}\t{start + len(fragment)}\n")
    (folder / "train-task-flc-tc.labels").write_text("".join(lines), encoding="utf-8")


def reviewed_store(url: str) -> tuple[int, str]:
    """A store with one reviewed article (one rejection, one relabel, one addition) and one
    unreviewed one; the reviewed article's id and text."""
    text = "Heading\n\nThe corrupt elites lie. Brave patriots will win. Who pays them?"
    spans = (
        Span(text.index("corrupt"), text.index(" lie"), "Loaded_Language", 0.8),
        Span(text.index("Brave"), text.index(" will"), "Loaded_Language", 0.4),
    )
    with Store(url) as store:
        ident = store.add(Analysis(Article("r1", text, source="x"), spans, model="m"))
        store.add(Analysis(Article("r2", "Other text entirely.", source="x"), (), model="m"))
        stored = store.get(ident)
        assert stored is not None
        first, second = stored.spans
        store.review_span(ident, first.id, verdict="rejected")
        store.review_span(ident, second.id, technique="Flag-Waving")
        start = text.index("Who pays them?")
        store.add_span(ident, start, start + len("Who pays them?"), "Doubt")
        store.mark_reviewed(ident)
    return ident, text


def test_export_reviewed_writes_a_ptc_release(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    ident, text = reviewed_store(url)
    out = tmp_path / "reviewed"
    result = CliRunner().invoke(
        main, ["export", "--db", url, "--format", "ptc", "--reviewed", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    name = f"propscan{ident}"
    assert sorted(p.name for p in (out / "train-articles").iterdir()) == [f"article{name}.txt"]
    assert (out / "train-articles" / f"article{name}.txt").read_bytes() == text.encode()
    corpus = read_corpus(out)
    labelled = {(technique, text[s:e]) for _, technique, s, e in corpus.labels}
    assert labelled == {("Flag-Waving", "Brave patriots"), ("Doubt", "Who pays them?")}
    si = (out / "train-task-si.labels").read_text(encoding="utf-8").splitlines()
    assert len(si) == 2 and all(line.startswith(f"{name}\t") for line in si)

    again = CliRunner().invoke(
        main, ["export", "--db", url, "--format", "ptc", "--reviewed", "-o", str(out)]
    )
    assert again.exit_code == 2 and "not an empty folder" in again.output
    to_stdout = CliRunner().invoke(main, ["export", "--db", url, "--format", "ptc", "--reviewed"])
    assert to_stdout.exit_code == 2 and "-o FOLDER" in to_stdout.output


def test_read_corpora_merges_folders_and_refuses_repeated_ids(tmp_path: Path) -> None:
    write_ptc(tmp_path / "a", "1", 3)
    write_ptc(tmp_path / "b", "2", 2)
    merged = read_corpora([tmp_path / "a", tmp_path / "b"])
    assert [a.id for a in merged.articles] == ["10", "11", "12", "20", "21"]
    assert len(merged.labels) == 5
    with pytest.raises(CorpusFormatError, match="article 10 is in both"):
        read_corpora([tmp_path / "a", tmp_path / "a"])


def test_train_on_a_tiny_corpus_plus_a_review_folder_then_evaluate_on_it(
    tmp_path: Path,
) -> None:
    ptc = tmp_path / "ptc"
    write_ptc(ptc, "", 12)
    url = f"sqlite:///{tmp_path / 'c.db'}"
    reviewed_store(url)
    review = tmp_path / "reviewed"
    runner = CliRunner()
    exported = runner.invoke(
        main, ["export", "--db", url, "--format", "ptc", "--reviewed", "-o", str(review)]
    )
    assert exported.exit_code == 0, exported.output
    model_dir = tmp_path / "model"
    trained = runner.invoke(
        main,
        ["train", str(ptc), "--add", str(review), "--kind", "crf-linear", "-o", str(model_dir)],
    )
    assert trained.exit_code == 0, trained.output
    model = read_model(model_dir)
    assert set(model.classifier.labels) >= {"Flag-Waving", "Doubt", "Loaded_Language"}

    scored = runner.invoke(
        main, ["evaluate", str(review), "--model", str(model_dir), "--all-articles"]
    )
    assert scored.exit_code == 0, scored.output
    assert "on all 1 articles" in scored.output and "full task" in scored.output
    refused = runner.invoke(main, ["evaluate", str(review), "--all-articles"])
    assert refused.exit_code == 1 and "--model" in refused.output


def test_stats_by_review(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    reviewed_store(url)
    runner = CliRunner()
    table = runner.invoke(main, ["stats", "--db", url, "--by", "review"])
    assert table.exit_code == 0, table.output
    assert "Doubt" in table.output and "precision" in table.output
    rows = runner.invoke(main, ["stats", "--db", url, "--by", "review", "--format", "csv"])
    assert rows.output.splitlines() == [
        "technique,unreviewed,accepted,rejected,relabelled,added,precision",
        "Loaded_Language,0,0,1,1,0,0.0",
        "Doubt,0,0,0,0,1,",
    ]
