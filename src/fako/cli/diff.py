"""`fako diff`: what a change does to the rendered cluster, object by object.

    fako diff                                   # your working tree against HEAD, both rendered now
    fako diff --base origin/main --head HEAD    # two commits, each rendered by its own code (the PR check)
    fako diff --against build                   # the working tree against the published build branch

Both sides are rendered fresh with switched-off apps included (marked "off"), so a
change to a disabled app shows too; a stale `dist/` is never read unless `--dist` names
it. `--against` compares with a tree that is already rendered (the build branch, a
folder). Secret values are never shown.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from fako.cli import options, ui
from fako.cli.options import add_cache_option, common
from fako.errors import UsageError

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `diff` subcommand."""
    parser = sub.add_parser(
        "diff",
        parents=[common()],
        help="show the objects a change adds, removes and changes in the rendered cluster",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--base", metavar="REF", help="the commit to compare from, rendered by its own code (default: HEAD)"
    )
    parser.add_argument("--head", metavar="REF", help="the commit to compare to (default: the working tree)")
    parser.add_argument(
        "--against",
        metavar="BRANCH|REF|DIR",
        help="compare with an already rendered tree instead of --base: the build branch, a ref of it, a folder",
    )
    parser.add_argument("--dist", type=Path, metavar="DIR", help="use this rendered folder as the new side")
    parser.add_argument("--cluster", default="staging", help="cluster to render (default: staging)")
    parser.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    parser.add_argument("--exit-code", action="store_true", help="exit 1 when anything changed")
    parser.add_argument("--repo", type=Path, default=Path("."), help="git checkout for refs (default: .)")
    parser.add_argument("--remote", default="origin", help="remote whose branch is the fallback (default: origin)")
    add_cache_option(parser)
    parser.set_defaults(func=run)


def _working_tree(args: argparse.Namespace) -> tuple[dict[str, bytes], frozenset[str]]:
    """The working tree's render (switched-off units included, no checks): the render cache's
    when nothing changed, else built reusing every unchanged unit."""
    from fako.cli.options import render_cache
    from fako.current import current_render

    cache = render_cache(args, args.cluster, True)
    current = current_render(args.cluster, include_disabled=True, cache=cache, stand_ins=options.OWN_PROCESS)
    return current.render.files, current.off


def run(args: argparse.Namespace) -> int:
    """Print the diff; with --exit-code return 1 when there are changes."""
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.diff import compute, load_against, load_dir, load_files, render
    from fako.gitrender import render_ref
    from fako.gitutil import open_repo

    if args.against and args.base:
        raise UsageError("give --base (a commit to render) or --against (a rendered tree), not both")
    if args.dist is not None and args.head:
        raise UsageError("give --head (a commit to render) or --dist (a rendered folder), not both")
    repo: Path = args.repo
    with tempfile.TemporaryDirectory(prefix="fako-diff-") as tmp:
        work = Path(tmp)
        off: frozenset[str] = frozenset()
        if args.dist is not None:
            after, head_label = load_dir(args.dist), str(args.dist)
        elif args.head:
            rendered = render_ref(open_repo(repo), args.head, work, cluster=args.cluster)
            after, off, head_label = load_dir(rendered.dist), rendered.off, f"{args.head} ({rendered.commit[:12]})"
        else:
            files, off = _working_tree(args)
            after, head_label = load_files(files), "the working tree"
        if args.against:
            before, base_label = load_against(args.against, repo, args.remote)
        else:
            base = args.base or "HEAD"
            rendered = render_ref(open_repo(repo), base, work, cluster=args.cluster)
            before, base_label = load_dir(rendered.dist), f"{base} ({rendered.commit[:12]})"
            off = off | rendered.off if args.head or args.dist else off
        diff = compute(before, after, off=off)
    sys.stdout.write(render(diff, args.format, against=base_label))
    ui.info(f"{diff.summary()}: {head_label} against {base_label}")
    return 1 if args.exit_code and not diff.empty else 0
