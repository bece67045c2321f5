"""Writing a render to disk: fako's marker file, and files created only inside the render."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from fako.errors import FakoError
from fako.text import shown

__all__ = ["MARKER", "MARKER_TEXT", "write_tree"]

MARKER = ".fako-render"
"""The file that marks a folder as a render fako made (and may replace whole)."""
MARKER_TEXT = b"This folder is a render made by fako; `fako synth` replaces it whole.\n"


def _inside(rel: str) -> PurePosixPath:
    path = PurePosixPath(rel)
    if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
        raise FakoError(f"refusing to write {shown(rel)!r}: not a plain relative path inside the render")
    return path


def write_tree(files: dict[str, bytes], root: Path) -> None:
    """Write the rendered files under `root` (a folder fako just made), deterministically.

    Every path must stay inside `root` (no absolute path, no '..'); files are created
    new, never through a symbolic link or over an existing file.
    """
    base = root.resolve()
    for rel in sorted(files):
        path = base.joinpath(*_inside(rel).parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.parent.resolve().is_relative_to(base):
            raise FakoError(f"refusing to write {shown(rel)!r}: it leads outside the render")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(files[rel])
