"""The `empowerer` command: one module per subcommand, each with `register(subparsers)`.

Subcommand modules import their heavy dependencies inside their handlers, so `empowerer --help`
stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from server import __version__

COMMAND_MODULES = (
    "server.cli.frameworks",
    "server.cli.validate",
    "server.cli.serve",
    "server.cli.code",
    "server.cli.scenarios",
    "server.cli.practice",
    "server.cli.score",
    "server.cli.risk",
    "server.cli.demo",
    "server.cli.admin",
    "server.cli.walkthrough",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="empowerer", description="Empowerer: a practice room for mentors."
    )
    parser.add_argument("--version", action="version", version=f"empowerer {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        status: int = args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    return status


if __name__ == "__main__":
    sys.exit(main())
