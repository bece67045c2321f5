"""Edges of `fako publish` that mutation testing found unchecked (tools/mutation/README.md).

Each test pins one behaviour exactly (a message, a parent commit, a result field, the
bytes of the metadata file) with real git repositories in temporary folders; expected
values are literals or built by hand with git, never by fako.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from fako import __version__
from fako.errors import FakoError
from fako.gitutil import Git, GitError
from fako.publish import (
    METADATA_FILE,
    PublishResult,
    _Committer,
    _identity_env,
    _public_url,
    _Publisher,
    publish,
    uncommitted,
)
from test_publish import IDENTITY, clone, git_bytes, interpose, write_tree
from test_publish import git_env as git_env  # the autouse fixture: no user git config, identity from env

FF = "\udcff"  # a file name byte that is not UTF-8 (0xff), as Python spells it in a str path


def git(cwd: Path, *args: str, env: Mapping[str, str] | None = None, input: bytes | None = None) -> str:
    proc = subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **(env or {})}, input=input
    )
    return proc.stdout.decode("utf-8", "surrogateescape").rstrip("\n")


def make_repo(path: Path) -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    write_tree(path, {"README.md": "cluster\n"})
    git(path, "add", "README.md")
    git(path, "commit", "-q", "-m", "Add the cluster")
    git(path, "commit", "-q", "--allow-empty", "-m", "Second commit")
    return path


def hand_commit(
    repo: Path, files: Mapping[str, bytes | str], parents: Sequence[str] = (), message: str = "by hand"
) -> str:
    """A commit holding exactly `files` (mode 100644), made with git plumbing, on no branch."""
    index = repo / ".git" / "hand-index"
    index.unlink(missing_ok=True)
    env = {"GIT_INDEX_FILE": str(index)}
    for rel, content in files.items():
        data = content.encode() if isinstance(content, str) else content
        oid = git(repo, "hash-object", "-w", "--stdin", input=data)
        git(repo, "update-index", "--add", "--cacheinfo", f"100644,{oid},{rel}", env=env)
    tree = git(repo, "write-tree", env=env)
    index.unlink()
    return git(repo, "commit-tree", tree, *[a for p in parents for a in ("-p", p)], "-m", message)


def toplevel(repo: Path) -> str:
    return git(repo, "rev-parse", "--show-toplevel")


def raw_message(repo: Path, commit: str) -> bytes:
    return git_bytes(repo, "cat-file", "commit", commit).split(b"\n\n", 1)[1]


def branch_files(repo: Path, ref: str) -> dict[bytes, bytes]:
    """path -> content of every file on `ref` (paths as bytes: some are not UTF-8)."""
    files = {}
    for record in git_bytes(repo, "ls-tree", "-r", "-z", ref).split(b"\0"):
        if record:
            meta, path = record.split(b"\t", 1)
            files[path] = git_bytes(repo, "cat-file", "blob", meta.split()[2].decode())
    return files


@pytest.fixture
def source(tmp_path: Path) -> Path:
    return make_repo(tmp_path / "src")


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "dist", {"apps/x/x.yaml": "x: 1\n", "flux/flux.yaml": "kind: GitRepository\n"})


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository holding `main`."""
    seed = make_repo(tmp_path / "seed")
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(seed, "push", "-q", str(bare), "main")
    return bare


# --- the commit: metadata file, message, identity ---------------------------------------------


def test_a_dirty_build_commit_and_metadata_byte_for_byte(source: Path, dist: Path) -> None:
    write_tree(source, {"README.md": "edited, not committed\n"})
    result = publish(dist, source, allow_dirty=True)

    head, short, top = git(source, "rev-parse", "HEAD"), git(source, "rev-parse", "--short", "HEAD"), toplevel(source)
    metadata = (
        "{\n"
        f'  "fako_version": "{__version__}",\n'
        f'  "source_commit": "{head}",\n'
        '  "source_dirty": true,\n'
        f'  "source_repository": "{top}"\n'
        "}\n"
    )
    message = (
        f"Rendered from {short}: Second commit\n\n"
        f"Source-Repository: {top}\nSource-Commit: {head}\nSource-Dirty: true\nFako-Version: {__version__}\n"
    )
    assert git_bytes(source, "cat-file", "blob", f"build:{METADATA_FILE}") == metadata.encode()
    assert raw_message(source, result.commit) == message.encode()
    assert git(source, "reflog", "show", "--format=%gs", "refs/heads/build") == "fako publish"


def test_too_many_uncommitted_paths_are_cut_to_three_in_the_refusal(source: Path, dist: Path) -> None:
    short = git(source, "rev-parse", "--short", "HEAD")
    write_tree(source, {"a.txt": "", "b.txt": "", "c.txt": "", "d.txt": ""})
    with pytest.raises(FakoError) as caught:
        publish(dist, source)
    assert str(caught.value) == (
        f"the checkout has uncommitted changes (4 paths: a.txt, b.txt, c.txt, ...): the build would name commit "
        f"{short} but hold something else; commit them, or publish with --allow-dirty "
        "(recorded as Source-Dirty: true)"
    )


def test_identity_fallbacks_fill_only_what_env_and_config_leave_unset(
    source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fallback = {
        "GIT_AUTHOR_NAME": "fako",
        "GIT_AUTHOR_EMAIL": "fako@localhost",
        "GIT_COMMITTER_NAME": "fako",
        "GIT_COMMITTER_EMAIL": "fako@localhost",
    }
    for key in IDENTITY:
        monkeypatch.delenv(key)
    repo = Git(source)
    assert _identity_env(repo) == fallback

    monkeypatch.setenv("GIT_AUTHOR_NAME", "A")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "C")
    assert _identity_env(repo) == {"GIT_AUTHOR_EMAIL": "fako@localhost", "GIT_COMMITTER_EMAIL": "fako@localhost"}
    monkeypatch.delenv("GIT_AUTHOR_NAME")
    monkeypatch.delenv("GIT_COMMITTER_NAME")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "a@example.test")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "c@example.test")
    assert _identity_env(repo) == {"GIT_AUTHOR_NAME": "fako", "GIT_COMMITTER_NAME": "fako"}
    monkeypatch.delenv("GIT_AUTHOR_EMAIL")
    monkeypatch.delenv("GIT_COMMITTER_EMAIL")

    # EMAIL is git's last resort for the address
    monkeypatch.setenv("EMAIL", "mail@example.test")
    assert _identity_env(repo) == {"GIT_AUTHOR_NAME": "fako", "GIT_COMMITTER_NAME": "fako"}
    monkeypatch.delenv("EMAIL")

    # author.* and committer.* (not only user.*) count
    roles = {"author.name": "A", "author.email": "a@x", "committer.name": "C", "committer.email": "c@x"}
    for key, value in roles.items():
        git(source, "config", key, value)
    assert _identity_env(repo) == {}
    git(source, "config", "--remove-section", "author")
    assert _identity_env(repo) == {"GIT_AUTHOR_NAME": "fako", "GIT_AUTHOR_EMAIL": "fako@localhost"}
    git(source, "config", "--remove-section", "committer")

    # a user.name that is not UTF-8 is still a name
    with (source / ".git" / "config").open("ab") as config:
        config.write(b"[user]\n\tname = \xff\n\temail = u@example.test\n")
    assert _identity_env(repo) == {}


# --- which paths count as uncommitted -----------------------------------------------------------


def test_uncommitted_reads_renames_short_names_and_undecodable_names(source: Path, tmp_path: Path) -> None:
    write_tree(source, {"old.txt": "old\n", "out": "a file, later the render's folder\n"})
    git(source, "add", "old.txt", "out")
    git(source, "commit", "-q", "-m", "Two files")
    git(source, "mv", "old.txt", "new.txt")  # staged rename: "R  new.txt\0old.txt\0"
    (source / "out").unlink()
    write_tree(source, {"out/a.yaml": "render\n", "x": "", "XXXXnotes.txt": "", "newdir/a": "", f"{FF}.txt": ""})
    repo = Git(source)

    assert uncommitted(repo, ignore=source / "out") == ["XXXXnotes.txt", "new.txt", "newdir/a", "x", "\ufffd.txt"]
    everything = ["XXXXnotes.txt", "new.txt", "newdir/a", "out", "out/a.yaml", "x", "\ufffd.txt"]
    assert uncommitted(repo) == everything
    assert uncommitted(repo, ignore=tmp_path / "elsewhere") == everything


@pytest.mark.parametrize("name", ["render", "render ", "renderX"])
def test_uncommitted_leaves_out_the_render_whatever_its_name(source: Path, name: str) -> None:
    write_tree(source, {f"{name}/a.yaml": "render\n", "render-notes.txt": ""})
    assert uncommitted(Git(source), ignore=source / name) == ["render-notes.txt"]


# --- the files of dist ---------------------------------------------------------------------------


def test_dist_files_skip_git_folders_and_a_stale_metadata_file(source: Path, tmp_path: Path) -> None:
    files: dict[str, bytes | str] = {f"file{i:02}.yaml": f"n: {i}\n" for i in range(20)}
    dist = write_tree(tmp_path / "dist", {METADATA_FILE: "stale\n", **files})
    write_tree(dist, {".git/HEAD": "ref: refs/heads/main\n", "apps/.git/config": "[core]\n", "apps/a.yaml": "a\n"})
    publish(dist, source)

    published = branch_files(source, "build")
    meta = published.pop(METADATA_FILE.encode())
    assert meta.startswith(b'{\n  "fako_version"')
    assert published == {**{k.encode(): str(v).encode() for k, v in files.items()}, b"apps/a.yaml": b"a\n"}

    # git itself would drop .git paths from the tree; a dist holding nothing else is empty
    only_git = write_tree(tmp_path / "only-git", {".git/HEAD": "ref: refs/heads/main\n"})
    with pytest.raises(FakoError) as caught:
        publish(only_git, source)
    assert str(caught.value) == f"{only_git} is empty: refusing to publish an empty tree (Flux would prune everything)"


def test_a_file_name_that_is_not_utf8_is_published_as_is(source: Path, tmp_path: Path) -> None:
    dist = write_tree(tmp_path / "dist", {f"apps/{FF}.yaml": "odd: name\n"})
    publish(dist, source)
    assert set(branch_files(source, "build")) == {b"apps/\xff.yaml", METADATA_FILE.encode()}
    assert branch_files(source, "build")[b"apps/\xff.yaml"] == b"odd: name\n"


@pytest.mark.parametrize("kind", ["newline", "dangling symlink"])
def test_a_file_that_is_not_plain_is_refused_by_name(source: Path, tmp_path: Path, kind: str) -> None:
    dist = write_tree(tmp_path / "dist", {"apps/ok.yaml": "ok\n"})
    bad = dist / "apps" / ("bad\nname.yaml" if kind == "newline" else "link.yaml")
    if kind == "newline":
        bad.write_text("x\n")
    else:
        bad.symlink_to(tmp_path / "missing.yaml")
    with pytest.raises(FakoError) as caught:
        publish(dist, source)
    assert str(caught.value) == f"cannot publish {bad}: not a regular file with a plain name"
    assert git(source, "branch", "--list", "build") == ""


def test_a_dist_path_holding_a_newline_never_publishes_another_file(source: Path, tmp_path: Path) -> None:
    """hash-object reads one path a line: a newline in dist's own path makes two paths of one
    file; the count mismatch must stop publishing rather than pair a.yaml with the decoy."""
    dist = write_tree(tmp_path / "odd\nname" / "dist", {"a.yaml": "real\n"})
    write_tree(tmp_path, {"odd": "decoy\n"})  # the first half of the split path
    write_tree(source, {"name/dist/a.yaml": "also a decoy\n"})  # the second half, relative to the repo
    (source / ".git" / "info" / "exclude").write_text("name/\n")
    with pytest.raises(ValueError, match="zip"):
        publish(dist, source)
    assert git(source, "branch", "--list", "build") == ""


# --- git plumbing: the temporary index and its folder -------------------------------------------


def test_the_temporary_index_lives_in_a_fako_publish_folder(
    source: Path, dist: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    seen = tmp_path / "seen.txt"
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    monkeypatch.setenv("WATCH", str(scratch))
    monkeypatch.setenv("WATCH_OUT", str(seen))
    hook = source / ".git" / "hooks" / "reference-transaction"  # runs when publish moves the branch
    hook.write_text('#!/bin/sh\ncd "$WATCH" && for d in *; do echo "$d: $(ls -A "$d")"; done >> "$WATCH_OUT"\n')
    hook.chmod(0o755)

    publish(dist, source)

    lines = set(seen.read_text().splitlines())
    assert len(lines) == 1 and re.fullmatch(r"fako-publish-[^/:]+: index", lines.pop())
    assert list(scratch.iterdir()) == []


def test_a_split_index_setting_leaves_no_shared_index_behind(source: Path, dist: Path) -> None:
    """With core.splitIndex on, a split temporary index would leave a sharedindex.* file in
    .git after its folder is gone (write-tree did so before it too got core.splitIndex=false)."""
    git(source, "config", "core.splitIndex", "true")
    os.utime(source / "README.md", (1_000_000_000, 1_000_000_000))  # not racily clean: status rewrites
    git(source, "status", "--porcelain")  # the checkout's own index now (split), not during publish
    before = sorted(p.name for p in (source / ".git").glob("sharedindex.*"))
    publish(dist, source)
    assert sorted(p.name for p in (source / ".git").glob("sharedindex.*")) == before


# --- the base of the new commit -----------------------------------------------------------------


def test_an_unchanged_render_compares_only_a_string_source_commit(source: Path, dist: Path) -> None:
    top = toplevel(source)
    files: dict[str, bytes | str] = {"apps/x/x.yaml": "x: 1\n", "flux/flux.yaml": "kind: GitRepository\n"}

    def meta(commit: str) -> str:
        return (
            f'{{\n  "fako_version": "{__version__}",\n  "source_commit": {commit},\n'
            f'  "source_repository": "{top}"\n}}\n'
        )

    # the same render from another source commit: nothing to commit
    same = hand_commit(source, {**files, METADATA_FILE: meta('"' + "e" * 40 + '"')})
    git(source, "update-ref", "refs/heads/build", same)
    assert publish(dist, source).status == "unchanged"
    # a source_commit that is no commit id at all: another render, so a new commit on it
    odd = hand_commit(source, {**files, METADATA_FILE: meta("1")})
    git(source, "update-ref", "refs/heads/build", odd)
    result = publish(dist, source)
    assert result.status == "created" and git(source, "rev-parse", "build^") == odd


@pytest.mark.parametrize("metadata", [None, "[1, 2]\n", "not json\n"])
def test_a_branch_tip_without_usable_metadata_is_built_upon(source: Path, dist: Path, metadata: str | None) -> None:
    files: dict[str, bytes | str] = {"other.yaml": "made by another tool\n"}
    if metadata is not None:
        files[METADATA_FILE] = metadata
    tip = hand_commit(source, files)
    git(source, "update-ref", "refs/heads/build", tip)
    result = publish(dist, source)
    assert result.status == "created" and git(source, "rev-parse", "build^") == tip


def test_without_a_remote_no_remote_tracking_branch_is_a_base(source: Path, dist: Path) -> None:
    stray = hand_commit(source, {"stray.yaml": "x\n"})
    git(source, "update-ref", "refs/remotes/None/build", stray)
    result = publish(dist, source, remote=None)
    assert git(source, "rev-list", "--parents", "build") == result.commit  # an orphan
    assert result.remote is None


def test_choose_base_between_the_local_and_the_remote_tracking_branch(source: Path) -> None:
    root = hand_commit(source, {"f": "0\n"})
    local = hand_commit(source, {"f": "local\n"}, [root])
    theirs = hand_commit(source, {"f": "theirs\n"}, [root])
    publisher = _Publisher(Git(source), None, "build", "origin", None, 5)  # type: ignore[arg-type]

    for push in (False, True):
        assert publisher._choose_base(None, None, push) is None
        assert publisher._choose_base(local, None, push) == local
        assert publisher._choose_base(None, theirs, push) == theirs
        assert publisher._choose_base(local, local, push) == local
        assert publisher._choose_base(local, root, push) == local  # local is ahead
        assert publisher._choose_base(root, theirs, push) == theirs  # the remote is ahead
    # diverged: a push can only fast-forward the remote
    assert publisher._choose_base(local, theirs, True) == theirs
    assert publisher._choose_base(local, theirs, False) == local


def test_a_fresh_clone_builds_on_the_remote_branch_without_pushing(remote: Path, tmp_path: Path) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    theirs = publish(write_tree(tmp_path / "dist-b", {"x.yaml": "b\n"}), b, push=True).commit
    git(a, "fetch", "-q", "origin")

    result = publish(write_tree(tmp_path / "dist-a", {"x.yaml": "a\n"}), a)

    assert git(a, "rev-parse", "build^") == theirs
    assert result == PublishResult(
        branch="build",
        commit=git(a, "rev-parse", "build"),
        tree=git(a, "rev-parse", "build^{tree}"),
        source_commit=git(a, "rev-parse", "HEAD"),
        status="created",
        pushed=False,
        attempts=0,
        remote=None,
    )


def test_a_diverged_local_branch_pushes_on_the_remote_tip_at_once(remote: Path, tmp_path: Path) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    publish(write_tree(tmp_path / "dist-b0", {"x.yaml": "b0\n"}), b, push=True)
    git(a, "fetch", "-q", "origin")
    publish(write_tree(tmp_path / "dist-a0", {"x.yaml": "a0\n"}), a)  # local only
    theirs = publish(write_tree(tmp_path / "dist-b1", {"x.yaml": "b1\n"}), b, push=True).commit

    result = publish(write_tree(tmp_path / "dist-a1", {"x.yaml": "a1\n"}), a, push=True)

    assert result.pushed and result.attempts == 1 and result.remote == "origin"
    assert git(remote, "rev-parse", "build^") == theirs


# --- fetch ---------------------------------------------------------------------------------------


def test_fetch_takes_only_the_build_branch_and_no_tags(remote: Path, tmp_path: Path) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    main_before = git(a, "rev-parse", "refs/remotes/origin/main")
    publish(write_tree(tmp_path / "dist-b", {"x.yaml": "b\n"}), b, push=True)
    git(b, "tag", "v1", "build")
    git(b, "commit", "-q", "--allow-empty", "-m", "Moved on")
    git(b, "push", "-q", "origin", "v1", "main")

    publish(write_tree(tmp_path / "dist-a", {"x.yaml": "a\n"}), a, push=True)

    assert git(a, "tag", "--list") == ""
    assert git(a, "rev-parse", "refs/remotes/origin/main") == main_before


def test_a_build_branch_deleted_on_the_remote_is_pushed_again(remote: Path, tmp_path: Path) -> None:
    a = clone(remote, tmp_path / "a")
    dist = write_tree(tmp_path / "dist", {"x.yaml": "a\n"})
    first = publish(dist, a, push=True)
    git(remote, "branch", "-D", "build")  # refs/remotes/origin/build in `a` is now stale
    hook = a / ".git" / "hooks" / "pre-push"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    with pytest.raises(FakoError, match="failed to push"):
        publish(dist, a, push=True)
    assert git(a, "for-each-ref", "refs/remotes/origin/build") == ""  # gone, as on the remote
    hook.unlink()

    again = publish(dist, a, push=True)

    assert again.status == "unchanged" and again.pushed and again.attempts == 1
    assert git(remote, "rev-parse", "build") == first.commit


def test_a_fetch_that_cannot_update_the_tracking_branch_says_only_why(remote: Path, tmp_path: Path) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    publish(write_tree(tmp_path / "dist-a", {"x.yaml": "a\n"}), a, push=True)
    git(b, "fetch", "-q", "origin")
    publish(write_tree(tmp_path / "dist-b", {"x.yaml": "b\n"}), b, push=True)  # origin/build moves on
    (a / ".git" / "refs" / "remotes" / "origin" / "build.lock").write_text("")

    with pytest.raises(GitError) as caught:
        publish(write_tree(tmp_path / "dist-a2", {"x.yaml": "a2\n"}), a, push=True)

    lines = str(caught.value).splitlines()
    assert lines[0].startswith(
        "could not fetch build from origin: error: cannot lock ref 'refs/remotes/origin/build': Unable to create"
    )
    assert [line for line in lines if line.startswith(("From ", " ! "))] == []  # fetch ran --quiet


def test_a_fetch_error_naming_an_undecodable_path_is_reported(remote: Path, tmp_path: Path) -> None:
    a = clone(remote, tmp_path / "a")
    git(a, "remote", "set-url", "origin", f"{tmp_path}/{FF}/gone.git")
    with pytest.raises(GitError) as caught:
        publish(write_tree(tmp_path / "dist", {"x.yaml": "a\n"}), a, push=True)
    assert str(caught.value).startswith(
        f"could not fetch build from origin: fatal: '{tmp_path}/\ufffd/gone.git' does not appear to be a git repository"
    )


# --- push ----------------------------------------------------------------------------------------


def test_a_push_to_a_remote_at_an_undecodable_path_is_read(tmp_path: Path) -> None:
    seed = make_repo(tmp_path / "seed")
    bare = tmp_path / FF / "remote.git"
    bare.parent.mkdir()
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(seed, "push", "-q", str(bare), "main")
    a = clone(bare, tmp_path / "a")

    result = publish(write_tree(tmp_path / "dist", {"x.yaml": "a\n"}), a, push=True)

    assert result.pushed and result.attempts == 1
    assert git(bare, "rev-parse", "build") == result.commit


def test_a_push_that_fails_before_any_ref_is_an_error_with_gits_words(remote: Path, tmp_path: Path) -> None:
    a = clone(remote, tmp_path / "a")
    dist = write_tree(tmp_path / "dist", {"x.yaml": "a\n"})
    git(a, "remote", "set-url", "--push", "origin", f"{tmp_path}/{FF}/gone.git")  # fetch works, push cannot
    with pytest.raises(FakoError) as caught:
        publish(dist, a, push=True)
    assert str(caught.value).startswith(
        f"push of build to origin failed: fatal: '{tmp_path}/\ufffd/gone.git' does not appear to be a git"
        " repository | fatal: Could not read from remote repository. | "
    )

    git(a, "remote", "set-url", "--push", "origin", str(remote))
    hook = a / ".git" / "hooks" / "pre-push"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    with pytest.raises(FakoError) as refused:
        publish(dist, a, push=True)
    assert str(refused.value) == f"push of build to origin failed: error: failed to push some refs to '{remote}'"
    assert git(remote, "branch", "--list", "build") == ""


def test_cannot_push_without_any_remote(source: Path, dist: Path) -> None:
    with pytest.raises(FakoError) as caught:
        publish(dist, source, remote=None, push=True)
    assert str(caught.value) == "cannot push: the repository has no remote named '(none)'"


# --- races ---------------------------------------------------------------------------------------


def test_push_gives_up_after_five_retries_by_default(
    remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")

    def other(n: int) -> None:  # another writer moves the branch (no fako metadata in its commits)
        git(b, "commit", "-q", "--allow-empty", "-m", f"other {n}")
        git(b, "push", "-q", "origin", "HEAD:refs/heads/build")

    calls = interpose(monkeypatch, 20, other)
    with pytest.raises(FakoError) as caught:
        publish(write_tree(tmp_path / "dist", {"x.yaml": "a\n"}), a, push=True)
    assert str(caught.value) == (
        "push of build to origin was rejected 6 times: other runs keep publishing at the same moment;"
        " run `fako publish --push` again"
    )
    assert len(calls) == 6

    calls.clear()
    with pytest.raises(FakoError, match=r"^push of build to origin was rejected 1 times: "):
        publish(tmp_path / "dist", a, push=True, retries=0)
    assert len(calls) == 1


def test_a_local_branch_moved_meanwhile_is_not_overwritten(
    source: Path, dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = publish(dist, source).commit
    moved = hand_commit(source, {"moved.yaml": "by someone else\n"})
    real_resolve, real_commit_on = Git.resolve, _Committer.commit_on
    armed: list[bool] = []

    def commit_on(self: _Committer, base: str | None) -> tuple[str, bool]:
        made = real_commit_on(self, base)
        armed.append(True)  # the next look at the branch is _set_local's
        return made

    def resolve(self: Git, rev: str) -> str | None:
        value = real_resolve(self, rev)
        if rev == "refs/heads/build" and armed:
            armed.clear()
            git(source, "update-ref", "refs/heads/build", moved)  # between its look and its update
        return value

    monkeypatch.setattr(_Committer, "commit_on", commit_on)
    monkeypatch.setattr(Git, "resolve", resolve)
    write_tree(dist, {"new.yaml": "new\n"})
    with pytest.raises(GitError, match="cannot lock ref 'refs/heads/build'"):
        publish(dist, source)
    assert git(source, "rev-parse", "build") == moved != first


def test_a_race_lost_to_an_older_source_is_retried(
    remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    git(a, "commit", "-q", "--allow-empty", "-m", "Newer source")  # b renders the older main
    dist_b = write_tree(tmp_path / "dist-b", {"x.yaml": "old\n"})
    won: list[PublishResult] = []
    interpose(monkeypatch, 1, lambda _: won.append(publish(dist_b, b, push=True)))

    result = publish(write_tree(tmp_path / "dist-a", {"x.yaml": "new\n"}), a, push=True)

    assert result.status == "created" and result.pushed and result.attempts == 2
    assert git(remote, "rev-parse", "build^") == won[0].commit


def test_a_newer_source_published_during_a_retry_is_the_result(
    remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    git(b, "commit", "-q", "--allow-empty", "-m", "Newer source")
    git(b, "push", "-q", "origin", "main")
    git(a, "fetch", "-q", "origin")
    interpose(monkeypatch, 1, lambda _: publish(write_tree(tmp_path / "dist-b", {"x.yaml": "new\n"}), b, push=True))

    result = publish(write_tree(tmp_path / "dist-a", {"x.yaml": "old\n"}), a, push=True)

    assert result == PublishResult(
        branch="build",
        commit=git(remote, "rev-parse", "build"),
        tree=git(remote, "rev-parse", "build^{tree}"),
        source_commit=git(a, "rev-parse", "HEAD"),
        status="superseded",
        pushed=False,
        attempts=1,
        remote="origin",
    )
    assert result.pushed is False


# --- checks before publishing ---------------------------------------------------------------------


def test_branch_checks(source: Path, dist: Path) -> None:
    with pytest.raises(FakoError) as caught:
        publish(dist, source, branch="main")
    assert str(caught.value) == (
        f"main is the branch checked out in {toplevel(source)}: publishing would rewrite it under your"
        " work tree; check out another branch or pass --branch"
    )
    with pytest.raises(FakoError, match="invalid branch name '-build'"):
        publish(dist, source, branch="-build")
    assert publish(dist, source, branch="XX-XX-build").status == "created"  # a dash inside is fine

    git(source, "checkout", "-q", "--detach")  # as CI checks out
    assert publish(dist, source).status == "created"


def test_public_url_drops_only_credentials() -> None:
    assert _public_url("https://example.test/o/r.git") == "https://example.test/o/r.git"
    assert _public_url("https://user:p@ss@example.test/o/r.git") == "https://example.test/o/r.git"
    assert _public_url("ssh://git@example.test:22/o/r.git") == "ssh://example.test:22/o/r.git"
    assert _public_url("git@example.test:o/r.git") == "git@example.test:o/r.git"
    assert _public_url("/srv/git/r.git") == "/srv/git/r.git"
