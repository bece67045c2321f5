"""Commit the rendered `dist/` as the whole tree of the build branch Flux reads, and push it.

Only git plumbing is used (hash-object, a temporary index, write-tree, commit-tree,
update-ref): the checkout's work tree, index and HEAD are never touched, so publishing works
from a dirty checkout and from CI alike. The commit records the source commit in trailers
and in `.fako-build.json`; a render identical to the branch tip makes no commit.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from fako import __version__
from fako.errors import FakoError
from fako.gitutil import Git, GitError, open_repo

__all__ = ["METADATA_FILE", "PublishResult", "publish", "uncommitted"]

METADATA_FILE = ".fako-build.json"
_FALLBACK_NAME = "fako"
_FALLBACK_EMAIL = "fako@localhost"
# Push rejections that mean "someone else moved the branch first": fetch, rebuild, retry.
_RACE_REASONS = (
    "fetch first",
    "non-fast-forward",
    "cannot lock ref",
    "failed to update ref",
    "incorrect old value",
    "stale info",
)

Status = Literal["created", "unchanged", "superseded"]


@dataclass(frozen=True)
class PublishResult:
    """What `publish` did.

    `commit` is the branch tip afterwards and `tree` its tree. `status` is `created` (a new
    commit), `unchanged` (the tip already holds this render) or `superseded` (while retrying,
    another run published a newer source commit, so this older render was dropped).
    `attempts` counts push attempts (0 without `push`).
    """

    branch: str
    commit: str
    tree: str
    source_commit: str
    status: Status
    pushed: bool
    attempts: int
    remote: str | None = None

    @property
    def created(self) -> bool:
        """True when a new commit was made."""
        return self.status == "created"

    def describe(self) -> str:
        """One line for the user."""
        short = self.commit[:12]
        where = f"{self.remote}/{self.branch}" if self.remote else self.branch
        if self.status == "superseded":
            return f"not published: {where} already holds a render of a newer source commit ({short})"
        if self.status == "unchanged":
            text = f"no change: {self.branch} ({short}) already holds this render; nothing committed"
        else:
            text = f"committed {short} on {self.branch} (from source {self.source_commit[:12]})"
        if self.pushed:
            tries = f" after {self.attempts} attempts" if self.attempts > 1 else ""
            text += f"; pushed to {where}{tries}"
        return text


@dataclass(frozen=True)
class _Source:
    repository: str
    commit: str
    short: str
    subject: str
    dirty: bool = False

    def metadata(self, source_commit: str | None = None) -> bytes:
        data: dict[str, object] = {
            "fako_version": __version__,
            "source_commit": source_commit or self.commit,
            "source_repository": self.repository,
        }
        if self.dirty:
            data["source_dirty"] = True
        return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()


def uncommitted(git: Git, ignore: Path | None = None) -> list[str]:
    """Paths of the checkout with changes not in its HEAD commit (tracked or untracked, not
    ignored), leaving out the rendered tree `ignore` when it lies inside the checkout."""
    top = Path(git.text("rev-parse", "--show-toplevel"))
    skip = ""
    if ignore is not None:
        resolved = ignore.resolve()
        if resolved.is_relative_to(top):
            skip = resolved.relative_to(top).as_posix().rstrip("/") + "/"
    out = git.run("status", "--porcelain=v1", "-z", "--untracked-files=all").stdout.decode("utf-8", "replace")
    paths = []
    entries = out.split("\0")
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        if entry[0] in "RC":
            i += 1  # a rename's source path follows
        path = entry[3:]
        if skip and (path + "/").startswith(skip):
            continue
        paths.append(path)
    return sorted(paths)


def publish(
    dist: Path,
    repo: Path,
    branch: str = "build",
    remote: str | None = "origin",
    push: bool = False,
    message: str | None = None,
    retries: int = 5,
    allow_dirty: bool = False,
) -> PublishResult:
    """Commit `dist` as the whole tree of `branch` in the git repository at `repo`.

    The build commit names its source commit, so the checkout must hold exactly that
    commit: uncommitted changes (other than the render itself) are refused, unless
    `allow_dirty`, which records `Source-Dirty: true` in the commit and its metadata.

    The new commit's parent is the branch tip (local, or `remote`'s when that is ahead);
    the first publish makes an orphan branch. With `push`, the branch is pushed to `remote`;
    when another run pushed first, the same tree is committed again on the new tip and the
    push retried, at most `retries` more times, so history stays linear and nothing is lost.
    `message` replaces the commit's title; the Source-* trailers are always added.
    """
    git = open_repo(repo)
    _check_branch(git, branch)
    remote = _check_remote(git, remote, push)
    source = _source(git, remote)
    dirty = uncommitted(git, ignore=dist)
    if dirty and not allow_dirty:
        sample = ", ".join(dirty[:3]) + (", ..." if len(dirty) > 3 else "")
        raise FakoError(
            f"the checkout has uncommitted changes ({len(dirty)} paths: {sample}): the build would name commit "
            f"{source.short} but hold something else; commit them, or publish with --allow-dirty "
            "(recorded as Source-Dirty: true)"
        )
    if dirty:
        source = dataclasses.replace(source, dirty=True)
    files = _dist_files(dist)
    with tempfile.TemporaryDirectory(prefix="fako-publish-") as tmp:
        trees = _TreeBuilder(git, Path(tmp) / "index")
        trees.add_files(files)
        committer = _Committer(git, trees, source, message, _identity_env(git))
        return _Publisher(git, committer, branch, remote, source, retries).run(push)


class _TreeBuilder:
    """Builds trees in a temporary index (GIT_INDEX_FILE), never the checkout's."""

    def __init__(self, git: Git, index: Path) -> None:
        self._git = git
        self._env = {"GIT_INDEX_FILE": str(index)}
        self._cache: dict[bytes, str] = {}

    def add_files(self, files: list[tuple[str, Path]]) -> None:
        paths = "".join(f"{p}\n" for _, p in files).encode("utf-8", "surrogateescape")
        oids = self._git.text("hash-object", "-w", "--no-filters", "--stdin-paths", input=paths).split()
        records = "".join(f"100644 {oid}\t{rel}\0" for (rel, _), oid in zip(files, oids, strict=True))
        self._update_index("-z", "--index-info", input=records.encode("utf-8", "surrogateescape"))

    def tree_with_metadata(self, content: bytes) -> str:
        """The tree of the added files plus the metadata file holding `content`."""
        if content not in self._cache:
            oid = self._git.text("hash-object", "-w", "--no-filters", "--stdin", input=content)
            self._update_index("--add", "--cacheinfo", f"100644,{oid},{METADATA_FILE}")
            self._cache[content] = self._git.text("-c", "core.splitIndex=false", "write-tree", env=self._env)
        return self._cache[content]

    def _update_index(self, *args: str, input: bytes | None = None) -> None:
        self._git.run("-c", "core.splitIndex=false", "update-index", *args, input=input, env=self._env)


class _Committer:
    """Makes the commit for a base: or returns the base when it already holds this render."""

    def __init__(
        self, git: Git, trees: _TreeBuilder, source: _Source, message: str | None, env: dict[str, str]
    ) -> None:
        self._git = git
        self._trees = trees
        self._source = source
        self._message = message
        self._env = env

    def tree(self) -> str:
        return self._trees.tree_with_metadata(self._source.metadata())

    def commit_on(self, base: str | None) -> tuple[str, bool]:
        """(commit, created): a new commit of the render on `base`, or `base` if unchanged."""
        if base is not None:
            # Same render from another source commit: compare with the tip's source_commit.
            theirs = _read_metadata(self._git, base).get("source_commit")
            normalized = self._source.metadata(theirs if isinstance(theirs, str) else None)
            if self._trees.tree_with_metadata(normalized) == self._git.text("rev-parse", f"{base}^{{tree}}"):
                return base, False
        parents = ["-p", base] if base else []
        text = self._commit_message().encode()
        commit = self._git.text("commit-tree", self.tree(), *parents, "-F", "-", input=text, env=self._env)
        return commit, True

    def _commit_message(self) -> str:
        s = self._source
        title = (self._message or "").strip() or f"Rendered from {s.short}: {s.subject}"
        dirty = "Source-Dirty: true\n" if s.dirty else ""
        return (
            f"{title}\n\nSource-Repository: {s.repository}\nSource-Commit: {s.commit}\n{dirty}"
            f"Fako-Version: {__version__}\n"
        )


class _Publisher:
    """Moves the local branch (and, with push, the remote one) to the render, retrying races."""

    def __init__(
        self, git: Git, committer: _Committer, branch: str, remote: str | None, source: _Source, retries: int
    ) -> None:
        self._git = git
        self._committer = committer
        self._branch = branch
        self._remote = remote
        self._source = source
        self._retries = max(0, retries)
        self._local_ref = f"refs/heads/{branch}"
        self._tracking_ref = f"refs/remotes/{remote}/{branch}" if remote else None

    def run(self, push: bool) -> PublishResult:
        remote_tip = self._fetch() if push else None
        local = self._git.resolve(self._local_ref)
        tracking = self._git.resolve(self._tracking_ref) if self._tracking_ref else None
        base = self._choose_base(local, tracking, push)
        attempts = 0
        while True:
            commit, created = self._committer.commit_on(base)
            status: Status = "created" if created else "unchanged"
            self._set_local(commit)
            if not push or commit == remote_tip:
                return self._result(commit, status, pushed=False, attempts=attempts)
            attempts += 1
            if self._push(commit):
                return self._result(commit, status, pushed=True, attempts=attempts)
            if attempts > self._retries:
                raise FakoError(
                    f"push of {self._branch} to {self._remote} was rejected {attempts} times: other runs"
                    " keep publishing at the same moment; run `fako publish --push` again"
                )
            remote_tip = self._fetch()
            if remote_tip is not None and self._is_newer_source(remote_tip):
                return self._result(remote_tip, "superseded", pushed=False, attempts=attempts)
            base = remote_tip

    def _choose_base(self, local: str | None, tracking: str | None, push: bool) -> str | None:
        if local is None or tracking is None or local == tracking:
            return local or tracking
        if self._git.ok("merge-base", "--is-ancestor", tracking, local):
            return local
        if self._git.ok("merge-base", "--is-ancestor", local, tracking):
            return tracking
        # Diverged: a push can only fast-forward the remote, so build on it.
        return tracking if push else local

    def _set_local(self, commit: str) -> None:
        old = self._git.resolve(self._local_ref)
        if old != commit:
            expected = old or "0" * len(commit)
            self._git.run("update-ref", "-m", "fako publish", self._local_ref, commit, expected)

    def _fetch(self) -> str | None:
        assert self._remote is not None and self._tracking_ref is not None
        refspec = f"+{self._local_ref}:{self._tracking_ref}"
        proc = self._git.run("fetch", "--quiet", "--no-tags", self._remote, refspec, check=False)
        if proc.returncode == 0:
            return self._git.resolve(self._tracking_ref)
        err = proc.stderr.decode("utf-8", "replace")
        if "couldn't find remote ref" in err:
            if self._git.resolve(self._tracking_ref):
                self._git.run("update-ref", "-d", self._tracking_ref)
            return None
        raise GitError(f"could not fetch {self._branch} from {self._remote}: {err.strip()}")

    def _push(self, commit: str) -> bool:
        """True when pushed; False when another run moved the remote branch first."""
        assert self._remote is not None
        proc = self._git.run("push", "--porcelain", self._remote, f"{commit}:{self._local_ref}", check=False)
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            fields = line.split("\t")
            if len(fields) >= 3 and fields[1].endswith(f":{self._local_ref}"):
                if fields[0].strip() != "!":
                    return True
                if any(reason in fields[2] for reason in _RACE_REASONS):
                    return False
                raise FakoError(f"push to {self._remote} was refused: {fields[2]}")
        if proc.returncode == 0:
            return True
        err = proc.stderr.decode("utf-8", "replace").strip().replace("\n", " | ")
        raise FakoError(f"push of {self._branch} to {self._remote} failed: {err}")

    def _is_newer_source(self, tip: str) -> bool:
        theirs = _read_metadata(self._git, tip).get("source_commit")
        ours = self._source.commit
        return (
            isinstance(theirs, str)
            and theirs != ours
            and self._git.resolve(f"{theirs}^{{commit}}") is not None
            and self._git.ok("merge-base", "--is-ancestor", ours, theirs)
        )

    def _result(self, commit: str, status: Status, pushed: bool, attempts: int) -> PublishResult:
        return PublishResult(
            branch=self._branch,
            commit=commit,
            tree=self._git.text("rev-parse", f"{commit}^{{tree}}"),
            source_commit=self._source.commit,
            status=status,
            pushed=pushed,
            attempts=attempts,
            remote=self._remote if pushed or status == "superseded" else None,
        )


def _check_branch(git: Git, branch: str) -> None:
    if git.run("check-ref-format", "--branch", branch, check=False).returncode != 0 or branch.startswith("-"):
        raise FakoError(f"invalid branch name {branch!r}")
    if git.run("symbolic-ref", "-q", "HEAD", check=False).stdout.decode().strip() == f"refs/heads/{branch}":
        raise FakoError(
            f"{branch} is the branch checked out in {git.cwd}: publishing would rewrite it under your"
            " work tree; check out another branch or pass --branch"
        )


def _check_remote(git: Git, remote: str | None, push: bool) -> str | None:
    if remote and remote in git.text("remote").split():
        return remote
    if push:
        raise FakoError(f"cannot push: the repository has no remote named {remote or '(none)'!r}")
    return None


def _source(git: Git, remote: str | None) -> _Source:
    head = git.resolve("HEAD^{commit}")
    if head is None:
        raise FakoError(f"{git.cwd} has no commit yet: commit first, publish records the source commit")
    repository = _public_url(git.text("remote", "get-url", remote)) if remote else str(git.cwd)
    return _Source(
        repository=repository,
        commit=head,
        short=git.text("rev-parse", "--short", head),
        subject=git.text("log", "-1", "--format=%s", head),
    )


def _public_url(url: str) -> str:
    """`url` without credentials (a CI token must never land in a commit)."""
    parts = urlsplit(url)
    if parts.scheme and "@" in parts.netloc:
        return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
    return url


def _dist_files(dist: Path) -> list[tuple[str, Path]]:
    if not dist.is_dir():
        raise FakoError(f"{dist} does not exist or is not a directory: run `fako synth` first")
    files: list[tuple[str, Path]] = []
    for root, dirs, names in os.walk(dist):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            path = Path(root) / name
            rel = path.relative_to(dist).as_posix()
            if rel == METADATA_FILE:
                continue
            if "\n" in rel or not path.is_file():
                raise FakoError(f"cannot publish {path}: not a regular file with a plain name")
            files.append((rel, path.resolve()))
    if not files:
        raise FakoError(f"{dist} is empty: refusing to publish an empty tree (Flux would prune everything)")
    return sorted(files)


def _read_metadata(git: Git, commit: str) -> dict[str, object]:
    proc = git.run("cat-file", "blob", f"{commit}:{METADATA_FILE}", check=False)
    if proc.returncode != 0:
        return {}
    try:
        data = json.loads(proc.stdout)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _identity_env(git: Git) -> dict[str, str]:
    """Fallback author/committer for commit-tree, only for what neither env nor config sets."""
    out = git.run("config", "--get-regexp", r"^(user|author|committer)\.(name|email)$", check=False).stdout.decode(
        "utf-8", "replace"
    )
    config = dict(line.partition(" ")[::2] for line in out.splitlines())
    env: dict[str, str] = {}
    for role in ("author", "committer"):
        var = f"GIT_{role.upper()}"
        name = os.environ.get(f"{var}_NAME") or config.get(f"{role}.name") or config.get("user.name")
        email = (
            os.environ.get(f"{var}_EMAIL")
            or config.get(f"{role}.email")
            or config.get("user.email")
            or os.environ.get("EMAIL")
        )
        if not name:
            env[f"{var}_NAME"] = _FALLBACK_NAME
        if not email:
            env[f"{var}_EMAIL"] = _FALLBACK_EMAIL
    return env
