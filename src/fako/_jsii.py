"""cdk8s and constructs on jsii's kernel, started the way fako runs it (`fako.kernel`),
and `create`: fako's objects made in the kernel without waiting for each answer.
"""

from __future__ import annotations

import atexit
import collections
import json
import threading
from typing import Any

from fako.kernel import configure, early_loads, kernel_program, node_executable, take_early

__all__ = [
    "JsiiRef",
    "Pipelined",
    "cdk8s",
    "constructs",
    "create",
    "create_root",
    "jsii",
    "kernel_program",
    "node_executable",
    "settle",
]

configure()


def _adopt_early_start() -> None:
    """Let jsii take the kernel process `fako.kernel.start_early` started, if any, instead
    of starting one (what it does on start, with that process)."""
    try:
        from jsii._kernel.providers import process as provider
    except ImportError:  # pragma: no cover - depends on the jsii version
        return
    node = getattr(provider, "_NodeProcess", None)
    sink = getattr(provider, "stderr_sink", None)
    if node is None or sink is None or getattr(node, "_fako_adopts", False):
        return
    own_start = node.start

    def start(self: Any) -> None:
        early = take_early()
        if early is None:
            own_start(self)
            return
        self._process = early
        self.sink_thread = threading.Thread(name="process.stderr_sink", target=sink, args=(early.stderr,), daemon=True)
        self.sink_thread.start()
        atexit.register(self.stop)
        self.handshake()
        for _ in range(early_loads()):  # the loads start_early sent ahead: jsii's own follow
            self._next_message()

    node.start = start
    node._fako_adopts = True


_adopt_early_start()

import cdk8s  # noqa: E402
import constructs  # noqa: E402
import jsii  # noqa: E402
from jsii._runtime import JSIIMeta  # noqa: E402

# One construct = one jsii request. The public constructors of the generated bindings
# run typeguard checks on every argument, turn structs into JSON through cattrs, rescan
# the Python class for overridden methods on every instance, and wait for Node's answer
# before Python goes on: together several times the work Node does. fako's objects pass
# plain JSON-ready arguments, so `create` writes the request itself (the kernel's wire
# format: one JSON line per request and per answer) with the overrides computed once per
# class, and does not wait: Python builds the next objects while Node makes this one. The
# answers (each object's reference) are read in order when something needs them: a
# child's create needs its scope's reference, any other jsii call first takes every
# answer due (so it reads its own), and `settle()` takes them at the end of each app, so
# an error surfaces in the app that caused it. Should the kernel's internals change,
# `create` returns False and the caller runs the public constructor.
try:
    from jsii import _reference_map
    from jsii._kernel import _get_overides
    from jsii._kernel.types import ObjRef
    from jsii._runtime import kernel as _kernel

    _FAST = hasattr(type(_kernel.provider), "_process")
except ImportError:  # pragma: no cover - depends on the jsii version
    _FAST = False

_overrides: dict[type, list[dict[str, Any]]] = {}
_IN_FLIGHT = 256
"""Creates sent ahead of their answers at most: their answers (~60 bytes each) stay well
inside a pipe's buffer, so Node never blocks writing one while Python is writing."""


class _Answers:
    """The creates sent to the kernel whose answers have not been read yet."""

    def __init__(self) -> None:
        self.waiting: collections.deque[Any] = collections.deque()
        self.process: Any = None
        self.next_id: int | None = None
        """The number the kernel gives the next object it registers, when known: it counts
        every object it registers, and between creates nothing else registers one."""

    def channel(self) -> Any:
        """The kernel's process (started on first use), its `send` taught to read the
        answers due before its own."""
        if self.process is None:
            provider: Any = _kernel.provider
            process = provider._process
            send = process.send

            def send_after_creates(request: Any, response_type: Any) -> Any:
                self.settle()
                self.next_id = None  # the call may register objects of its own
                return send(request, response_type)

            process.send = send_after_creates
            self.process = process
        return self.process

    def settle(self, until: Any = None) -> None:
        """Read the answers due, in order; stop after `until`'s when it is given. An error
        answer is raised once every answer sent before the next request is read, so the
        channel stays in step."""
        if not self.waiting:
            return
        process = self.channel()
        process._process.stdin.flush()
        failed: str | None = None
        while self.waiting:
            obj = self.waiting.popleft()
            message = process._next_message()
            ref = message.get("ok") if isinstance(message, dict) else None
            predicted = obj.__dict__.pop(_PREDICTED, None)
            if isinstance(ref, ObjRef):
                obj.__dict__[_REF] = ref
                _reference_map.register_reference(obj)
                if predicted is not None and predicted != ref.ref and failed is None:
                    failed = f"the jsii kernel numbered {ref.ref} where fako expected {predicted} (a bug in fako)"
                if not self.waiting:  # creates still in flight have numbers of their own
                    number = ref.ref.rpartition("@")[2]
                    self.next_id = int(number) + 1 if number.isdigit() and failed is None else None
            elif failed is None:
                error = message.get("error") if isinstance(message, dict) else None
                failed = str(error or f"unexpected answer from the jsii kernel: {str(message)[:200]}")
            if obj is until and failed is None:
                return
        if failed is not None:
            self.next_id = None
            raise RuntimeError(failed)


_answers = _Answers()
_REF = "_fako_jsii_ref"
_PREDICTED = "_fako_jsii_predicted"


class JsiiRef:
    """`__jsii_ref__` of an object made by `create`: its reference in the kernel, read
    from the kernel's answer when it is first needed."""

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        ref = obj.__dict__.get(_REF)
        if ref is None and any(o is obj for o in _answers.waiting):
            _answers.settle(until=obj)
            ref = obj.__dict__.get(_REF)
        if ref is None:
            raise AttributeError("__jsii_ref__")
        return ref

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[_REF] = value


class Pipelined(JSIIMeta):
    """The metaclass of fako's constructs: jsii's, without its registration of every new
    instance in the reference map (which needs the reference, so it would wait for Node's
    answer); the answer's reader registers the instance, and so does the public
    constructor on the fallback path."""

    __call__ = type.__call__


def settle() -> None:
    """Read every answer due from the kernel: an error a create met is raised here."""
    _answers.settle()


def create(obj: Any, jsii_class: Any, scope: Any, id: str, props: dict[str, Any] | None = None) -> bool:
    """Send the create of the Node side of `obj` (an instance of a subclass of
    `jsii_class`, whose class sets `__jsii_ref__ = JsiiRef()`), without waiting for it.

    Returns False when the fast path is unavailable; the caller then runs the public
    constructor instead.
    """
    if not _FAST:
        return False
    # a scope whose answer is still on its way is named by the reference the kernel is
    # known to give it (checked when the answer is read), so its children need not wait
    scope_ref = scope.__dict__.get(_REF)
    scope_name = scope_ref.ref if scope_ref is not None else scope.__dict__.get(_PREDICTED)
    if scope_name is None:
        scope_name = scope.__jsii_ref__.ref
    args: list[Any] = [{"$jsii.byref": scope_name}, id]
    if props is not None:
        args.append(props)
    _send_create(obj, jsii_class, args)
    return True


def create_root(obj: Any, jsii_class: Any) -> bool:
    """`create` for a construct without a scope (the cdk8s `App`), with default props."""
    if not _FAST:
        return False
    _send_create(obj, jsii_class, [])
    return True


def _send_create(obj: Any, jsii_class: Any, args: list[Any]) -> None:
    cls = type(obj)
    overrides = _overrides.get(cls)
    if overrides is None:
        overrides = _overrides[cls] = [
            {"method": o.method, "property": o.property, "cookie": o.cookie} for o in _get_overides(jsii_class, obj)
        ]
    fqn = jsii_class.__jsii_type__
    request = {"fqn": fqn, "args": args, "overrides": overrides, "interfaces": [], "api": "create"}
    process = _answers.channel()
    process._process.stdin.write(json.dumps(request, separators=(",", ":")).encode() + b"\n")
    _answers.waiting.append(obj)
    if _answers.next_id is not None:
        obj.__dict__[_PREDICTED] = f"{fqn}@{_answers.next_id}"
        _answers.next_id += 1
    if len(_answers.waiting) >= _IN_FLIGHT:
        _answers.settle()
