"""`fako.nodestart`: Node starts in a thread while the models load; failures surface in place."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def run(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_start_early_loads_the_models_and_cdk8s_is_ready_for_the_next_import() -> None:
    out = run(
        """
        import sys, threading
        from fako.nodestart import start_early
        start_early()
        print("k8s" if "fako.k8s" in sys.modules else "no k8s")
        print("fako._jsii" in sys.modules and not [t for t in threading.enumerate() if t.name == "fako-node-start"])
        import fako._jsii
        print(fako._jsii.cdk8s.App().node.id == "")
        """
    )
    assert out.split() == ["k8s", "True", "True"]


def test_a_failed_background_import_is_raised_by_the_next_import() -> None:
    out = run(
        """
        import importlib.abc, sys
        class Block(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name == "cdk8s":
                    raise ImportError("no cdk8s here")
                return None
        sys.meta_path.insert(0, Block())
        from fako.nodestart import start_early
        start_early()
        try:
            import fako._jsii
        except ImportError as exc:
            print("raised:", exc)
        print("fako._jsii" in sys.modules)
        """
    )
    assert out.splitlines() == ["raised: no cdk8s here", "False"]


def test_nothing_is_started_twice() -> None:
    out = run(
        """
        import threading
        import fako._jsii
        from fako.nodestart import start_early
        start_early()
        print(sum(t.name == "fako-node-start" for t in threading.enumerate()))
        """
    )
    assert out.split() == ["0"]
