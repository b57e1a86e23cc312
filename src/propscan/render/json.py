"""JSON renderers: one document (object or array) or JSON Lines."""

from __future__ import annotations

import json
from collections.abc import Sequence

from propscan.article import Analysis


def to_json(analyses: Sequence[Analysis]) -> str:
    """One analysis as a pretty JSON object, several (or none) as a JSON array."""
    if len(analyses) == 1:
        data: object = analyses[0].to_dict()
    else:
        data = [a.to_dict() for a in analyses]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_jsonl(analyses: Sequence[Analysis]) -> str:
    """One compact JSON object per analysis, one per line."""
    return "".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in analyses)
