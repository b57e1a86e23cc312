"""Tables that several ``propscan evaluate`` reports print."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from propscan.tasks.scoring import Report
from propscan.techniques import LABELS


def technique_table(tc: Report, full: Report, labels: Sequence[str] = LABELS) -> Table:
    """Per technique: gold spans, TC precision, recall and F1, full-task F1."""
    table = Table(title="per technique")
    for column in ("technique", "gold", "TC P", "TC R", "TC F1", "full F1"):
        table.add_column(column, justify="left" if column == "technique" else "right")
    for label in labels:
        t = tc.per_technique.get(label)
        f = full.per_technique.get(label)
        table.add_row(
            label,
            str(t.gold if t else 0),
            *(f"{x:.3f}" for x in ((t.precision, t.recall, t.f1) if t else (0, 0, 0))),
            f"{f.f1:.3f}" if f else "0.000",
        )
    return table
