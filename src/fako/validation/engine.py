"""`validate()`: every check over a rendered tree, then fixtures and the allow-list."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from fako.rendered import RenderedObject
from fako.validation.catalogue import check_objects
from fako.validation.facts import Allowance, ClusterFacts
from fako.validation.findings import Finding, Report
from fako.validation.hosts import check_hosts
from fako.validation.identities import check_identities, check_secret_owners
from fako.validation.inventory import Inventory
from fako.validation.policy import check_policy
from fako.validation.psa import check_namespace_labels, check_pod_security
from fako.validation.references import check_references
from fako.validation.scheduling import check_scheduling
from fako.validation.schemas import CustomValidator, check_schemas
from fako.validation.security import check_rbac
from fako.validation.semantics import (
    check_data_keys,
    check_flux_paths,
    check_gpu_capacity,
    check_probe_ports,
    check_service_target_ports,
    check_tunnel_services,
)

__all__ = ["ObjectMemo", "each", "expand_lists", "validate"]


class ObjectMemo(Protocol):
    """Remembers the findings of checks that look at one object alone (object rules,
    schemas), so an unchanged object is not checked again (`fako.objectmemo`)."""

    def get(self, obj: RenderedObject, part: str) -> list[Finding] | None:
        """The findings of `part` ("rules" or "schema") on `obj`, when remembered."""

    def put(self, obj: RenderedObject, part: str, findings: list[Finding]) -> None:
        """Remember the findings of `part` on `obj`."""


def each(
    objects: Sequence[RenderedObject],
    part: str,
    run: Callable[[Sequence[RenderedObject]], Iterable[Finding]],
    memo: ObjectMemo | None,
) -> list[Finding]:
    """`run` over `objects`, one object at a time through `memo` when there is one."""
    if memo is None:
        return list(run(objects))
    out: list[Finding] = []
    for obj in objects:
        found = memo.get(obj, part)
        if found is None:
            found = list(run([obj]))
            memo.put(obj, part, found)
        out.extend(found)
    return out


_ALWAYS_CHECKED = ("schema", "identity.")
"""Check-id prefixes that fixtures are not exempt from: they must still apply cleanly."""


def _matches(allowance: Allowance, f: Finding) -> bool:
    return allowance.check == f.check and allowance.ref == f.ref and allowance.value == f.value


def _apply_allow_list(findings: Iterable[Finding], allow: Sequence[Allowance], refs: Sequence[str]) -> list[Finding]:
    """Mark allowed findings; an entry is stale (an error) when it names a rendered object
    but matches no finding on it (an entry for an object not in this render, e.g. a
    switched-off app's, is simply not applicable)."""
    used: set[int] = set()
    result: list[Finding] = []
    for f in findings:
        for i, allowance in enumerate(allow):
            if _matches(allowance, f):
                used.add(i)
                f = dataclasses.replace(f, allowed=allowance.reason)
                break
        result.append(f)
    rendered = set(refs)
    for i, allowance in enumerate(allow):
        if i not in used and allowance.ref in rendered:
            about = f" about {allowance.value!r}" if allowance.value else ""
            result.append(
                Finding(
                    severity="error",
                    check="allow.stale",
                    ref=allowance.ref,
                    message=f"stale allow-list entry: no {allowance.check} finding{about} on {allowance.ref} "
                    f"(reason given: {allowance.reason})",
                    fix="the mistake is gone: remove the entry from the cluster facts' allow list",
                    value=allowance.value,
                )
            )
    return result


def expand_lists(objects: Iterable[RenderedObject]) -> list[RenderedObject]:
    """The objects with every `*List` (`v1/List`, `SecretList`, ...) replaced by its items:
    kubectl applies each item as an object of its own, so each is checked as one."""
    out: list[RenderedObject] = []
    for obj in objects:
        items = obj.manifest.get("items")
        if obj.kind.endswith("List") and isinstance(items, list):
            for i, item in enumerate(items):
                if isinstance(item, dict):
                    source = f"{obj.source} items[{i}]" if obj.source else f"items[{i}]"
                    out.append(dataclasses.replace(obj, manifest=item, source=source, raw=None))
            continue
        out.append(obj)
    return out


def _exempt(f: Finding, fixtures: frozenset[str]) -> bool:
    return f.app in fixtures and not f.check.startswith(_ALWAYS_CHECKED)


def validate(
    objects: Sequence[RenderedObject],
    facts: ClusterFacts,
    *,
    custom: CustomValidator | None = None,
    schemas: bool = True,
    skip_typed_schemas: bool = False,
    complete: bool = False,
    memo: ObjectMemo | None = None,
) -> Report:
    """Run every check over `objects` and return the sorted report.

    Schema checks (strict built-in schemas; custom resources through `custom`, skipped
    when it is None) run unless `schemas=False`. Findings on `facts.fixtures` apps are
    dropped except schema and identity ones; findings the allow-list matches are kept
    as allowed, and allowances that match nothing become `allow.stale` warnings.
    `skip_typed_schemas` checks schemas only of objects no typed construct validated.
    `complete` says the objects are the whole cluster, switched-off apps included: only
    then is an allow-list entry that matches nothing known to be stale (some findings,
    such as a host two apps claim, exist only when both apps are rendered). `memo`
    remembers the checks of single objects across runs; the checks across objects
    always run over the whole render.
    """
    objects = expand_lists(objects)
    inventory = Inventory(objects, facts)
    found: list[Finding] = each(objects, "rules", lambda some: check_objects(some), memo)
    if schemas:
        found.extend(
            each(
                objects,
                "schema",
                lambda some: check_schemas(some, facts.kubernetes_version, custom, skip_typed=skip_typed_schemas),
                memo,
            )
        )
    found.extend(check_identities(objects))
    found.extend(check_secret_owners(inventory))
    found.extend(check_references(objects, inventory, facts))
    found.extend(check_hosts(objects))
    found.extend(check_scheduling(objects, facts.node_pools))
    found.extend(check_policy(objects, facts))
    found.extend(check_rbac(objects))
    found.extend(check_probe_ports(objects))
    found.extend(check_service_target_ports(objects))
    found.extend(check_data_keys(objects, inventory))
    found.extend(check_flux_paths(objects))
    found.extend(check_tunnel_services(objects, inventory))
    found.extend(check_gpu_capacity(objects, facts.node_pools))
    found.extend(check_namespace_labels(objects))
    found.extend(check_pod_security(objects, facts.kubernetes_version))
    kept = [f for f in found if not _exempt(f, facts.fixtures)]
    refs = [o.ref for o in objects]
    return Report.of(_apply_allow_list(kept, facts.allow, refs if complete else ()), objects=len(objects))
