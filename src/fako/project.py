"""Where the checkout is: the folder fako's default paths (`dist/`, `secrets/`) live in.

fako may be run from anywhere inside the checkout (`src/`, `tests/`): defaults resolve
against its root, so `fako synth` from `src/` still writes `<checkout>/dist`, never
`src/dist`. Paths given on the command line are relative to the working directory, as
in every other command-line tool.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["project_root"]


def _is_checkout(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "src" / "fako" / "__init__.py").is_file()


@functools.cache
def _root_from(start: Path) -> Path:
    for folder in (start, *start.parents):
        if _is_checkout(folder):
            return folder
    return start


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above `start` (default: the working directory) that holds
    fako's `pyproject.toml` and `src/fako/`; `start` itself when there is none."""
    return _root_from((start or Path.cwd()).resolve())
