"""Placement checks: every pod template must fit at least one declared node pool.

A pod fits a pool when its nodeSelector and required node affinity match the pool's
labels and it tolerates the pool's NoSchedule/NoExecute taints. Skipped when the
cluster facts declare no pools.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fako.rendered import RenderedObject
from fako.validation.facts import NodePool, Taint
from fako.validation.findings import Finding, finding
from fako.validation.pods import PodTemplate, mapping, pod_templates, sequence

__all__ = ["check_scheduling", "fitting_pools"]

_BLOCKING = ("NoSchedule", "NoExecute")


def _expression_holds(expression: dict[str, Any], labels: dict[str, str]) -> bool:
    key, op = str(expression.get("key", "")), expression.get("operator")
    values = [str(v) for v in sequence(expression.get("values"))]
    present = key in labels
    if op == "In":
        return present and labels[key] in values
    if op == "NotIn":
        return not present or labels[key] not in values
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    if op in ("Gt", "Lt") and present and values:
        try:
            number, bound = int(labels[key]), int(values[0])
        except ValueError:
            return False
        return number > bound if op == "Gt" else number < bound
    return False


def _required_terms(spec: dict[str, Any]) -> list[dict[str, Any]]:
    affinity = mapping(mapping(spec.get("affinity")).get("nodeAffinity"))
    required = mapping(affinity.get("requiredDuringSchedulingIgnoredDuringExecution"))
    return [mapping(t) for t in sequence(required.get("nodeSelectorTerms"))]


def _affinity_holds(spec: dict[str, Any], labels: dict[str, str]) -> bool:
    terms = _required_terms(spec)
    if not terms:
        return True
    return any(
        all(_expression_holds(mapping(e), labels) for e in sequence(term.get("matchExpressions"))) for term in terms
    )


def _tolerates(toleration: dict[str, Any], taint: Taint) -> bool:
    effect = toleration.get("effect")
    if effect and effect != taint.effect:
        return False
    key = toleration.get("key")
    if not key:
        return toleration.get("operator") == "Exists"
    if key != taint.key:
        return False
    if toleration.get("operator") == "Exists":
        return True
    return str(toleration.get("value") or "") == (taint.value or "")


def _blocking(pool: NodePool, tolerations: list[dict[str, Any]]) -> list[Taint]:
    return [t for t in pool.taints if t.effect in _BLOCKING and not any(_tolerates(x, t) for x in tolerations)]


def fitting_pools(spec: dict[str, Any], pools: Sequence[NodePool]) -> list[NodePool]:
    """The pools a pod spec can run on: its nodeSelector and required node affinity match
    the pool's labels and it tolerates every NoSchedule/NoExecute taint of the pool."""
    selector = {str(k): str(v) for k, v in mapping(spec.get("nodeSelector")).items()}
    tolerations = [mapping(t) for t in sequence(spec.get("tolerations"))]
    return [
        p
        for p in pools
        if all(p.labels.get(k) == v for k, v in selector.items())
        and _affinity_holds(spec, p.labels)
        and not _blocking(p, tolerations)
    ]


def _selector_fix(selector: dict[str, str], pools: Sequence[NodePool]) -> str:
    offered = sorted({f"{k}={p.labels[k]} ({p.name})" for p in pools for k in selector if k in p.labels})
    if offered:
        return f"node pools have {', '.join(offered)}"
    keys = ", ".join(f"'{k}'" for k in selector)
    return f"no node pool has label {keys}; pools: {', '.join(p.name for p in pools)}"


def _check_template(template: PodTemplate, pools: Sequence[NodePool]) -> Iterator[Finding]:
    obj, spec = template.obj, template.spec
    selector = {str(k): str(v) for k, v in mapping(spec.get("nodeSelector")).items()}
    tolerations = [mapping(t) for t in sequence(spec.get("tolerations"))]
    matching = [
        p for p in pools if all(p.labels.get(k) == v for k, v in selector.items()) and _affinity_holds(spec, p.labels)
    ]
    if not matching:
        wanted = ", ".join(f"{k}={v}" for k, v in selector.items()) or "(none)"
        with_affinity = " with its required node affinity" if _required_terms(spec) else ""
        yield finding(
            obj,
            "node.selector",
            f"{template.at}: nodeSelector {wanted}{with_affinity} matches no node pool, so its pods stay Pending",
            f"{_selector_fix(selector, pools)}; fix the selector or declare the pool",
            value=wanted,
        )
    elif all(_blocking(p, tolerations) for p in matching):
        taints = "; ".join(f"{p.name}: {', '.join(map(str, _blocking(p, tolerations)))}" for p in matching)
        yield finding(
            obj,
            "node.taint",
            f"{template.at}: every node pool it selects has a taint it does not tolerate ({taints})",
            "add a toleration for the taint, or select another pool",
            value=taints,
        )
    all_taints = [t for p in pools for t in p.taints]
    for toleration in tolerations:
        if toleration.get("key") and not any(_tolerates(toleration, t) for t in all_taints):
            effect = f":{toleration['effect']}" if toleration.get("effect") else ""
            yield finding(
                obj,
                "node.toleration",
                f"{template.at}: tolerates taint {toleration['key']}{effect}, which no node pool has",
                "remove the toleration, or declare the taint on its node pool",
                severity="warning",
                value=str(toleration["key"]),
            )


def check_scheduling(objects: Sequence[RenderedObject], pools: Sequence[NodePool]) -> Iterator[Finding]:
    """Pod templates that no declared node pool can run."""
    if not pools:
        return
    for obj in objects:
        for template in pod_templates(obj):
            yield from _check_template(template, pools)
