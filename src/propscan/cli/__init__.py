"""The ``propscan`` command: analyse articles, write SemEval/PTC files, train and evaluate,
analyse into a corpus and explore it, serve the web app. One module per command group."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from propscan.cli.analyze import analyze_command
from propscan.cli.common import stderr
from propscan.cli.corpus import export_command, stats_command
from propscan.cli.model import evaluate_command, techniques_command, train_command
from propscan.cli.ptc import ptc
from propscan.cli.serve import serve
from propscan.errors import DoubtfulInput

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="propscan")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Find propaganda and persuasion techniques in news articles."""
    ctx.with_resource(_doubts_on_stderr())


@contextmanager
def _doubts_on_stderr() -> Iterator[None]:
    """Show every DoubtfulInput warning as one 'warning: ...' line on stderr."""

    def show(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
        if issubclass(category, DoubtfulInput):
            stderr.print(f"warning: {message}", highlight=False, markup=False)
        else:
            shown(message, category, *args, **kwargs)

    with warnings.catch_warnings():
        shown = warnings.showwarning
        warnings.simplefilter("always", DoubtfulInput)
        warnings.showwarning = show
        yield


for _command in (
    analyze_command,
    ptc,
    train_command,
    evaluate_command,
    techniques_command,
    stats_command,
    export_command,
    serve,
):
    main.add_command(_command)
