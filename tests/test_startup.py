"""Commands import only what they use: the lazy command group and its one-line helps."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from propscan.cli import COMMANDS, SHORT_HELP, main

pytestmark = pytest.mark.issue(17)


def test_each_listed_help_is_the_commands_own() -> None:
    ctx = click.Context(main)
    for name, (_, _, short) in COMMANDS.items():
        command = main.get_command(ctx, name)
        assert command is not None and command.name == name
        assert short == command.get_short_help_str(limit=SHORT_HELP)


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["analyse"])
    assert result.exit_code == 2 and "No such command" in result.output


def imported_after(code: str) -> set[str]:
    """The top-level and propscan modules a fresh interpreter has loaded after ``code``."""
    probe = f"import sys\n{code}\nprint('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


@pytest.mark.parametrize(
    "code",
    [
        "from propscan.cli import main",
        "import propscan.cli.analyze",
        "import propscan",
    ],
)
def test_start_up_leaves_the_store_and_the_html_extractor_unloaded(code: str) -> None:
    loaded = imported_after(code)
    for heavy in ("sqlalchemy", "alembic", "trafilatura", "propscan.corpus.store", "ray"):
        assert heavy not in loaded, f"{code!r} imports {heavy}"


def test_version_and_help_load_no_command_module() -> None:
    loaded = imported_after(
        "from propscan.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    )
    assert not {f"propscan.cli.{module}" for module, _, _ in COMMANDS.values()} & loaded
