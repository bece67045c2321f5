"""`fako publish`: commit `dist/` as the build branch Flux reads, optionally pushing it."""

from __future__ import annotations

import argparse
from pathlib import Path

from fako.cli.options import common

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `publish` subcommand."""
    parser = sub.add_parser(
        "publish",
        parents=[common()],
        help="commit dist/ as the whole tree of the build branch (and push it)",
        description=(
            "Commit the rendered dist/ as the whole tree of the build branch with git plumbing:"
            " the checkout's work tree and index are never touched. A render identical to the"
            " branch tip makes no commit. With --push, a push that loses a race with another run"
            " is rebuilt on the new tip and retried."
        ),
    )
    parser.add_argument("--dist", type=Path, help="rendered tree to publish (default: REPO/dist)")
    parser.add_argument("--branch", default="build", help="branch to publish to (default: build)")
    parser.add_argument("--remote", default="origin", help="remote to push to (default: origin)")
    parser.add_argument("--push", action="store_true", help="push the branch to the remote")
    parser.add_argument("--message", help="commit title (default: 'Rendered from <sha>: <subject>')")
    parser.add_argument("--repo", type=Path, default=Path("."), help="source git checkout (default: .)")
    parser.add_argument("--retries", type=int, default=5, help="push retries after losing a race (default: 5)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Publish and print one line saying what happened."""
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.publish import publish

    repo: Path = args.repo
    result = publish(
        dist=args.dist if args.dist is not None else repo / "dist",
        repo=repo,
        branch=args.branch,
        remote=args.remote or None,
        push=args.push,
        message=args.message,
        retries=args.retries,
    )
    print(result.describe())
    return 0
