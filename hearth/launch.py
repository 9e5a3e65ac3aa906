"""The `hearth` console script: patch for green threads first, then run the CLI."""

from __future__ import annotations

import sys
import warnings


def main() -> None:
    """Entry point of the `hearth` command."""
    # Only the long-running server needs green threads; other commands run plainly so that
    # a cron job or a pipe never pays for (or trips over) the patching.
    # eventlet announces its own deprecation on import; docs/engineering.md explains why we keep it.
    warnings.filterwarnings("ignore", message="(?s).*[Ee]ventlet is deprecated")
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        from hearth.green import monkey_patch

        monkey_patch()
    from hearth.cli import cli

    cli(prog_name="hearth")
