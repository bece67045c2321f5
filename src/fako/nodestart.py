"""Start Node (jsii's kernel) in the background while Python builds the models.

Importing cdk8s starts a Node process and loads the cdk8s and constructs assemblies into
it: about a quarter of a second, mostly spent waiting for Node. The Kubernetes models
(`fako.k8s`) need no Node and take about as long to build. `start_early` overlaps the
two: a thread imports cdk8s (the Node side runs in its own process, so the wait does not
hold the interpreter) while the calling thread imports the models. The first import of
cdk8s anywhere else simply waits for that thread's import to finish (Python's import
lock), so nothing can use jsii before it is ready; should the thread's import fail, the
module is not left behind and the next import raises the error where it belongs.
"""

from __future__ import annotations

import importlib
import sys
import threading

__all__ = ["start_early"]


def _import_cdk8s() -> None:
    try:
        importlib.import_module("fako._jsii")
    except BaseException:  # the importing thread's own import reports it
        return


def start_early() -> None:
    """Start Node in a thread unless cdk8s is loaded already, and build the models meanwhile."""
    if "fako._jsii" in sys.modules:
        return
    threading.Thread(target=_import_cdk8s, name="fako-node-start", daemon=True).start()
    importlib.import_module("fako.k8s")
