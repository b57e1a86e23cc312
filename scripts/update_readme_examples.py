"""Regenerate README.md's example outputs from real runs with the installed (bundled) model.

Each example sits between ``<!-- example:NAME -->`` and ``<!-- /example:NAME -->``:

- ``analyze``: ``propscan analyze examples/harbour-town.txt``, abridged to its header, the
  paragraphs with the most highlights and the footnotes;
- ``api``: ``POST /api/analyze`` answered in process by the web app, abridged to its main fields.

Usage: ``python scripts/update_readme_examples.py`` rewrites README.md; ``--check`` only exits 1
when it is out of date.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EXAMPLE = "examples/harbour-town.txt"
API_TEXT = "They are traitors, and everyone knows it. Shame on the corrupt elites!"
PARAGRAPHS = 3
"""Text paragraphs shown in the abridged analyze example: those with the most highlights."""
API_FIELDS = ("id", "model", "score", "counts", "spans")
"""Fields of the API answer shown; the others (title, text, …) become an ellipsis."""

_TAG = re.compile(r"\[\d+\s+[A-Z-]+\]")
_BLOCK = re.compile(r"(<!-- example:(\w+) -->\n).*?(<!-- /example:\2 -->)", re.DOTALL)


def analyze_example() -> str:
    """The abridged terminal output of ``propscan analyze examples/harbour-town.txt``."""
    from click.testing import CliRunner

    from propscan.cli import main

    result = CliRunner().invoke(main, ["analyze", str(ROOT / EXAMPLE)], catch_exceptions=False)
    if result.exit_code:
        raise SystemExit(f"propscan analyze failed:\n{result.output}")
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    blocks = re.split(r"\n{2,}", "\n".join(lines).strip())
    footnotes = next(i for i, block in enumerate(blocks) if block.startswith("[1 "))
    text = blocks[1:footnotes]
    busiest = sorted(range(len(text)), key=lambda i: -len(_TAG.findall(text[i])))[:PARAGRAPHS]
    shown = [blocks[0], *(text[i] for i in sorted(busiest)), blocks[footnotes]]
    return "```\n" + "\n…\n".join(shown) + "\n```\n"


def api_example() -> str:
    """A curl call of ``POST /api/analyze`` and its abridged answer, from the app in process."""
    from fastapi.testclient import TestClient

    from propscan.server import Settings, create_app

    app = create_app(Settings(db="sqlite:///:memory:"))
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        response = client.post("/api/analyze", json={"text": API_TEXT})
    response.raise_for_status()
    body = json.dumps({"text": API_TEXT}, ensure_ascii=False)
    return (
        "```console\n"
        "$ curl -s localhost:8000/api/analyze -H 'content-type: application/json' \\\n"
        f"    -d '{body}'\n" + _abridged(response.json()) + "\n```\n"
    )


def _abridged(answer: dict[str, Any]) -> str:
    """The API answer as compact JSON on a few lines, with the fields not shown as '…'."""

    def compact(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    head = ",".join(f'"{key}":{compact(answer[key])}' for key in ("model", "score"))
    spans = ",\n          ".join(
        compact(span).replace(',"text":', ',\n           "text":', 1) for span in answer["spans"]
    )
    return (
        f'{{"id":{compact(answer["id"])}, … ,{head},\n'
        f' "counts":{compact(answer["counts"])},\n'
        f' "spans":[{spans}], …}}'
    )


def updated(readme: str) -> str:
    """The README text with every example block regenerated."""
    makers = {"analyze": analyze_example, "api": api_example}

    def replace(match: re.Match[str]) -> str:
        return match.group(1) + makers[match.group(2)]() + match.group(3)

    return _BLOCK.sub(replace, readme)


def main(argv: list[str]) -> int:
    """Rewrite README.md, or with ``--check`` tell whether it is up to date."""
    old = README.read_text(encoding="utf-8")
    new = updated(old)
    if "--check" in argv:
        if new != old:
            print("README.md examples are out of date: run scripts/update_readme_examples.py")
            return 1
        return 0
    README.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
