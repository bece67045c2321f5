"""fako's cache folder: content-addressed entries, written atomically, read with suspicion.

Entries live under `$XDG_CACHE_HOME/fako` (default `~/.cache/fako`), one file per
entry at `<kind>/<key[:2]>/<key>`. A writer puts the entry in a temporary file beside
its place and renames it over, so a reader sees a whole entry or none, whatever runs
at the same time. Every entry starts with the SHA-256 of its body: a damaged or
hand-made file is treated as absent (and rebuilt), never trusted. Entries are plain
bytes (JSON for structured ones); nothing is unpickled or executed.

The cache only ever speeds things up: a folder that cannot be created or written to
means no cache, not an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["KINDS", "CacheStore", "default_cache_dir"]

KINDS = frozenset({"unit", "render", "report", "imports", "schema", "units"})
"""The kinds of entry fako keeps; each is a folder of the cache."""

_KEY = re.compile(r"[0-9a-f]{64}\Z")
_MAX_ENTRIES = {"unit": 4000, "render": 16, "report": 64, "imports": 4, "schema": 16, "units": 16}
"""How many entries of each kind are kept: the oldest beyond are deleted on write."""


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/fako`, or `~/.cache/fako` when the variable is unset or relative."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return root / "fako"


class CacheStore:
    """Read and write entries under `folder` (fako's own: nothing outside it is touched)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, kind: str, key: str) -> Path:
        if kind not in KINDS or not _KEY.match(key):
            raise ValueError(f"not a cache entry: {kind!r}/{key!r}")
        return self.folder / kind / key[:2] / key

    def read(self, kind: str, key: str) -> bytes | None:
        """The body of an entry, or None when it is missing, damaged or not a regular file."""
        path = self._path(kind, key)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        with os.fdopen(fd, "rb") as handle:
            data = handle.read()
        digest, sep, body = data.partition(b"\n")
        if not sep or hashlib.sha256(body).hexdigest().encode() != digest:
            return None
        with contextlib.suppress(OSError):  # pruning keeps the entries used last
            os.utime(path)
        return body

    def write(self, kind: str, key: str, body: bytes) -> None:
        """Store an entry atomically (temporary file, then rename); failures are ignored."""
        path = self._path(kind, key)
        data = hashlib.sha256(body).hexdigest().encode() + b"\n" + body
        try:
            for folder in (self.folder.parent, self.folder, self.folder / kind, path.parent):
                if not folder.is_dir():
                    folder.mkdir(mode=0o700 if folder != self.folder.parent else 0o755, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        except OSError:
            return
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return

    def read_json(self, kind: str, key: str) -> Any:
        """A JSON entry, or None when it is missing, damaged or not JSON."""
        body = self.read(kind, key)
        if body is None:
            return None
        try:
            return json.loads(body)
        except ValueError:
            return None

    def write_json(self, kind: str, key: str, value: Any) -> None:
        """Store `value` as compact JSON."""
        self.write(kind, key, json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))

    def prune(self, kind: str) -> None:
        """Keep the entries of `kind` used last (by modification time, which a read
        refreshes); temporary files a killed writer left behind go with the oldest."""
        limit = _MAX_ENTRIES[kind]
        folder = self.folder / kind
        try:
            buckets = list(os.scandir(folder))
        except OSError:
            return
        if len(buckets) * 8 < limit:  # cheap bound: few buckets hold few entries
            return
        entries: list[tuple[float, str]] = []
        for bucket in buckets:
            with contextlib.suppress(OSError):
                for entry in os.scandir(bucket.path):
                    with contextlib.suppress(OSError):
                        entries.append((entry.stat(follow_symlinks=False).st_mtime, entry.path))
        if len(entries) <= limit:
            return
        entries.sort(reverse=True)
        for _, path in entries[limit:]:
            with contextlib.suppress(OSError):
                os.unlink(path)
