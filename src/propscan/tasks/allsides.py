"""Read the AllSides news release (``../shared/allsides-news/articles.jsonl``) as articles.

One JSON object a line with ``ID``, ``content_original`` (the text), ``title``, ``source``,
``url``, ``date``, ``authors``, ``topic`` and ``bias_text`` (the outlet's bias rating). The texts
carry no technique labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from propscan.article import Article
from propscan.errors import CorpusFormatError

FIELDS = ("bias_text", "topic")
"""Further metadata kept as the articles' ``fields``."""


def is_allsides(path: Path) -> bool:
    """Whether ``path`` is a JSON Lines file whose first record is an AllSides article."""
    if not path.is_file() or path.suffix.lower() != ".jsonl":
        return False
    with path.open(encoding="utf-8", errors="replace") as lines:
        first = lines.readline()
    try:
        record = json.loads(first)
    except json.JSONDecodeError:
        return False
    return isinstance(record, dict) and {"ID", "content_original"} <= record.keys()


def read_allsides(path: Path) -> Iterator[Article]:
    """The release's articles in file order, ids ``allsides-ID``, texts stripped of the blank
    space around them."""
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                yield _article(json.loads(line))
            except (json.JSONDecodeError, KeyError, TypeError) as error:
                raise CorpusFormatError(f"{path}, line {number}: no AllSides article") from error


def _article(record: dict[str, Any]) -> Article:
    def given(key: str) -> str | None:
        value = record.get(key)
        return value.strip() or None if isinstance(value, str) else None

    return Article(
        id=f"allsides-{record['ID']}",
        text=str(record["content_original"] or "").strip(),
        title=given("title"),
        source=given("source"),
        url=given("url"),
        date=given("date"),
        author=given("authors"),
        fields=tuple((key, value) for key in FIELDS if (value := given(key))),
    )
