"""`fako diff`: what a render changes in the cluster, compared with the build branch."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fako.cli.options import common

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `diff` subcommand."""
    parser = sub.add_parser(
        "diff",
        parents=[common()],
        help="show the objects a render adds, removes and changes",
        description=(
            "Compare the rendered dist/ with the build branch (or any git ref or directory)"
            " object by object: added, removed and changed objects per layer and app, with"
            " the changed fields. Secret values are never shown."
        ),
    )
    parser.add_argument(
        "--against",
        default="build",
        metavar="BRANCH|REF|DIR",
        help="branch, git ref or directory to compare with (default: build, else <remote>/build);"
        " a ref wins over a directory of the same name, write ./DIR for the directory",
    )
    parser.add_argument("--dist", type=Path, help="the new render (default: REPO/dist)")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument("--exit-code", action="store_true", help="exit 1 when anything changed")
    parser.add_argument("--repo", type=Path, default=Path("."), help="git checkout for refs (default: .)")
    parser.add_argument("--remote", default="origin", help="remote whose branch is the fallback (default: origin)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Print the diff; with --exit-code return 1 when there are changes."""
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.diff import compute, load_against, load_dir, render

    repo: Path = args.repo
    after = load_dir(args.dist if args.dist is not None else repo / "dist")
    before, label = load_against(args.against, repo, args.remote)
    diff = compute(before, after)
    sys.stdout.write(render(diff, args.format, against=label))
    return 1 if args.exit_code and not diff.empty else 0
