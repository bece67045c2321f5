"""`fako` entry point: parses the command line and turns fako errors into exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence

from fako import __version__
from fako.errors import FakoError

__all__ = ["build_parser", "main"]

_COMMANDS = ("synth", "inspect", "validate", "diff", "publish", "import_", "cutover")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fako", description="The Fako homelab cluster as typed Python: render, check, publish."
    )
    parser.add_argument("--version", action="version", version=f"fako {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in _COMMANDS:
        try:
            module = importlib.import_module(f"fako.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"fako.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def _color() -> bool:
    return "NO_COLOR" not in os.environ and sys.stderr.isatty()


def error(message: str) -> None:
    """Print one fako error on stderr."""
    prefix = "\033[31mfako:\033[0m" if _color() else "fako:"
    print(f"{prefix} {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except FakoError as exc:
        if args.debug:
            traceback.print_exc()
        error(str(exc) + ("" if args.debug else "\n(run with --debug for a traceback)"))
        return exc.exit_code
    except KeyboardInterrupt:
        error("interrupted")
        return 130
    except BrokenPipeError:
        # the reader went away (`fako inspect | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
