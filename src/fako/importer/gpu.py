"""GPU workloads as requests from the cluster's node pools (`fako.patterns.nodepools`).

A pod whose runtime class, GPU limit, node selector, toleration and hostIPC are what a
pool's `request(n)` gives becomes `gpu = NVIDIA.request(1)` and `**gpu.pod_fields()`, its
container limits `gpu.limits(memory="12Gi")`, as the hand-written GPU apps say it.
"""

from __future__ import annotations

import keyword
from typing import Any

from fako.importer.code import SPLAT, Attr, Call, Const, DictOf, Expr, Local, Name, Stmt, rewrite
from fako.importer.context import Context
from fako.patterns import nodepools
from fako.patterns.gpu import GpuNodePool

__all__ = ["gpu_variant"]

_POD_FIELDS = ("runtime_class_name", "node_selector", "tolerations", "host_ipc")


def _pools() -> list[tuple[str, GpuNodePool]]:
    return [(n, getattr(nodepools, n)) for n in nodepools.__all__ if isinstance(getattr(nodepools, n), GpuNodePool)]


def _count(pod: dict[str, Any], resource: str) -> int | None:
    """The one GPU count the pod's containers ask for (limits), if they ask."""
    counts = {
        (c.get("resources") or {}).get("limits", {}).get(resource)
        for c in pod.get("containers") or []
        if isinstance(c, dict)
    } - {None}
    if len(counts) != 1:
        return None
    count = counts.pop()
    return count if isinstance(count, int) and not isinstance(count, bool) else None


def _request(pod: dict[str, Any]) -> tuple[str, GpuNodePool, list[tuple[str, Expr]], list[tuple[str, Expr]]] | None:
    """(pool name, pool, request() arguments, pod_fields() arguments) the pod spec matches."""
    for name, pool in _pools():
        spec = pool.spec
        if pod.get("runtimeClassName") != spec.runtime_class:
            continue
        count = _count(pod, spec.resource)
        if count is None or count > pool.capacity_per_node:
            continue
        request: list[tuple[str, Expr]] = []
        if pod.get("hostIPC") is not True:
            if "hostIPC" in pod:
                continue
            request.append(("host_ipc", Const(False)))
        fields: list[tuple[str, Expr]] = []
        if "nodeSelector" not in pod:
            fields.append(("node_selector", Const(False)))
        elif pod["nodeSelector"] != spec.selector:
            continue
        req = pool.request(count)
        wanted = [req.toleration.to_dict()] if req.toleration else []
        if "tolerations" not in pod:
            fields.append(("tolerate", Const(False)))
        elif pod["tolerations"] != wanted:
            continue
        return name, pool, [("count", Const(count)), *request], fields
    return None


def _gpu_dict(node: Expr, gpu: str, resource: str, method: str) -> Expr | None:
    """`{"memory": "12Gi", "nvidia.com/gpu": 1}` as `gpu.limits(memory="12Gi")`."""
    if not isinstance(node, DictOf) or not any(k == Const(resource) for k, _ in node.items):
        return None
    others: list[tuple[str, Expr]] = []
    for key, value in node.items:
        if key == Const(resource):
            continue
        if not isinstance(key, Const) or not isinstance(key.value, str) or not key.value.isidentifier():
            return None
        if keyword.iskeyword(key.value):
            return None
        others.append((key.value, value))
    return Call(Attr(Local(gpu), method), kwargs=tuple(others))


def gpu_variant(stmt: Stmt, pod: dict[str, Any], ctx: Context) -> tuple[Stmt, Stmt, str] | None:
    """(`gpu = POOL.request(n)`, the workload call using it, the variable), when the pod spec
    is a pool's request; unchecked."""
    got = _request(pod)
    if got is None or not isinstance(stmt.expr, Call):
        return None
    pool_name, pool, request_args, field_args = got
    call = stmt.expr
    names = {k for k, _ in call.kwargs}
    if "runtime_class_name" not in names:
        return None
    gpu = ctx.variable("gpu")
    splat = (SPLAT, Call(Attr(Local(gpu), "pod_fields"), kwargs=tuple(field_args)))
    kwargs: list[tuple[str, Expr]] = []
    for key, value in call.kwargs:
        if key == "containers":
            kwargs.append(splat)
        if key not in _POD_FIELDS:
            kwargs.append((key, value))
    resource = pool.spec.resource

    def swap(node: Expr, arg: str | None) -> Expr | None:
        if arg in ("limits", "requests"):
            return _gpu_dict(node, gpu, resource, arg)
        return None

    kwargs = [(k, rewrite(v, swap, k) if k == "containers" else v) for k, v in kwargs]
    args = [v for k, v in request_args if k == "count"]
    rest = tuple((k, v) for k, v in request_args if k != "count")
    pool_ref = Name(pool_name, nodepools.__name__, pool_name, pool)
    setup = Stmt(Call(Attr(pool_ref, "request"), tuple(args), rest), target=gpu)
    return setup, Stmt(Call(call.func, call.args, tuple(kwargs)), stmt.target, stmt.comments), gpu
