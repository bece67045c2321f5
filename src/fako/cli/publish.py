"""`fako publish`: commit a fresh render as the build branch Flux reads, optionally pushing it.

    fako publish --push            # render (enabled apps), validate, commit, push
    fako publish --dist DIR        # publish a tree rendered before (e.g. by `fako synth`)

The render is committed as the whole tree of the build branch with git plumbing: the
checkout's work tree and index are never touched. The commit names its source commit,
so a checkout with uncommitted changes is refused (`--allow-dirty` records it instead).
A render identical to the branch tip makes no commit; a push that loses a race with
another run is rebuilt on the new tip and retried.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

from fako.cli import ui
from fako.cli.options import add_format, common

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `publish` subcommand."""
    parser = sub.add_parser(
        "publish",
        parents=[common()],
        help="commit a fresh render as the whole tree of the build branch (and push it)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--dist", type=Path, help="publish this rendered tree instead of rendering now")
    parser.add_argument("--cluster", default="staging", help="cluster to render (default: staging)")
    parser.add_argument("--branch", default="build", help="branch to publish to (default: build)")
    parser.add_argument("--remote", default="origin", help="remote to push to (default: origin)")
    parser.add_argument("--push", action="store_true", help="push the branch to the remote")
    parser.add_argument("--message", help="commit title (default: 'Rendered from <sha>: <subject>')")
    parser.add_argument("--repo", type=Path, default=Path("."), help="source git checkout (default: .)")
    parser.add_argument("--retries", type=int, default=5, help="push retries after losing a race (default: 5)")
    parser.add_argument(
        "--allow-dirty", action="store_true", help="publish from a checkout with uncommitted changes (recorded)"
    )
    add_format(parser)
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Publish and print one line saying what happened."""
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.publish import publish

    repo: Path = args.repo
    with tempfile.TemporaryDirectory(prefix="fako-publish-render-") as tmp:
        dist = args.dist
        if dist is None:
            from fako.checks import synth_checks
            from fako.synth import load_definition, synth

            definition = load_definition(args.cluster)
            dist = Path(tmp) / "dist"
            synth(definition, dist, checks=synth_checks(definition), root=repo.resolve())
        result = publish(
            dist=dist,
            repo=repo,
            branch=args.branch,
            remote=args.remote or None,
            push=args.push,
            message=args.message,
            retries=args.retries,
            allow_dirty=args.allow_dirty,
        )
    if args.format == "json":
        sys.stdout.write(json.dumps(dataclasses.asdict(result), indent=2, sort_keys=True) + "\n")
    ui.info(result.describe())
    return 0
