"""``propscan analyze --db`` on real processes: SIGTERM stops it like Ctrl-C, and no worker,
forkserver or resource tracker outlives it, even after kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from propscan.corpus.store import Store

TESTS = Path(__file__).resolve().parent
RUN = """
import sys, time
sys.path.insert(0, {tests!r})
from conftest import FakeClassifier, FakeTagger
from propscan import cli
from propscan.cli import corpus_run as corpus
from propscan.model.bundle import Model


class SlowTagger(FakeTagger):
    def detect(self, text, *, spans_only=False):
        time.sleep(0.2)
        return super().detect(text, spans_only=spans_only)


def loader():
    return Model("fake", SlowTagger(["corrupt elites"]), FakeClassifier())


if __name__ == "__main__":
    corpus.model_loader = lambda model_dir: loader
    sys.argv = ["propscan", "analyze", sys.argv[1], "--db", sys.argv[2], "--workers", "2"]
    cli.main()
"""


def start(tmp_path: Path) -> tuple[subprocess.Popen[str], str]:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(60):
        (folder / f"a{i}.txt").write_text(f"Article {i}: the corrupt elites, {i} times.\n")
    script = tmp_path / "run.py"
    script.write_text(RUN.format(tests=str(TESTS)), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    run = subprocess.Popen(
        [sys.executable, str(script), str(folder), url],
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.poll() is None:
        if (tmp_path / "corpus.db").exists():
            with Store(url) as store:
                if store.count() >= 4:
                    break
        time.sleep(0.1)
    assert run.poll() is None, run.communicate()[1]
    return run, url


def left_in_session(session: int) -> list[int]:
    """The processes still in the run's session (its workers, forkserver, resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getsid(int(entry.name)) == session:
                    found.append(int(entry.name))
            except ProcessLookupError:
                continue
    return found


def assert_none_left(session: int) -> None:
    deadline = time.monotonic() + 15
    while left_in_session(session) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left_in_session(session) == [], "processes outlived the run"


@pytest.fixture
def sessions() -> Iterator[list[int]]:
    """Sessions of the runs a test starts; whatever is left of them is killed afterwards."""
    started: list[int] = []
    yield started
    for session in started:
        for pid in left_in_session(session):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.issue(10)
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_sigterm_stops_like_ctrl_c(tmp_path: Path, sessions: list[int]) -> None:
    run, url = start(tmp_path)
    sessions.append(run.pid)
    run.send_signal(signal.SIGTERM)
    _, err = run.communicate(timeout=30)
    assert run.returncode == 128 + signal.SIGTERM
    assert "interrupted: every finished article is stored; rerun to resume" in err
    assert_none_left(run.pid)
    with Store(url) as store:
        assert 4 <= store.count() < 60


@pytest.mark.issue(10)
@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_workers_exit_when_the_run_is_killed(tmp_path: Path, sessions: list[int]) -> None:
    run, _ = start(tmp_path)
    sessions.append(run.pid)
    run.kill()
    run.wait(timeout=10)
    assert_none_left(run.pid)
