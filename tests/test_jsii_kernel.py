"""`fako._jsii`: one Node process for jsii's kernel, and creates sent without waiting.

Each case runs in a fresh interpreter: the kernel is a process-wide singleton.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import fako

KERNEL_JS = Path(fako.__file__).with_name("jsii_kernel.js")


def run(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_the_kernel_runs_in_one_node_process() -> None:
    proc = run(
        """
        import os
        from pathlib import Path
        import fako._jsii
        fako._jsii.cdk8s.App()  # starts the kernel

        def descendants(pid):
            found = []
            for task in Path(f"/proc/{pid}/task").iterdir():
                for child in (task / "children").read_text().split():
                    found.append(child)
                    found.extend(descendants(child))
            return found

        for pid in descendants(os.getpid()):
            print(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\\0", b" ").decode())
        """
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].split()[-1] == str(KERNEL_JS)
    assert "jsii" not in proc.stderr.lower()


def test_a_jsii_runtime_the_user_set_is_kept(tmp_path: Path) -> None:
    from fako._jsii import kernel_program

    mine = tmp_path / "mine.js"
    mine.write_bytes(KERNEL_JS.read_bytes())
    proc = run(
        """
        import os
        import fako._jsii
        fako._jsii.cdk8s.App()
        print(os.environ["JSII_RUNTIME"])
        """,
        env={"JSII_RUNTIME": str(mine), "FAKO_JSII_PROGRAM": str(kernel_program())},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(mine)]


def test_the_entry_point_maps_the_api_fd_and_wraps_what_javascript_prints(tmp_path: Path) -> None:
    """The kernel program talks on fd 3; in one process that is stdin (read) and stdout
    (written), and anything JavaScript prints on stdout arrives wrapped on stderr, as jsii's
    relay wraps it, so it never mixes with the answers."""
    program = tmp_path / "lib__program.js"
    program.write_text(
        textwrap.dedent(
            """
            const fs = require("fs");
            const buffer = Buffer.alloc(64);
            const n = fs.readSync(3, buffer, 0, 64, null);
            console.log("printed by some library");
            fs.writeSync(3, "answer to " + buffer.toString("utf8", 0, n).trim() + "\\n");
            """
        )
    )
    from fako._jsii import node_executable

    proc = subprocess.run(
        [node_executable(), str(KERNEL_JS)],
        input="request-1\n",
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "FAKO_JSII_PROGRAM": str(program)},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "answer to request-1\n"
    wrapped = [json.loads(line) for line in proc.stderr.splitlines()]
    assert [base64.b64decode(w["stdout"]).decode() for w in wrapped] == ["printed by some library\n"]


def test_creates_are_answered_before_any_other_jsii_call() -> None:
    """Objects are created without waiting; a later jsii call (here, reading the tree
    from Node) first takes every answer due, so it reads its own and sees every object."""
    proc = run(
        """
        from fako import _jsii
        from fako.tree import Cluster, Group, Layer, FakoObject
        cluster = Cluster("c")
        layer = Layer(cluster, "apps")
        group = Group(layer, "web")
        for i in range(600):  # more than are ever in flight at once
            FakoObject(group, f"o{i}", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": f"o{i}"}})
        print("waiting", len(_jsii._answers.waiting) > 0)
        paths = [c.node.path for c in cluster.node.find_all()]
        print("waiting", len(_jsii._answers.waiting))
        print(len(paths), paths[3], paths[-1])
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["waiting True", "waiting 0", "603 apps/web/o0 apps/web/o599"]


def test_an_error_the_kernel_answers_is_raised_by_settle_and_the_channel_stays_in_step() -> None:
    proc = run(
        """
        from fako import _jsii
        from fako.tree import Cluster, Layer, FakoObject

        class NoSuchClass(FakoObject):
            pass

        cluster = Cluster("c")
        layer = Layer(cluster, "apps")
        ok = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}
        FakoObject(layer, "a", ok)
        bad = NoSuchClass.__new__(NoSuchClass)
        _jsii.create(bad, type("X", (), {"__jsii_type__": "cdk8s.NoSuchThing"}), layer, "b", ok)
        FakoObject(layer, "c", ok)
        try:
            _jsii.settle()
        except RuntimeError as exc:
            print("raised", "NoSuchThing" in str(exc))
        print("waiting", len(_jsii._answers.waiting))
        print(sorted(c.node.id for c in layer.node.children))
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == ["raised True", "waiting 0", "['a', 'c']"]


def test_a_scope_still_on_its_way_is_named_by_the_number_the_kernel_will_give_it() -> None:
    """Once the kernel's numbering is known, a child's create names its scope by the
    reference the kernel will give it, so it does not wait for the scope's answer; the
    guess is checked when the answer is read."""
    proc = run(
        """
        from fako import _jsii
        from fako.tree import Cluster, Group, Layer, FakoObject
        cm = lambda n: {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": n}}
        cluster = Cluster("c")
        layer = Layer(cluster, "apps")
        first = Group(layer, "first")
        FakoObject(first, "a", cm("a"))  # waits for first's answer: the numbering is unknown yet
        _jsii.settle()
        second = Group(layer, "second")
        FakoObject(second, "b", cm("b"))
        print("in flight", len(_jsii._answers.waiting))
        _jsii.settle()
        print(second.__jsii_ref__.ref.startswith("constructs.Construct@"), [c.node.path for c in second.node.children])

        print("known", _jsii._answers.next_id is not None)  # reading the tree registers objects
        third = Group(layer, "third")
        FakoObject(third, "c", cm("c"))  # waits, and learns the numbering again
        _jsii._answers.next_id += 7  # as if the kernel had registered objects fako did not see
        fourth = Group(layer, "fourth")
        FakoObject(fourth, "d", cm("d"))
        try:
            _jsii.settle()
        except RuntimeError as exc:
            print("raised", "where fako expected" in str(exc))
        print("known", _jsii._answers.next_id is not None)
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "in flight 2",
        "True ['apps/second/b']",
        "known False",
        "raised True",
        "known False",
    ]


def test_answers_read_up_to_a_scope_leave_the_numbering_unknown_while_others_are_in_flight() -> None:
    proc = run(
        """
        from fako import _jsii
        from fako.tree import Cluster, Group, Layer, FakoObject
        cm = lambda n: {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": n}}
        cluster = Cluster("c")
        layer = Layer(cluster, "apps")
        group = Group(layer, "g")  # the numbering is unknown: no number expected
        FakoObject(layer, "o1", cm("o1"))
        FakoObject(layer, "o2", cm("o2"))
        FakoObject(group, "child", cm("child"))  # reads the answers up to the group's only
        FakoObject(group, "second", cm("second"))
        _jsii.settle()
        print(sorted(c.node.path for c in cluster.node.find_all() if c.node.path))
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "['apps', 'apps/g', 'apps/g/child', 'apps/g/second', 'apps/o1', 'apps/o2']"


def test_a_kernel_started_early_is_the_one_jsii_uses() -> None:
    proc = run(
        """
        import os
        from pathlib import Path
        from fako import kernel
        kernel.start_early()
        early = kernel._early.pid
        import fako._jsii
        fako._jsii.cdk8s.App()
        kids = [c for t in Path(f"/proc/{os.getpid()}/task").iterdir() for c in (t / "children").read_text().split()]
        print(kids == [str(early)])
        kernel.start_early()  # the kernel runs: nothing more is started
        print(kernel._early is None)
        """
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "True"]


def test_a_kernel_started_early_but_never_used_ends_with_python() -> None:
    proc = run(
        """
        from fako import kernel
        kernel.start_early()
        print(kernel._early.pid)
        """
    )
    assert proc.returncode == 0, proc.stderr
    pid = int(proc.stdout)
    status = Path(f"/proc/{pid}/status")
    state = status.read_text() if status.exists() else ""
    assert "State:\tS" not in state and "State:\tR" not in state, state
