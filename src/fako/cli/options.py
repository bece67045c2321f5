"""Options and conventions every `fako` command shares.

`-q/--quiet`, `-v/--verbose` and `--debug` are accepted before or after the command
name; `--format text|json` picks the output; `-o/--out` names what a command writes
(`-` for stdout where that makes sense); `--app NAME` narrows a command to apps.
Default paths (`dist/`) are relative to the checkout's root wherever fako runs from.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from fako.project import project_root

__all__ = ["add_app_filter", "add_format", "common", "default_dist"]


def common() -> argparse.ArgumentParser:
    """A parent parser with the options every command accepts, before or after its name."""
    parser = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand that does not see the flag must not reset what the top level set
    parser.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="print errors only")
    parser.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print details (warnings, left-out files)",
    )
    parser.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on errors")
    return parser


def add_format(parser: argparse.ArgumentParser, *extra: str) -> None:
    """`--format text|json` (plus `extra` choices), default text."""
    parser.add_argument(
        "--format", choices=("text", "json", *extra), default="text", help="output format (default: text)"
    )


def add_app_filter(parser: argparse.ArgumentParser) -> None:
    """`--app NAME` (repeatable): only these apps."""
    parser.add_argument("--app", action="append", metavar="NAME", help="only this app (repeatable)")


def default_dist() -> Path:
    """`dist/` of the checkout this runs in (the render `fako synth` writes)."""
    return project_root() / "dist"
