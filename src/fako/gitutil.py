"""A small wrapper around the `git` command line: run it, read its output, fail clearly."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from fako.errors import FakoError

__all__ = ["Git", "GitError", "TreeEntry", "open_repo"]

# Git's messages are parsed in a few places (push rejections, missing remote refs): keep them English.
_BASE_ENV = {"LC_ALL": "C", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0"}


class GitError(FakoError):
    """A git command failed; the message carries git's own explanation."""


@dataclass(frozen=True)
class TreeEntry:
    """One blob of a git tree listed recursively: mode, object id and path from the tree root."""

    mode: str
    oid: str
    path: str


@dataclass(frozen=True)
class Git:
    """Runs git in `cwd` with `env` added to the process environment."""

    cwd: Path
    env: Mapping[str, str] = field(default_factory=dict)

    def run(
        self, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        """Run `git ARGS`; raise `GitError` with git's stderr when it fails and `check` is set."""
        full_env = {**os.environ, **_BASE_ENV, **self.env, **(env or {})}
        try:
            proc = subprocess.run(
                ["git", *args], cwd=self.cwd, input=input, env=full_env, capture_output=True, check=False
            )
        except FileNotFoundError as exc:
            raise GitError("git is not installed (no `git` on PATH)") from exc
        if check and proc.returncode != 0:
            raise GitError(f"git {' '.join(args[:2])} failed: {_stderr(proc)}")
        return proc

    def text(self, *args: str, input: bytes | None = None, env: Mapping[str, str] | None = None) -> str:
        """Run `git ARGS` and return its stdout without the trailing newline."""
        return self.run(*args, input=input, env=env).stdout.decode("utf-8", "replace").rstrip("\n")

    def ok(self, *args: str) -> bool:
        """True when `git ARGS` exits 0 (for yes/no questions such as `merge-base --is-ancestor`)."""
        return self.run(*args, check=False).returncode == 0

    def resolve(self, rev: str) -> str | None:
        """The object id `rev` names, or None when it names nothing."""
        if rev.startswith("-"):
            return None
        proc = self.run("rev-parse", "--verify", "--quiet", rev, check=False)
        if proc.returncode != 0:
            return None
        return proc.stdout.decode().strip() or None

    def ls_tree(self, treeish: str) -> Iterator[TreeEntry]:
        """Every blob under `treeish`, recursively, in git's (sorted) order."""
        out = self.run("ls-tree", "-r", "-z", "--full-tree", treeish).stdout
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, path = record.partition(b"\t")
            mode, kind, oid = meta.decode().split(" ")
            if kind == "blob":
                yield TreeEntry(mode, oid, path.decode("utf-8", "surrogateescape"))

    def read_blobs(self, oids: list[str]) -> dict[str, bytes]:
        """The content of each blob in `oids`, read through one `git cat-file --batch`."""
        if not oids:
            return {}
        unique = sorted(set(oids))
        out = self.run("cat-file", "--batch", input="".join(f"{o}\n" for o in unique).encode()).stdout
        blobs: dict[str, bytes] = {}
        pos = 0
        for _ in unique:
            eol = out.index(b"\n", pos)
            oid, kind, size = out[pos:eol].decode().split(" ")
            if kind != "blob":
                raise GitError(f"object {oid} is a {kind}, not a file")
            start = eol + 1
            blobs[oid] = out[start : start + int(size)]
            pos = start + int(size) + 1
        return blobs


def open_repo(path: Path) -> Git:
    """A `Git` at the top of the work tree containing `path`; `GitError` when there is none."""
    if not path.is_dir():
        raise GitError(f"{path} is not a directory")
    proc = Git(path).run("rev-parse", "--show-toplevel", check=False)
    if proc.returncode != 0:
        raise GitError(f"{path.resolve()} is not inside a git repository (with a work tree)")
    return Git(Path(proc.stdout.decode().strip()))


def _stderr(proc: subprocess.CompletedProcess[bytes]) -> str:
    text = (proc.stderr or proc.stdout or b"").decode("utf-8", "replace").strip()
    return text.replace("\n", " | ") or f"exit code {proc.returncode}"
