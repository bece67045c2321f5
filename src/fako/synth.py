"""`synth`: render a cluster, check it, and replace `dist/` atomically.

The tree is written into a temporary folder beside `dist/`, checked, and only then
swapped in with one `renameat2(RENAME_EXCHANGE)` (two renames where the kernel lacks it,
with recovery on the next run), so a failure or a kill never leaves a half-written
`dist/`. Stale files disappear because the whole tree is replaced.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from fako.definition import ClusterDefinition, build
from fako.errors import FakoError, Problem, SpecError
from fako.render import Render, render, write_tree
from fako.tree import Cluster

__all__ = ["SynthResult", "diff_trees", "load_definition", "swap_in", "synth"]

Check = Callable[[Cluster, Render], None]


@dataclass
class SynthResult:
    """What a synth produced: the render, and for `--check` the files that differ."""

    render: Render
    stale: list[str] = field(default_factory=list)


def load_definition(name: str) -> ClusterDefinition:
    """The definition of cluster `name` (module `fako.clusters.<name>`, attribute `CLUSTER`)."""
    try:
        module = importlib.import_module(f"fako.clusters.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"fako.clusters.{name}":
            raise FakoError(f"no cluster named {name!r} (expected module fako.clusters.{name})") from None
        raise
    definition = getattr(module, "CLUSTER", None)
    if not isinstance(definition, ClusterDefinition):
        raise FakoError(f"fako.clusters.{name} defines no CLUSTER = ClusterDefinition(...)")
    return definition


def _tree_files(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def diff_trees(files: dict[str, bytes], root: Path) -> list[str]:
    """Relative paths that differ between rendered `files` and the tree at `root`."""
    existing = _tree_files(root)
    return sorted(p for p in set(files) | set(existing) if files.get(p) != existing.get(p))


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2; False when the platform cannot."""
    # The interpreter's own symbols include libc's: no `ldconfig` subprocess to find it.
    fn = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if fn is None:
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(rc == 0)


def _backup(out: Path) -> Path:
    return out.with_name(f".{out.name}.fako-old")


def recover(out: Path) -> None:
    """Put back a `dist/` left aside by an interrupted swap; drop renders a kill left behind."""
    if out.parent.is_dir():
        for leftover in out.parent.glob(f".{out.name}.fako-new-*"):
            shutil.rmtree(leftover, ignore_errors=True)
    old = _backup(out)
    if old.is_dir() and not out.exists():
        old.rename(out)
    elif old.is_dir():
        shutil.rmtree(old)


def swap_in(new: Path, out: Path) -> None:
    """Make `new` become `out`, atomically where the kernel allows."""
    if not out.exists():
        new.rename(out)
        return
    if _exchange(new, out):
        shutil.rmtree(new)
        return
    old = _backup(out)
    out.rename(old)
    new.rename(out)
    shutil.rmtree(old)


def synth(
    definition: ClusterDefinition,
    out: Path,
    *,
    include_disabled: bool = False,
    check_only: bool = False,
    root: Path | None = None,
    checks: list[Check] | None = None,
    require_secrets: bool = False,
) -> SynthResult:
    """Render `definition` into `out` (or, with `check_only`, compare without writing)."""
    recover(out)
    cluster = build(definition, include_disabled=include_disabled, root=root)
    result = render(cluster)
    if require_secrets:
        result.problems.extend(
            Problem(
                f"app '{absent.app}'",
                f"encrypted file {absent.file} is missing",
                fix="put the owner's SOPS file there, or render without --require-secrets",
            )
            for absent in result.absent
        )
    if result.problems:
        raise SpecError(result.problems)
    for check in checks or []:
        check(cluster, result)
    if check_only:
        return SynthResult(result, diff_trees(result.files, out))
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.fako-new-", dir=out.parent))
    try:
        write_tree(result.files, tmp)
        os.chmod(tmp, 0o755)
        swap_in(tmp, out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return SynthResult(result)
