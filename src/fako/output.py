"""Writing a render to disk: fako's marker file, and files created only inside the render."""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from fako.errors import FakoError
from fako.text import shown

__all__ = ["MARKER", "MARKER_TEXT", "reusable", "write_tree"]

MARKER = ".fako-render"
"""The file that marks a folder as a render fako made (and may replace whole)."""
MARKER_TEXT = b"This folder is a render made by fako; `fako synth` replaces it whole.\n"


def _inside(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise FakoError(f"refusing to write {shown(rel)!r}: not a plain relative path inside the render")
    return path


def write_tree(files: dict[str, bytes], root: Path, *, same: dict[str, Path] | None = None) -> None:
    """Write the rendered files under `root` (a folder fako just made), deterministically.

    Every path must stay inside `root` (no absolute path, no '..'); files are created
    new, never through a symbolic link or over an existing file. `same` names, for some
    of them, a file of the previous render that holds exactly those bytes (a regular
    file no other path links to, found by `reusable`): it is hard-linked instead of
    written, about three times cheaper here, and written after all should linking fail.
    """
    base = root.resolve()
    for rel in sorted(files):
        path = base.joinpath(*_inside(rel).parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.parent.resolve().is_relative_to(base):
            raise FakoError(f"refusing to write {shown(rel)!r}: it leads outside the render")
        previous = same.get(rel) if same else None
        if previous is not None:
            try:
                os.link(previous, path, follow_symlinks=False)
                continue
            except OSError:
                pass
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(files[rel])


def reusable(files: dict[str, bytes], previous: Path) -> tuple[dict[str, Path], bool]:
    """The files of the render `previous` that hold exactly the bytes of `files` under the
    same path, and whether `previous` holds exactly `files` (nothing more, nothing less).

    Only regular files in real folders count (the walk follows no symbolic link, and
    each file is checked with lstat), and only files no other path links to, so a new
    render that links one shares its bytes with nothing but the old render, which is
    deleted once the new one is in place.
    """
    same: dict[str, Path] = {}
    seen = 0
    exact = True
    for dirpath, dirnames, filenames in os.walk(previous):
        for name in filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, previous).replace(os.sep, "/")
            seen += 1
            want = files.get(rel)
            try:
                info = os.lstat(path)
            except OSError:
                exact = False
                continue
            if want is None or not stat.S_ISREG(info.st_mode) or info.st_size != len(want):
                exact = False
                continue
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
            except OSError:
                exact = False
                continue
            with os.fdopen(fd, "rb") as handle:
                if handle.read() != want:
                    exact = False
                    continue
            if info.st_nlink == 1:
                same[rel] = Path(path)
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):
                exact = False
    return same, exact and seen == len(files)
