"""Run a command in a child process and vouch for its outcome from the parent.

App code runs inside fako (it is Python), so it can end the process in ways no `try`
catches: `os._exit(0)` at import or in `build()` would leave a stale render behind and
exit 0, and CI would publish it. So the `fako` command forks before doing anything: the
child runs the command and, as its very last act, writes a completion record with its
exit code to a pipe; the parent waits and exits with that code only when the record is
there. A child that ends without one fails the command (exit 1), naming the step it was
at. The child dies with the parent (`PR_SET_PDEATHSIG`), so killing `fako` kills the work;
Ctrl-C reaches both (they share the terminal's process group) and ends with 130.

Where `fork` does not exist the command runs in-process, unsupervised.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Callable

from fako import progress
from fako.text import shown

__all__ = ["supervised"]

_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the child may outlive a killed parent
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _child(run: Callable[[], int], write: int, parent: int) -> None:
    _die_with_parent(parent)
    progress.attach(write)
    code = 1
    try:
        code = run()
    except BaseException as exc:  # run() reports its own errors; this is a crash before it could
        import traceback

        traceback.print_exc()
        _say(f"internal error: {type(exc).__name__} (this is a bug in fako)")
        code = 130 if isinstance(exc, KeyboardInterrupt) else 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        with contextlib.suppress(OSError):
            os.write(write, f"done {code}\n".encode())
        os._exit(code)


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            data = os.read(fd, 65536)
        except InterruptedError:
            continue
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks).decode("utf-8", "replace")


def _say(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(f"fako: {message}", file=sys.stderr, flush=True)


def supervised(run: Callable[[], int]) -> int:
    """Run `run()` in a child process; its exit code when it completed, else 1 (or 128+signal)."""
    if not hasattr(os, "fork"):
        return run()
    read, write = os.pipe()  # both close-on-exec: Node and other subprocesses never hold them
    parent = os.getpid()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        _child(run, write, parent)
    os.close(write)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # the child gets Ctrl-C and reports it
    forward = signal.signal(signal.SIGTERM, lambda signum, frame: os.kill(pid, signal.SIGTERM))
    try:
        lines = _read_all(read).splitlines()
        while True:
            try:
                _, status = os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
    finally:
        os.close(read)
        signal.signal(signal.SIGINT, previous)
        signal.signal(signal.SIGTERM, forward)
    steps = [line[5:] for line in lines if line.startswith("step ")]
    done = [line[5:] for line in lines if line.startswith("done ")]
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number == signal.SIGINT:
            _say("interrupted")
        else:
            where = f" while {shown(steps[-1])}" if steps else ""
            _say(f"the command was killed by signal {signal.Signals(number).name}{where}; nothing was completed")
        return 128 + number
    code = os.WEXITSTATUS(status)
    if done and done[-1].strip().lstrip("-").isdigit():
        return code
    where = f" while {shown(steps[-1])}" if steps else ""
    _say(
        f"the command ended without finishing{where} (exit status {code}): code it ran ended the process "
        "itself (os._exit?), so the outcome is unknown; nothing is vouched for"
    )
    return 1
