"""`fako` entry point: parses the command line and turns fako errors into exit codes.

Every command takes the same common options anywhere on the line (`fako -v synth`,
`fako synth -v`): `-q/--quiet` (errors only), `-v/--verbose` (details), `--debug`
(tracebacks). Exit codes: 0 ok, 1 invalid input or a failed check, 2 usage.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from fako import __version__
from fako.cli import ui
from fako.cli.options import common
from fako.errors import FakoError

__all__ = ["build_parser", "main", "run"]

COMMANDS = (
    "synth",
    "validate",
    "diff",
    "inspect",
    "apps",
    "graph",
    "new",
    "import_",
    "publish",
    "cutover",
    "secret",
    "watch",
    "completion",
)
"""Command modules under `fako.cli`, in the order `fako --help` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The full `fako` parser: common options and one subparser per command module."""
    parser = argparse.ArgumentParser(
        prog="fako", description="The Fako homelab cluster as typed Python: render, check, publish.", parents=[common()]
    )
    parser.add_argument("--version", action="version", version=f"fako {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"fako.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"fako.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def _flag(args: argparse.Namespace, name: str) -> bool:
    return bool(getattr(args, name, False))


def run(argv: Sequence[str] | None = None) -> int:
    """Parse `argv` and run the command in this process; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    ui.configure(quiet=_flag(args, "quiet"), verbose=_flag(args, "verbose"))
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    debug = _flag(args, "debug")
    try:
        return int(args.func(args))
    except FakoError as exc:
        if debug:
            traceback.print_exc()
        ui.error(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        ui.error("interrupted")
        return 130
    except BrokenPipeError:
        # the reader went away (`fako inspect | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except SystemExit as exc:
        if debug:
            traceback.print_exc()
        ui.error(f"code fako ran ended the process (SystemExit {exc.code!r}) before the command finished")
        return 1
    except Exception as exc:  # a bug in fako itself: say so, without a wall of traceback
        if debug:
            traceback.print_exc()
        ui.error(
            f"internal error: {type(exc).__name__}: {exc}\n(this is a bug in fako; run with --debug for a traceback)"
        )
        return 1


def _run_or_usage(argv: Sequence[str] | None) -> int:
    try:
        return run(argv)
    except SystemExit as exc:  # argparse: --help, --version, usage errors
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 2)


def main(argv: Sequence[str] | None = None) -> int:
    """The `fako` command: runs `run(argv)` supervised (fako.cli.supervise)."""
    from fako.cli import options
    from fako.cli.supervise import supervised

    options.OWN_PROCESS = True
    # One command, then the process ends: the cyclic collector's full passes over the
    # models and manifests (about a tenth of a second of a cold synth) free next to
    # nothing (reference counting frees the rest; peak memory is the same). `fako watch`,
    # which lives on, turns it back on.
    gc.disable()
    return supervised(lambda: _run_or_usage(argv))


if __name__ == "__main__":
    sys.exit(main())
