"""The ``propscan`` command: analyse articles, write SemEval/PTC files, train and evaluate,
analyse into a corpus and explore it, serve the web app. One module per command group."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
from typing import Any

import click

from propscan.errors import DoubtfulInput

__all__ = ["main"]


# name: (module, command object, the one-line help that ``propscan --help`` shows). A command's
# module is imported only when that command runs or shows its own help, so that --version,
# --help and each command load only what they use (a test checks these lines against the
# commands: ``get_short_help_str(limit=SHORT_HELP)``).
SHORT_HELP = 60
COMMANDS = {
    "analyze": (
        "analyze",
        "analyze_command",
        "Mark the technique spans of articles: files, folders, '-'...",
    ),
    "ptc": ("ptc", "ptc", "Write SemEval submission files for a folder of PTC..."),
    "train": ("train", "train_command", "Train a model on a PTC corpus folder and save it to a..."),
    "evaluate": ("evaluate", "evaluate_command", "Print held-out SemEval-2020 scores: k-fold..."),
    "techniques": (
        "techniques",
        "techniques_command",
        "List the techniques of a taxonomy with their labels and...",
    ),
    "stats": (
        "stats",
        "stats_command",
        "Count stored articles and technique spans by technique,...",
    ),
    "compare": (
        "compare",
        "compare_command",
        "Compare two groups of stored articles technique by...",
    ),
    "trends": (
        "compare",
        "trends_command",
        "Spans per 1,000 words month by month, with 95% intervals...",
    ),
    "export": (
        "export",
        "export_command",
        "Write stored analyses as JSON Lines, CSV (one row per...",
    ),
    "serve": ("serve", "serve", "Start the web app: paste or fetch an article and see its..."),
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(import_module(f"propscan.cli.{module}"), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, short) for name, (_, _, short) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="propscan")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Find propaganda and persuasion techniques in news articles."""
    ctx.with_resource(_doubts_on_stderr())


@contextmanager
def _doubts_on_stderr() -> Iterator[None]:
    """Show every DoubtfulInput warning as one 'warning: ...' line on stderr."""

    from propscan.cli.common import stderr

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
