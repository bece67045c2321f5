"""Exporting a commit's tree for `fako diff`: tarfile's `data` filter, or fako's own checks
where the Python predates it (3.11.0-3.11.3, as Debian 12's python3 is)."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path

import pytest

import fako.gitrender as gitrender
from fako.errors import FakoError
from fako.gitutil import Git


def _repo(tmp_path: Path) -> tuple[Git, str]:
    repo = tmp_path / "repo"
    (repo / "src" / "fako").mkdir(parents=True)
    (repo / "src" / "fako" / "x.py").write_text("X = 1\n")
    (repo / "README.md").write_text("hello\n")
    (repo / "link").symlink_to("README.md")
    for args in (
        ["init", "-q"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@e.test", "commit", "-qm", "x"],
    ):
        subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], check=True, capture_output=True, text=True)
    return Git(repo), head.stdout.strip()


@pytest.mark.parametrize("data_filter", [True, False], ids=["data-filter", "own-checks"])
def test_a_commit_is_exported_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data_filter: bool) -> None:
    if not data_filter:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    git, commit = _repo(tmp_path)
    into = tmp_path / "out"
    into.mkdir()
    gitrender._export(git, commit, into)
    assert (into / "src" / "fako" / "x.py").read_text() == "X = 1\n"
    assert (into / "link").is_symlink() and (into / "link").read_text() == "hello\n"


def _tar(*members: tuple[str, bytes | None, str]) -> tarfile.TarFile:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, data, link in members:
            info = tarfile.TarInfo(name)
            if link:
                info.type, info.linkname = tarfile.SYMTYPE, link
                archive.addfile(info)
            elif data is None:
                info.type = tarfile.CHRTYPE
                archive.addfile(info)
            else:
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
    buffer.seek(0)
    return tarfile.open(fileobj=buffer)


@pytest.mark.parametrize(
    ("member", "message"),
    [
        (("../escape.txt", b"x", ""), "a path outside the tree: '../escape.txt'"),
        (("/etc/passwd", b"x", ""), "a path outside the tree: '/etc/passwd'"),
        (("dev", None, ""), "a special file: 'dev'"),
        (("up", b"", "../../etc/passwd"), "a link out of the tree: 'up' -> '../../etc/passwd'"),
        (("abs", b"", "/etc/passwd"), "a link out of the tree: 'abs' -> '/etc/passwd'"),
    ],
)
def test_own_checks_refuse_what_the_data_filter_refuses(
    tmp_path: Path, member: tuple[str, bytes | None, str], message: str
) -> None:
    with _tar(("ok.txt", b"fine", ""), member) as archive, pytest.raises(FakoError) as err:
        gitrender._checked_members(archive, tmp_path)
    assert message in str(err.value)
    assert not (tmp_path / "ok.txt").exists()  # checked before anything is written
