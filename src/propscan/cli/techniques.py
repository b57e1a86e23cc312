"""``propscan techniques``: a taxonomy's labels, definitions and colours."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from rich.table import Table

from propscan.cli.common import stdout_console, taxonomy_option
from propscan.techniques import SEMEVAL2023_TO_PTC2020, TAXONOMIES, TECHNIQUES, TaxonomyKey

if TYPE_CHECKING:
    pass


@click.command(name="techniques")
@taxonomy_option
def techniques_command(taxonomy: TaxonomyKey) -> None:
    """List the techniques of a taxonomy with their labels and definitions; the 2023 ones in a
    table per category, with the PTC class each falls in.

    Example:

    \b
        propscan techniques
        propscan techniques --taxonomy semeval2023
    """
    console = stdout_console()
    if taxonomy == "ptc2020":
        table = Table()
        for column in ("PTC label", "technique", "definition"):
            table.add_column(column)
        for t in TECHNIQUES.values():
            table.add_row(f"[on {t.color}] [/] {t.label}", t.name, t.definition)
        console.print(table)
        return
    for category, techniques in TAXONOMIES[taxonomy].grouped():
        title = f"{category.name}: {category.description}" if category else None
        table = Table(title=title, title_justify="left")
        for column in ("2023 label", "technique", "definition", "PTC 2020 class"):
            table.add_column(column)
        for t in techniques:
            ptc = SEMEVAL2023_TO_PTC2020[t.label] or "(none)"
            table.add_row(f"[on {t.color}] [/] {t.label}", t.name, t.definition, ptc)
        console.print(table)
