"""Sample a folder from outside while another process writes it (tests/test_synth.py).

Usage: watch_tree.py OUT OLD.json NEW.json RESULT.json STOP_FILE

Loops until STOP_FILE exists: opens OUT as a directory, walks it through that one
descriptor, and keeps the sample only when OUT still names the same directory after
the walk (so a swap during the walk cannot blend two trees into one sample). Each kept
sample is classified as "old", "new", "absent" or "other" (anything else: a
half-written tree); RESULT.json gets the counts and up to five "other" samples.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

ABSENT = "absent"


def snapshot(out: Path) -> dict[str, str] | str | None:
    """The tree's file hashes, ABSENT when OUT is not there, None when the sample is void."""
    try:
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        return ABSENT
    except NotADirectoryError:
        return None
    try:
        before = os.fstat(fd).st_ino
        files: dict[str, str] = {}
        for root, _dirs, names, root_fd in os.fwalk(dir_fd=fd):
            for name in names:
                try:
                    ffd = os.open(name, os.O_RDONLY, dir_fd=root_fd)
                except FileNotFoundError:
                    return None
                with os.fdopen(ffd, "rb") as handle:
                    files[os.path.normpath(os.path.join(root, name))] = hashlib.sha256(handle.read()).hexdigest()
        try:
            now = os.stat(out).st_ino
        except FileNotFoundError:
            return None
        return files if now == before else None
    finally:
        os.close(fd)


def main() -> int:
    out, old_file, new_file, result_file, stop = (Path(a) for a in sys.argv[1:6])
    old = json.loads(old_file.read_text())
    new = json.loads(new_file.read_text())
    counts = {"old": 0, "new": 0, "absent": 0, "other": 0}
    others: list[list[str]] = []
    while not stop.exists():
        files = snapshot(out)
        if files is None:
            continue
        if isinstance(files, str):  # decided when opening: a later exists() could see the next tree
            counts["absent"] += 1
        elif files == old:
            counts["old"] += 1
        elif files == new:
            counts["new"] += 1
        else:
            counts["other"] += 1
            if len(others) < 5:
                others.append(sorted(files)[:10])
    result_file.write_text(json.dumps({"counts": counts, "others": others}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
