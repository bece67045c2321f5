"""What the command is doing right now, told to the supervising parent process.

`fako` runs each command in a child process (`fako.cli.supervise`): app code is Python
that can end the process itself (`os._exit(0)`), which no `try` can catch. The child
reports each step here; when it ends without its completion record, the parent names
the last step (the app being built) instead of reporting a success it cannot vouch for.
"""

from __future__ import annotations

import contextlib
import os

__all__ = ["attach", "report"]

_fd: int | None = None


def attach(fd: int | None) -> None:
    """Send progress to `fd` (the supervisor's pipe); None stops reporting."""
    global _fd
    _fd = fd


def report(step: str) -> None:
    """Tell the supervisor the command is now at `step` (one line, e.g. "building app n8n")."""
    if _fd is not None:
        with contextlib.suppress(OSError):
            os.write(_fd, ("step " + step.replace("\n", " ") + "\n").encode("utf-8", "replace"))
