"""README.md's example outputs are those of a fresh run with the bundled model."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "update_readme_examples.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("update_readme_examples", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.issue(11)
def test_readme_examples_match_a_fresh_run() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"<!-- example:(\w+) -->", readme) == ["analyze", "api"]
    assert _script().updated(readme) == readme, "run: python scripts/update_readme_examples.py"
