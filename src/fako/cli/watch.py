"""`fako watch`: re-render and check on every save, printing only what changed.

fako watch                          # the cluster's enabled apps, written to dist/ when checks pass
fako watch --include-disabled -o /tmp/all

A long-lived worker process keeps fako's imports and Node up; on a change under the
package (polled every --interval seconds: no file-watching dependency, and the ~400
files are stat'ed in a few milliseconds) it reloads the edited modules, rebuilds only
the units whose inputs changed (the render cache), runs every check over the whole
render, and this command prints the objects added, removed and changed and the findings
that appeared or went away. jsii never frees an object it has created, so the worker is
replaced by a fresh one once its memory passes --max-rss-mib (and when a module that
cannot be reloaded in place changed). Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from fako.cli import ui
from fako.cli.options import common, default_dist

__all__ = ["register", "run"]

_WORKER = "import sys; from fako.watchworker import serve; serve(sys.argv[1], sys.argv[2], sys.argv[3] == '1')"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fako watch` to the command line."""
    p = sub.add_parser(
        "watch",
        help="re-render and check on every save, printing what changed",
        description=__doc__,
        parents=[common()],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--cluster", default="staging", help="cluster to render (default: staging)")
    p.add_argument("-o", "--out", help="folder the render is written to when its checks pass (default: dist/)")
    p.add_argument("--include-disabled", action="store_true", help="also render switched-off apps")
    p.add_argument("--interval", type=float, default=0.3, help="seconds between looks at the source (default 0.3)")
    p.add_argument(
        "--max-rss-mib", type=int, default=400, help="replace the worker once it holds this much memory (default 400)"
    )
    p.add_argument("--renders", type=int, default=0, help="stop after this many renders (0: never; for tests)")
    p.set_defaults(func=run)


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            if name.endswith((".pyc", ".swp", "~")):
                continue
            path = os.path.join(dirpath, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            found[path] = (st.st_mtime_ns, st.st_size)
    return found


class _Worker:
    def __init__(self, args: argparse.Namespace, out: Path) -> None:
        self.args = args
        flag = "1" if args.include_disabled else "0"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", _WORKER, args.cluster, str(out), flag],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def render(self) -> dict[str, Any] | None:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        try:
            self.proc.stdin.write("render\n")
            self.proc.stdin.flush()
        except BrokenPipeError:
            return None
        line = self.proc.stdout.readline()
        if not line:
            return None
        answer: dict[str, Any] = json.loads(line)
        return answer

    def stop(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _report(previous: dict[str, Any] | None, answer: dict[str, Any], count: int) -> None:
    """Print what changed since `previous`: objects, then findings; one summary line."""
    if answer.get("error"):
        print(answer["error"], flush=True)
        print(f"fako watch: render {count} failed ({answer['seconds']:.2f}s)", flush=True)
        return
    before: dict[str, str] = previous["objects"] if previous else {}
    after: dict[str, str] = answer["objects"]
    if previous is not None:
        for ref in sorted(set(after) - set(before)):
            print(f"  added    {ref}")
        for ref in sorted(set(before) - set(after)):
            print(f"  removed  {ref}")
        for ref in sorted(r for r in set(before) & set(after) if before[r] != after[r]):
            print(f"  changed  {ref}")
        old, new = set(previous["findings"]), set(answer["findings"])
        for line in sorted(new - old):
            print(f"  new      {line}")
        for line in sorted(old - new):
            print(f"  gone     {line}")
    changes = sum(1 for r in set(before) | set(after) if before.get(r) != after.get(r)) if previous else len(after)
    verdict = "written" if answer.get("written") else ("checks failed, not written" if not answer.get("ok") else "ok")
    built, total = answer.get("units", [0, 0])[0] - answer.get("units", [0, 0])[1], answer.get("units", [0, 0])[0]
    print(
        f"fako watch: rendered {len(after)} objects ({changes} changed, {built} of {total} units built) "
        f"in {answer['seconds']:.2f}s; {verdict}; worker {answer['rss_kib'] // 1024} MiB",
        flush=True,
    )


def run(args: argparse.Namespace) -> int:
    """Render, then re-render on every change until interrupted (or `--renders` reached)."""
    import gc

    import fako

    gc.enable()  # `fako` turns it off for one-shot commands; this one lives on

    out = default_dist() if args.out is None else Path(args.out)
    folder = Path(fako.__file__).parent
    worker = _Worker(args, out)
    previous: dict[str, Any] | None = None
    count = 0
    seen = _snapshot(folder)
    try:
        while True:
            answer = worker.render()
            if answer is None or answer.get("restart"):
                worker.stop()
                worker = _Worker(args, out)
                ui.detail("fako watch: started a fresh worker")
                continue
            count += 1
            _report(previous, answer, count)
            if not answer.get("error"):
                previous = answer
            if args.renders and count >= args.renders:
                return 0
            if answer["rss_kib"] > args.max_rss_mib * 1024:
                worker.stop()
                worker = _Worker(args, out)
                ui.detail(f"fako watch: worker passed {args.max_rss_mib} MiB; started a fresh one")
            while True:
                time.sleep(args.interval)
                now = _snapshot(folder)
                if now != seen:
                    seen = now
                    break
    finally:
        worker.stop()
