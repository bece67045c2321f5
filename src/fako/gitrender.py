"""Rendering a git ref as that ref renders itself, without touching the checkout.

`fako diff --base origin/main --head HEAD` compares two commits of the cluster's source,
so each must be rendered by *its own* code: a ref's tree is read with git plumbing
(`git archive`, extracted with tarfile's safe `data` filter into a temporary folder),
then that tree's fako renders it in a subprocess (`python -m fako synth
--include-disabled`), with the tree's `src/` first on the import path. The checkout,
its index and its working tree are never read or written; the switched-off units are
read from the tree's own cluster definition, so a diff can mark them.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from fako.errors import FakoError
from fako.gitutil import Git, GitError
from fako.text import shown

__all__ = ["RefRender", "render_ref"]

_UNITS = (
    "import json, sys; from fako.synth import load_definition; d = load_definition(sys.argv[1]); "
    "print(json.dumps([[l.name, u.app.name, bool(u.enabled)] for l in d.layers for u in l.units]))"
)


@dataclass(frozen=True)
class RefRender:
    """A ref rendered by its own code: the render folder and the switched-off units (`layer/app`)."""

    ref: str
    commit: str
    dist: Path
    off: frozenset[str]


def _checked_members(archive: tarfile.TarFile, into: Path) -> list[tarfile.TarInfo]:
    """The members tarfile's `data` filter would let through, for a Python without it
    (before 3.11.4): no absolute or `..` paths, no device files, no links leading out."""
    root = os.path.realpath(into)
    members = []
    for member in archive.getmembers():
        name = member.name
        target = os.path.realpath(os.path.join(root, name))
        if os.path.isabs(name) or ".." in Path(name).parts or not target.startswith(root + os.sep):
            raise FakoError(f"git archive holds a path outside the tree: {shown(repr(name))}")
        if not (member.isfile() or member.isdir() or member.issym() or member.islnk()):
            raise FakoError(f"git archive holds a special file: {shown(repr(name))}")
        if member.issym() or member.islnk():
            link = member.linkname
            base = os.path.dirname(target) if member.issym() else root
            if os.path.isabs(link) or not os.path.realpath(os.path.join(base, link)).startswith(root + os.sep):
                raise FakoError(f"git archive holds a link out of the tree: {shown(repr(name))} -> {shown(repr(link))}")
        members.append(member)
    return members


def _export(git: Git, commit: str, into: Path) -> None:
    proc = git.run("archive", "--format=tar", commit)
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as archive:
        if hasattr(tarfile, "data_filter"):
            archive.extractall(into, filter="data")  # no links out, no absolute paths, no device files
        else:
            archive.extractall(into, members=_checked_members(archive, into))


def _environment(tree: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = str(tree / "src")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def render_ref(git: Git, ref: str, workdir: Path, *, cluster: str = "staging") -> RefRender:
    """Render `ref` of the repository `git` with that ref's own fako, under `workdir`."""
    commit = git.resolve(f"{ref}^{{commit}}")
    if commit is None:
        raise FakoError(f"{shown(ref)}: no such commit, branch or tag (fetch it first?)")
    tree = Path(tempfile.mkdtemp(prefix="tree-", dir=workdir))
    try:
        _export(git, commit, tree)
    except (GitError, tarfile.TarError) as exc:
        raise FakoError(f"cannot read {shown(ref)} from git: {shown(exc)}") from exc
    if not (tree / "src" / "fako" / "__init__.py").is_file():
        raise FakoError(f"{shown(ref)} ({commit[:12]}) holds no src/fako: not a fako checkout")
    dist = workdir / f"render-{commit[:12]}"
    env = _environment(tree)
    synth = subprocess.run(
        [sys.executable, "-m", "fako", "synth", "--cluster", cluster, "--include-disabled", "--out", str(dist)],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
    )
    if synth.returncode != 0:
        tail = "\n".join(synth.stderr.strip().splitlines()[-8:])
        raise FakoError(f"{shown(ref)} ({commit[:12]}) does not render:\n{tail}")
    units = subprocess.run([sys.executable, "-c", _UNITS, cluster], cwd=tree, env=env, capture_output=True, text=True)
    off: frozenset[str] = frozenset()
    if units.returncode == 0:
        try:
            off = frozenset(f"{layer}/{app}" for layer, app, on in json.loads(units.stdout) if not on)
        except (ValueError, TypeError):
            off = frozenset()
    return RefRender(ref, commit, dist, off)
