"""`fako completion bash|zsh`: print a shell completion script for every command and option.

eval "$(fako completion bash -q)"     # in ~/.bashrc (-q: no summary line at each shell start)
eval "$(fako completion zsh -q)"      # in ~/.zshrc, after compinit

The script is generated from fako's own argparse parser by `shtab`, so it completes
exactly the commands, options and choices this version has.
"""

from __future__ import annotations

import argparse
import sys

from fako.cli import ui
from fako.cli.options import common

__all__ = ["register", "run"]

SHELLS = ("bash", "zsh")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fako completion` to the command line."""
    p = sub.add_parser(
        "completion",
        parents=[common()],
        help="print a bash or zsh completion script",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    p.set_defaults(func=run)


def script(shell: str) -> str:
    """The completion script of the full `fako` parser for `shell`."""
    import shtab

    from fako.cli.main import build_parser

    text = shtab.complete(build_parser(), shell=shell)
    assert isinstance(text, str)
    return text if text.endswith("\n") else text + "\n"


def run(args: argparse.Namespace) -> int:
    """Print the script on stdout."""
    sys.stdout.write(script(args.shell))
    sys.stdout.flush()
    ui.info(f'printed the {args.shell} completion script; load it with: eval "$(fako completion {args.shell} -q)"')
    return 0
