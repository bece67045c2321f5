"""`fako publish` against real git repositories: a bare remote, clones, racing publishers."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import threading
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

import fako.cli.publish
from fako import __version__
from fako.cli.main import run
from fako.errors import FakoError
from fako.gitutil import GitError
from fako.publish import METADATA_FILE, PublishResult, _Publisher, publish

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.test",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.test",
}


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git config; a git identity only through the environment."""
    config = tmp_path / "gitconfig"
    config.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.delenv("EMAIL", raising=False)
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return proc.stdout.rstrip("\n")


def git_bytes(cwd: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True).stdout


def write_tree(root: Path, files: Mapping[str, bytes | str]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    return root


def make_repo(path: Path, subject: str = "Add the cluster") -> Path:
    path.mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    write_tree(path, {"README.md": "cluster\n"})
    git(path, "add", "README.md")
    git(path, "commit", "-q", "-m", subject)
    return path


def branch_files(repo: Path, ref: str) -> dict[str, tuple[str, bytes]]:
    """path -> (mode, content) of every file on `ref`."""
    files = {}
    for line in git(repo, "ls-tree", "-r", ref).splitlines():
        meta, path = line.split("\t")
        mode, _, oid = meta.split()
        files[path] = (mode, git_bytes(repo, "cat-file", "blob", oid))
    return files


def dist_files(dist: Path) -> dict[str, bytes]:
    return {p.relative_to(dist).as_posix(): p.read_bytes() for p in sorted(dist.rglob("*")) if p.is_file()}


SOPS = (
    b"apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: web\n"
    b"stringData:\n  password: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]\n"
    b"sops:\n  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]\n  version: 3.9.0\n"
)
DIST: dict[str, bytes | str] = {
    "apps/kustomization.yaml": "resources:\n  - web\n",
    "apps/web/kustomization.yaml": "resources:\n  - web.yaml\n  - secrets/db.sops.yaml\n",
    "apps/web/web.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n",
    "apps/web/secrets/db.sops.yaml": SOPS,
    "flux/flux.yaml": "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\n",
    # Byte-exactness: CRLF and no final newline survive, whatever the repo's attributes say.
    "infrastructure-configs/odd/odd.yaml": b"a: 1\r\nb: 2",
}


@pytest.fixture
def source(tmp_path: Path) -> Path:
    repo = make_repo(tmp_path / "src")
    write_tree(repo, {".gitattributes": "* text=auto eol=crlf\n"})
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "Normalize line endings")
    return repo


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "dist", DIST)


def test_first_publish_makes_an_orphan_branch_holding_dist_byte_for_byte(source: Path, dist: Path) -> None:
    (dist / "apps/web/web.yaml").chmod(0o755)
    result = publish(dist, source)

    assert result.status == "created" and not result.pushed and result.attempts == 0
    assert git(source, "rev-parse", "build") == result.commit
    assert git(source, "rev-list", "--parents", "build") == result.commit  # orphan: no parent
    files = branch_files(source, "build")
    meta = files.pop(METADATA_FILE)
    assert {p: c for p, (_, c) in files.items()} == dist_files(dist)
    assert {mode for mode, _ in files.values()} == {"100644"}
    head = git(source, "rev-parse", "HEAD")
    assert json.loads(meta[1]) == {"fako_version": __version__, "source_commit": head, "source_repository": str(source)}
    message = git(source, "log", "-1", "--format=%B", "build").strip()
    assert message.splitlines()[0] == f"Rendered from {head[:7]}: Normalize line endings"
    assert message.endswith(f"Source-Repository: {source}\nSource-Commit: {head}\nFako-Version: {__version__}")
    trailers = git(source, "log", "-1", "--format=%(trailers:key=Source-Commit,valueonly)", "build")
    assert trailers.strip() == head


def test_publish_leaves_the_work_tree_and_index_alone(source: Path) -> None:
    write_tree(source, {"README.md": "staged change\n", "new.txt": "staged new file\n"})
    git(source, "add", "README.md", "new.txt")
    write_tree(source, {"README.md": "unstaged change\n", "untracked.txt": "x\n"})
    dist = write_tree(source / "dist", DIST)  # dist/ inside the checkout, untracked
    index = source / ".git" / "index"
    before = (
        git(source, "status", "--porcelain"),
        git(source, "diff", "--cached"),
        index.read_bytes(),
        git(source, "rev-parse", "HEAD"),
        git(source, "symbolic-ref", "HEAD"),
    )

    with pytest.raises(FakoError, match=r"uncommitted changes \(3 paths: README.md, new.txt, untracked.txt\)"):
        publish(dist, source, message="Dirty checkout")  # the build would name a commit it does not hold
    publish(dist, source, message="Dirty checkout", allow_dirty=True)
    after = (
        git(source, "status", "--porcelain"),
        git(source, "diff", "--cached"),
        index.read_bytes(),
        git(source, "rev-parse", "HEAD"),
        git(source, "symbolic-ref", "HEAD"),
    )

    assert after == before
    assert git(source, "log", "-1", "--format=%s", "build") == "Dirty checkout"
    assert (source / "README.md").read_text() == "unstaged change\n"


def test_an_unchanged_render_makes_no_commit_even_from_a_new_source_commit(source: Path, dist: Path) -> None:
    first = publish(dist, source)
    again = publish(dist, source)
    assert again.status == "unchanged" and again.commit == first.commit
    git(source, "commit", "-q", "--allow-empty", "-m", "Unrelated change")
    third = publish(dist, source)
    assert third.status == "unchanged" and third.commit == first.commit
    assert git(source, "rev-list", "--count", "build") == "1"
    assert "no change" in third.describe()


def test_a_file_removed_from_dist_disappears_from_the_branch(source: Path, dist: Path) -> None:
    first = publish(dist, source)
    (dist / "apps/web/secrets/db.sops.yaml").unlink()
    second = publish(dist, source)

    assert second.status == "created"
    assert git(source, "rev-parse", "build^") == first.commit
    files = branch_files(source, "build")
    assert "apps/web/secrets/db.sops.yaml" not in files
    assert set(files) - {METADATA_FILE} == set(dist_files(dist))


def test_publish_works_without_any_configured_identity(
    source: Path, dist: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key in IDENTITY:
        monkeypatch.delenv(key)
    publish(dist, source)
    assert git(source, "log", "-1", "--format=%an <%ae>|%cn <%ce>", "build") == (
        "fako <fako@localhost>|fako <fako@localhost>"
    )


def test_a_configured_identity_is_used(source: Path, dist: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in IDENTITY:
        monkeypatch.delenv(key)
    git(source, "config", "user.name", "Config User")
    git(source, "config", "user.email", "config@example.test")
    publish(dist, source)
    assert git(source, "log", "-1", "--format=%an <%ae>", "build") == "Config User <config@example.test>"


# --- with a remote ---------------------------------------------------------------------------


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository holding `main`, like the GitHub repository CI pushes to."""
    seed = make_repo(tmp_path / "seed")
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(bare))
    git(seed, "push", "-q", str(bare), "main")
    return bare


def clone(remote: Path, path: Path) -> Path:
    git(remote.parent, "clone", "-q", str(remote), str(path))
    return path


def test_push_publishes_to_the_remote_and_builds_on_its_tip(remote: Path, tmp_path: Path) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    first = publish(write_tree(tmp_path / "dist-a", {"apps/x/x.yaml": "a: 1\n"}), a, push=True)
    assert first.pushed and first.attempts == 1
    assert git(remote, "rev-parse", "build") == first.commit
    assert "pushed to origin/build" in first.describe()

    # A fresh clone has only origin/build: the new commit goes on top of it.
    second = publish(write_tree(tmp_path / "dist-b", {"apps/x/x.yaml": "b: 2\n"}), b, push=True)
    assert git(remote, "rev-parse", "build^") == first.commit
    assert git(remote, "rev-parse", "build") == second.commit
    meta = json.loads(git(remote, "show", f"build:{METADATA_FILE}"))
    assert meta["source_repository"] == str(remote)  # the remote's URL, not the clone's path

    # Nothing new to publish: no commit, nothing to push.
    again = publish(tmp_path / "dist-b", b, push=True)
    assert again.status == "unchanged" and not again.pushed and again.attempts == 0


def interpose(monkeypatch: pytest.MonkeyPatch, times: int, other: Callable[[int], object]) -> list[int]:
    """Run `other` (another publisher, with real git) just before each of the first `times` pushes."""
    real_push = _Publisher._push
    calls: list[int] = []

    def push(self: _Publisher, commit: str) -> bool:
        n = len(calls)
        calls.append(n)
        if n < times:
            monkeypatch.setattr(_Publisher, "_push", real_push)
            other(n)
            monkeypatch.setattr(_Publisher, "_push", push)
        return real_push(self, commit)

    monkeypatch.setattr(_Publisher, "_push", push)
    return calls


def test_losing_a_push_race_recommits_the_same_tree_on_the_new_tip(
    remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    dist_a = write_tree(tmp_path / "dist-a", {"apps/x/x.yaml": "from: a\n"})
    dist_b = write_tree(tmp_path / "dist-b", {"apps/x/x.yaml": "from: b\n"})
    won: list[PublishResult] = []
    interpose(monkeypatch, 1, lambda _: won.append(publish(dist_b, b, push=True)))

    lost = publish(dist_a, a, push=True)

    assert lost.pushed and lost.attempts == 2 and lost.status == "created"
    assert git(remote, "rev-list", "--parents", "build").splitlines() == [
        f"{lost.commit} {won[0].commit}",
        won[0].commit,
    ]
    assert git(remote, "show", "build:apps/x/x.yaml") == "from: a"
    assert git(remote, "show", "build^:apps/x/x.yaml") == "from: b"
    assert git(a, "rev-parse", "build") == lost.commit  # the local branch follows


def test_a_race_lost_to_the_same_render_makes_no_second_commit(
    remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    dist = write_tree(tmp_path / "dist", {"apps/x/x.yaml": "same: render\n"})
    # Another title makes another commit (same tree) even within the same second.
    interpose(monkeypatch, 1, lambda _: publish(dist, b, push=True, message="From b"))

    result = publish(dist, a, push=True)

    assert result.status == "unchanged" and not result.pushed
    assert git(remote, "rev-list", "--count", "build") == "1"
    assert result.commit == git(remote, "rev-parse", "build")


def test_push_gives_up_after_the_retries(remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    dist_a = write_tree(tmp_path / "dist-a", {"apps/x/x.yaml": "from: a\n"})

    def other(n: int) -> None:
        publish(write_tree(tmp_path / f"dist-b{n}", {"apps/x/x.yaml": f"from: b{n}\n"}), b, push=True)

    interpose(monkeypatch, 10, other)
    with pytest.raises(FakoError, match="rejected 3 times"):
        publish(dist_a, a, push=True, retries=2)
    assert git(remote, "rev-list", "--count", "build") == "3"  # b's three commits, none lost


def test_a_newer_source_published_during_a_retry_wins(
    remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    git(b, "commit", "-q", "--allow-empty", "-m", "Newer source")
    git(b, "push", "-q", "origin", "main")
    git(a, "fetch", "-q", "origin")  # a knows the newer source commit but renders the older one
    dist_b = write_tree(tmp_path / "dist-b", {"apps/x/x.yaml": "new\n"})
    interpose(monkeypatch, 1, lambda _: publish(dist_b, b, push=True))

    result = publish(write_tree(tmp_path / "dist-a", {"apps/x/x.yaml": "old\n"}), a, push=True)

    assert result.status == "superseded" and not result.pushed
    assert git(remote, "show", "build:apps/x/x.yaml") == "new"
    assert git(remote, "rev-list", "--count", "build") == "1"


def test_two_clones_publishing_at_once_lose_nothing(remote: Path, tmp_path: Path) -> None:
    clones = {name: clone(remote, tmp_path / name) for name in ("a", "b")}
    start = threading.Barrier(len(clones))
    errors: list[BaseException] = []
    rounds = 3

    def run(name: str) -> None:
        try:
            start.wait()
            for i in range(rounds):
                files = {"apps/x/x.yaml": "shared: true\n", "marker.txt": f"{name}{i}\n"}
                publish(write_tree(tmp_path / f"dist-{name}{i}", files), clones[name], push=True)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(name,)) for name in clones]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    commits = git(remote, "rev-list", "build").splitlines()
    assert len(commits) == 2 * rounds
    assert git(remote, "rev-list", "--min-parents=2", "build") == ""  # linear
    assert git(remote, "rev-list", "--max-parents=0", "build") == commits[-1]  # one root
    markers = {git(remote, "show", f"{c}:marker.txt") for c in commits}
    assert markers == {f"{name}{i}" for name in clones for i in range(rounds)}


# --- errors and the command line --------------------------------------------------------------


def test_user_errors_are_fako_errors(source: Path, dist: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    with pytest.raises(FakoError, match="not inside a git repository"):
        publish(dist, plain)
    with pytest.raises(FakoError, match="run `fako synth` first"):
        publish(tmp_path / "missing", source)
    (tmp_path / "empty").mkdir()
    with pytest.raises(FakoError, match="empty"):
        publish(tmp_path / "empty", source)
    with pytest.raises(FakoError, match="no remote named 'origin'"):
        publish(dist, source, push=True)
    with pytest.raises(FakoError, match="checked out"):
        publish(dist, source, branch="main")
    with pytest.raises(FakoError, match="invalid branch name"):
        publish(dist, source, branch="bad..name")
    empty_repo = tmp_path / "norepo"
    git(tmp_path, "init", "-q", str(empty_repo))
    with pytest.raises(FakoError, match="no commit yet"):
        publish(dist, empty_repo)


def test_cli_publishes_and_says_what_it_did(
    source: Path, dist: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parser = argparse.ArgumentParser()
    fako.cli.publish.register(parser.add_subparsers())
    monkeypatch.chdir(source)
    args = parser.parse_args(["publish", "--dist", str(dist)])
    assert args.func(args) == 0
    assert capsys.readouterr().err.startswith("fako: committed ")
    assert args.func(args) == 0
    assert capsys.readouterr().err.startswith("fako: no change")


def test_cli_reports_errors_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["publish", "--repo", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "not inside a git repository" in err and "Traceback" not in err


def test_credentials_in_the_remote_url_are_not_recorded(source: Path, dist: Path) -> None:
    git(source, "remote", "add", "origin", "https://x-access-token:s3cret@example.test/o/r.git")
    publish(dist, source)
    meta = git(source, "show", f"build:{METADATA_FILE}")
    assert "s3cret" not in meta + git(source, "log", "-1", "--format=%B", "build")
    assert json.loads(meta)["source_repository"] == "https://example.test/o/r.git"


def test_tests_do_not_leak_into_the_real_git_config() -> None:
    assert os.environ["GIT_CONFIG_NOSYSTEM"] == "1"


def test_a_dirty_publish_says_so_in_the_commit_and_its_metadata(source: Path, dist: Path) -> None:
    write_tree(source, {"README.md": "edited, not committed\n"})
    publish(dist, source, allow_dirty=True)
    message = git(source, "log", "-1", "--format=%B", "build")
    assert "Source-Dirty: true" in message
    meta = json.loads(git(source, "show", f"build:{METADATA_FILE}"))
    assert meta["source_dirty"] is True


def test_the_render_inside_the_checkout_does_not_count_as_a_change(source: Path) -> None:
    dist = write_tree(source / "dist", DIST)  # untracked, but it is what is being published
    assert publish(dist, source).status == "created"


def test_cli_json_output_names_the_commit_and_the_source(
    source: Path, dist: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parser = argparse.ArgumentParser()
    fako.cli.publish.register(parser.add_subparsers())
    monkeypatch.chdir(source)
    args = parser.parse_args(["publish", "--dist", str(dist), "--format", "json"])
    assert args.func(args) == 0
    data = json.loads(capsys.readouterr().out)
    head = git(source, "rev-parse", "HEAD")
    assert data["status"] == "created" and data["source_commit"] == head and data["branch"] == "build"
    assert data["commit"] == git(source, "rev-parse", "build") and data["pushed"] is False


def test_the_one_line_description_of_each_outcome() -> None:
    from fako.publish import PublishResult

    def result(status: str, pushed: bool = False, attempts: int = 0, remote: str | None = None) -> str:
        return PublishResult(
            "build",
            "a" * 12 + "bcdef",
            "t" * 40,
            "s" * 12 + "uvwxyz",
            status,
            pushed,
            attempts,
            remote,  # type: ignore[arg-type]
        ).describe()

    a12, s12 = "a" * 12, "s" * 12
    assert result("created") == f"committed {a12} on build (from source {s12})"
    assert (
        result("created", True, 1, "origin") == f"committed {a12} on build (from source {s12}); pushed to origin/build"
    )
    assert result("created", True, 2, "origin") == (
        f"committed {a12} on build (from source {s12}); pushed to origin/build after 2 attempts"
    )
    assert (
        result("unchanged", True, 1)
        == f"no change: build ({a12}) already holds this render; nothing committed; pushed to build"
    )
    assert result("superseded", True, 3, "origin") == (
        f"not published: origin/build already holds a render of a newer source commit ({a12})"
    )
    assert result("superseded") == f"not published: build already holds a render of a newer source commit ({a12})"


def test_a_push_the_remote_refuses_or_cannot_take_is_an_error_that_says_why(remote: Path, tmp_path: Path) -> None:
    a = clone(remote, tmp_path / "a")
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'builds are frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    with pytest.raises(FakoError) as caught:
        publish(write_tree(tmp_path / "dist-a", {"apps/x/x.yaml": "a: 1\n"}), a, push=True)
    assert str(caught.value) == "push to origin was refused: [remote rejected] (pre-receive hook declined)"
    hook.unlink()
    assert publish(tmp_path / "dist-a", a, push=True).pushed  # the same publish once the remote takes it
    git(a, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    with pytest.raises(GitError) as failed:
        publish(write_tree(tmp_path / "dist-b", {"apps/x/x.yaml": "b: 2\n"}), a, push=True)
    assert str(failed.value).startswith(
        f"could not fetch build from origin: fatal: '{tmp_path}/gone.git' does not appear"
    )
