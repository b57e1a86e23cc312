"""Run the command line in a pseudo-terminal, as a user's shell would, with the fake model."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

_SCRIPT = """
import sys
sys.path.insert(0, {tests!r})
from conftest import FakeClassifier, FakeTagger
from propscan import cli
from propscan.cli import common
from propscan.model.bundle import Model
model = Model(name="fake", tagger=FakeTagger(["corrupt elites", "brave patriots"]),
              classifier=FakeClassifier())
common.load_model = lambda model_dir=None: model
sys.argv = ["propscan", *sys.argv[1:]]
cli.main()
"""


def run_in_terminal(args: Sequence[str], env: dict[str, str] | None = None) -> tuple[int, str]:
    """Exit status and what ``propscan ARGS`` wrote to its terminal (stdout and stderr)."""
    leader, follower = pty.openpty()
    script = _SCRIPT.format(tests=str(Path(__file__).parent))
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    environment |= {"TERM": "xterm-256color", "COLUMNS": "100"} | (env or {})
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
        env=environment,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return process.wait(timeout=60), b"".join(chunks).decode("utf-8", "replace")
