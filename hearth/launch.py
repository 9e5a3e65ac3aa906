"""The `hearth` console script: patch for green threads first, then run the CLI."""

from __future__ import annotations

import sys
import warnings

# Options of the `hearth` group that take a value, so the command name can be told apart.
VALUE_OPTIONS = {"--data-dir", "--port", "-A", "--app", "-e", "--env-file"}
# The commands that run the server: `hearth` alone (room mode) and `hearth serve`.
SERVER_COMMANDS = {None, "serve"}


def command_name(args: list[str]) -> str | None:
    """The subcommand in `args` (`hearth --data-dir x db upgrade` → "db"); None for room mode."""
    takes_value = False
    for arg in args:
        if takes_value:
            takes_value = False
        elif arg in VALUE_OPTIONS:
            takes_value = True
        elif not arg.startswith("-"):
            return arg
    return None


def main() -> None:
    """Entry point of the `hearth` command."""
    # Only the long-running server needs green threads; other commands run plainly so that
    # a cron job or a pipe never pays for (or trips over) the patching.
    # eventlet announces its own deprecation on import; docs/engineering.md explains why we keep it.
    warnings.filterwarnings("ignore", message="(?s).*[Ee]ventlet is deprecated")
    if command_name(sys.argv[1:]) in SERVER_COMMANDS:
        from hearth.green import monkey_patch

        monkey_patch()
    from hearth.console import cli

    cli(prog_name="hearth")
