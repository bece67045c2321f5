"""The reviewed part of a cutover: objects fako leaves out on purpose, each with a reason.

A cluster module sets `CUTOVER = CutoverPlan(intentional_prunes=(...))` next to its
`CLUSTER`; `fako cutover` reads it. It is data, reviewed like code: every entry names one
object by identity and says why fako does not render it.
"""

from __future__ import annotations

import importlib

from pydantic import field_validator, model_validator

from fako.constructs.base import Spec
from fako.errors import FakoError

__all__ = ["CutoverPlan", "IntentionalPrune", "load_plan"]


class IntentionalPrune(Spec):
    """One object the old Kustomizations apply that fako deliberately does not render.

    Identity as Flux and Kubernetes see it: the API group (not the version, `""` for the
    core group), kind, namespace (`""` for cluster-scoped kinds) and name. `reason` is shown
    next to the object in every report.
    """

    group: str = ""
    """API group of the object (`apps`, `external-secrets.io`). Default: the core group."""
    kind: str
    namespace: str = ""
    """Default: cluster-scoped."""
    name: str
    reason: str

    @field_validator("group")
    @classmethod
    def _group_not_version(cls, value: str) -> str:
        if "/" in value:
            raise ValueError(f"is an API group, without the version: got {value!r}, write {value.split('/')[0]!r}")
        return value

    @field_validator("reason")
    @classmethod
    def _reason_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an intentional prune needs a reason: say why fako leaves the object out")
        return value

    @property
    def identity(self) -> tuple[str, str, str, str]:
        """(group, kind, namespace, name), as `fako.cutover.ObjectId` compares."""
        return (self.group, self.kind, self.namespace, self.name)


class CutoverPlan(Spec):
    """What a cluster's cutover to fako's render may remove without failing.

    Default: nothing. `fako cutover` exits 1 when the switch would prune an object that is
    neither rendered by fako nor listed here; an entry that matches no pruned object is
    reported as stale.
    """

    intentional_prunes: tuple[IntentionalPrune, ...] = ()

    @model_validator(mode="after")
    def _no_duplicates(self) -> CutoverPlan:
        seen: set[tuple[str, str, str, str]] = set()
        for entry in self.intentional_prunes:
            if entry.identity in seen:
                group, kind, namespace, name = entry.identity
                where = f"{namespace}/{name}" if namespace else name
                raise ValueError(f"{kind} {where} ({group or 'core'}) is listed twice; keep one entry")
            seen.add(entry.identity)
        return self


def load_plan(cluster: str) -> CutoverPlan:
    """The cutover plan of cluster `cluster`: `CUTOVER` of `fako.clusters.<cluster>`, else an empty one."""
    try:
        module = importlib.import_module(f"fako.clusters.{cluster}")
    except ModuleNotFoundError as exc:
        if exc.name == f"fako.clusters.{cluster}":
            raise FakoError(f"no cluster named {cluster!r} (expected module fako.clusters.{cluster})") from None
        raise
    plan = getattr(module, "CUTOVER", CutoverPlan())
    if not isinstance(plan, CutoverPlan):
        raise FakoError(f"fako.clusters.{cluster}.CUTOVER is a {type(plan).__name__}, not a CutoverPlan")
    return plan
