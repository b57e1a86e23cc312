"""PTC renderer: ``ID<TAB>technique<TAB>start<TAB>end`` lines (SemEval-2020 Task 11, TC)."""

from __future__ import annotations

from collections.abc import Sequence

from propscan.article import Analysis
from propscan.tasks.ptc import technique_lines


def to_ptc(analyses: Sequence[Analysis]) -> str:
    """Every span of every analysis as a newline-terminated PTC technique line."""
    return "".join(line + "\n" for a in analyses for line in technique_lines(a.article.id, a.spans))
