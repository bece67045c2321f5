"""Options and conventions every `fako` command shares.

`-q/--quiet`, `-v/--verbose` and `--debug` are accepted before or after the command
name; `--format text|json` picks the output; `-o/--out` names what a command writes
(`-` for stdout where that makes sense); `--app NAME` narrows a command to apps.
Default paths (`dist/`) are relative to the checkout's root wherever fako runs from.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from fako.project import project_root

if TYPE_CHECKING:
    from fako.rendercache import RenderCache

__all__ = ["add_app_filter", "add_cache_option", "add_format", "common", "default_dist", "render_cache"]


OWN_PROCESS = False
"""True in a process of the `fako` command's own (`fako.cli.main.main`); False when a
command runs in a process that goes on afterwards (`fako.cli.main.run`), where modules a
render leaves loaded must be the real ones (`fako.unitstubs` stand-ins are not used)."""


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


def add_cache_option(parser: argparse.ArgumentParser) -> None:
    """`--no-cache`: build every unit afresh, and read or write nothing in the render cache."""
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="build everything afresh; neither read nor write the render cache ($XDG_CACHE_HOME/fako)",
    )


def render_cache(args: argparse.Namespace, cluster: str, include_disabled: bool) -> RenderCache | None:
    """The render cache for this run, or None with `--no-cache`."""
    if getattr(args, "no_cache", False):
        return None
    from fako.cachestore import CacheStore, default_cache_dir
    from fako.rendercache import RenderCache, RunSettings

    root = project_root()
    return RenderCache.open(CacheStore(default_cache_dir()), RunSettings(cluster, root, "secrets", include_disabled))
