"""SemEval-2025 Task 10 subtask 1 files and measures, and the role model's contract command
(issue 22). Documents here are written for these tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from propscan.tasks.entity_framing import (
    FINE_ROLES,
    MAIN_ROLES,
    RoleMention,
    exact_match_ratio,
    main_role_accuracy,
    read_documents,
    read_mentions,
    write_mentions,
)

DOC = "The minister, Paul Grant, praised the rescue teams.\nVillagers lost their homes.\n"


@pytest.fixture
def task(tmp_path: Path) -> Path:
    docs = tmp_path / "raw-documents"
    docs.mkdir()
    with (docs / "EN_1.txt").open("w", encoding="utf-8", newline="") as handle:
        handle.write(DOC)
    start = DOC.index("Paul Grant")
    villagers = DOC.index("Villagers")
    (tmp_path / "mentions.txt").write_text(
        f"EN_1.txt\tPaul Grant\t{start}\t{start + 9}\n"
        f"EN_1.txt\tVillagers\t{villagers + 2}\t{villagers + 10}\n",  # 2 characters off
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.issue(22)
def test_mentions_are_read_end_inclusive_and_realigned(task: Path) -> None:
    documents = read_documents(task)
    grant, villagers = read_mentions(task / "mentions.txt", documents)
    assert DOC[grant.start : grant.end] == "Paul Grant"
    assert DOC[villagers.start : villagers.end] == "Villagers"  # moved back by 2
    assert grant.main_role is None and grant.fine_roles == ()


@pytest.mark.issue(22)
def test_lost_carriage_returns_are_restored_where_mentions_then_line_up(tmp_path: Path) -> None:
    text = "First line.\nSecond line names Anna Berg.\n"
    (tmp_path / "RU_1.txt").write_text(text, encoding="utf-8")
    start = text.replace("\n", "\r\n").index("Anna Berg")
    (tmp_path / "m.txt").write_text(
        f"RU_1.txt\tAnna Berg\t{start}\t{start + 8}\tInnocent\tVictim\n", encoding="utf-8"
    )
    documents = read_documents(tmp_path)
    (row,) = read_mentions(tmp_path / "m.txt", documents)
    assert "\r\n" in documents["RU_1.txt"]
    assert documents["RU_1.txt"][row.start : row.end] == "Anna Berg"
    assert (row.main_role, row.fine_roles) == ("Innocent", ("Victim",))


@pytest.mark.issue(22)
def test_annotations_round_trip_in_the_task_format(tmp_path: Path) -> None:
    rows = [RoleMention("EN_1.txt", "Paul Grant", 14, 24, "Protagonist", ("Guardian", "Virtuous"))]
    write_mentions(rows, tmp_path / "out.txt")
    line = (tmp_path / "out.txt").read_text(encoding="utf-8").strip()
    assert line == "EN_1.txt\tPaul Grant\t14\t23\tProtagonist\tGuardian\tVirtuous"


@pytest.mark.issue(22)
def test_main_role_accuracy_and_exact_match() -> None:
    gold = [
        RoleMention("d", "A", 0, 1, "Antagonist", ("Tyrant",)),
        RoleMention("d", "B", 2, 3, "Protagonist", ("Guardian", "Virtuous")),
    ]
    guess = [
        RoleMention("d", "A", 0, 1, "Antagonist", ("Tyrant",)),
        RoleMention("d", "B", 2, 3, "Protagonist", ("Guardian",)),
    ]
    assert main_role_accuracy(gold, guess) == 1.0
    assert exact_match_ratio(gold, guess) == 0.5
    assert exact_match_ratio(gold, []) == 0.0


@pytest.mark.issue(22)
def test_ptc_roles_writes_the_task_format_with_the_bundled_model(task: Path) -> None:
    from propscan.cli import main

    out = task / "predictions.txt"
    result = CliRunner().invoke(
        main,
        ["ptc", "roles", str(task / "raw-documents"), str(task / "mentions.txt"), "-o", str(out)],
    )
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2
    for line in lines:
        document, mention, start, end, main_role, *fine = line.split("\t")
        assert document == "EN_1.txt" and DOC[int(start) : int(end) + 1] == mention
        assert main_role in MAIN_ROLES and fine and set(fine) <= set(FINE_ROLES[main_role])
