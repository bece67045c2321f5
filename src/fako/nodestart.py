"""Start Node (jsii's kernel) in the background while Python builds the models.

Importing cdk8s starts a Node process and loads the cdk8s and constructs assemblies into
it: about a quarter of a second, mostly spent waiting for Node. The Kubernetes models
(`fako.k8s`) need no Node and take about as long to build. `start_early` overlaps the
two: a thread imports cdk8s (the Node side runs in its own process, so the wait does not
hold the interpreter) while the calling thread imports the models, and `start_early`
returns when both are done. Should the thread's import fail, the module is not left
behind and the next import of cdk8s raises the error where it belongs.
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
    """Start Node in a thread unless cdk8s is loaded already, and build the models meanwhile.

    Returns once both are done, so no import runs in two threads after it.
    """
    if "fako._jsii" in sys.modules:
        return
    thread = threading.Thread(target=_import_cdk8s, name="fako-node-start", daemon=True)
    thread.start()
    try:
        importlib.import_module("fako.k8s")
    except RuntimeError:
        # importlib's deadlock detection: the two threads met in a module both import
        # (a circular import entered from both ends); import again once cdk8s is done
        thread.join()
        importlib.import_module("fako.k8s")
    thread.join()
