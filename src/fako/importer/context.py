"""What the recognisers share while one app is imported: the objects left, names taken, files.

A recogniser turns some input objects into a `Piece` (statements plus the objects they
stand for) after checking it in the scratch tree; `Context` hands out construct ids that
stay unique per scope, variable names, and the verbatim files the module will read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fako.importer.check import Scratch
from fako.importer.code import Stmt
from fako.importer.loading import Manifest

__all__ = ["RANKS", "Context", "Piece", "id_suffix", "rank_of"]

RANKS: dict[str, int] = {
    "Namespace": 0,
    "CustomResourceDefinition": 1,
    "SecretStore": 10,
    "ClusterSecretStore": 10,
    "Secret": 12,
    "ExternalSecret": 14,
    "ConfigMap": 20,
    "StorageClass": 30,
    "PersistentVolume": 31,
    "PersistentVolumeClaim": 32,
    "HelmRepository": 35,
    "HelmRelease": 36,
    "Deployment": 40,
    "StatefulSet": 41,
    "DaemonSet": 42,
    "Service": 50,
    "Endpoints": 51,
    "Ingress": 52,
    "IngressRoute": 53,
    "Middleware": 54,
    "ServersTransport": 55,
    "NetworkPolicy": 56,
    "CronJob": 60,
    "Job": 61,
    "CronWorkflow": 62,
    "WorkflowTemplate": 63,
    "HorizontalPodAutoscaler": 70,
    "PodDisruptionBudget": 71,
    "PriorityClass": 72,
    "ServiceAccount": 80,
    "Role": 81,
    "RoleBinding": 82,
    "ClusterRole": 83,
    "ClusterRoleBinding": 84,
}
"""The order a person writes an app in: namespace, secrets, config, storage, workloads,
exposure, jobs, scaling, RBAC, then everything else."""


def rank_of(kind: str) -> int:
    """Where objects of `kind` go in `build()` (lower first)."""
    return RANKS.get(kind, 90)


_SHORT_KINDS = {
    "ConfigMap": "config",
    "ClusterRole": "cluster-role",
    "ClusterRoleBinding": "cluster-binding",
    "ExternalSecret": "secret",
    "HorizontalPodAutoscaler": "hpa",
    "NetworkPolicy": "netpol",
    "PersistentVolume": "pv",
    "PersistentVolumeClaim": "pvc",
    "PodDisruptionBudget": "pdb",
    "RoleBinding": "binding",
    "ServiceAccount": "sa",
}


_WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job")


def id_suffix(kind: str) -> str:
    """What tells an object's construct id apart from another kind's of the same name."""
    return _SHORT_KINDS.get(kind, kind.lower())


@dataclass
class Piece:
    """Statements standing for some input objects, and where they go in `build()`."""

    stmts: list[Stmt]
    covers: list[Manifest]
    rank: int
    order: int = 0


@dataclass
class Context:
    """The state of one import."""

    app: str
    module: str
    namespace: str
    scratch: Scratch
    manifests: list[Manifest]
    claimed: set[int] = field(default_factory=set)
    ids: dict[str, set[str]] = field(default_factory=dict)
    variables: set[str] = field(default_factory=lambda: {"self"})
    files: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    external: list[tuple[str, str]] = field(default_factory=list)
    sops_files: set[str] = field(default_factory=set)
    _workloads: dict[str, str] | None = None

    def remaining(self) -> list[Manifest]:
        return [m for m in self.manifests if id(m) not in self.claimed]

    def claim(self, piece: Piece) -> Piece:
        for m in piece.covers:
            self.claimed.add(id(m))
        piece.order = min((self.manifests.index(m) for m in piece.covers), default=len(self.manifests))
        return piece

    def in_main(self, m: Manifest) -> bool:
        return m.namespace == self.namespace

    def free_id(self, scope: str, preferred: str, *alternatives: str) -> str:
        """A construct id not taken yet in `scope` (a variable name): `preferred` when free."""
        taken = self.ids.get(scope, set())
        for candidate in (preferred, *alternatives):
            if candidate not in taken:
                return candidate
        n = 2
        while f"{preferred}-{n}" in taken:
            n += 1
        return f"{preferred}-{n}"

    def object_id(self, m: Manifest, scope: str = "self") -> str:
        """An object's construct id: its name (`name-namespace` outside the app's namespace);
        with its kind when the name is taken, or belongs to a workload of another kind."""
        suffix = id_suffix(m.kind)
        if m.namespace and m.namespace != self.namespace:
            return self.free_id(scope, f"{m.name}-{m.namespace}", f"{m.name}-{suffix}-{m.namespace}")
        owner = self.workloads.get(m.name)
        if owner is not None and owner != m.kind:
            return self.free_id(scope, f"{m.name}-{suffix}", m.name)
        return self.free_id(scope, m.name, f"{m.name}-{suffix}")

    @property
    def workloads(self) -> dict[str, str]:
        """Names of the app's workloads (the kind that gets the plain name as its id)."""
        if self._workloads is None:
            self._workloads = {}
            for kind in _WORKLOADS:
                for m in self.manifests:
                    if m.kind == kind and m.namespace == self.namespace:
                        self._workloads.setdefault(m.name, kind)
        return self._workloads

    def take_id(self, scope: str, id: str) -> None:
        self.ids.setdefault(scope, set()).add(id)

    def variable(self, preferred: str) -> str:
        """A local variable name not used yet."""
        name = re.sub(r"\W", "_", preferred)
        if not name or name[0].isdigit():
            name = "v_" + name
        candidate, n = name, 2
        while candidate in self.variables:
            candidate = f"{name}_{n}"
            n += 1
        self.variables.add(candidate)
        return candidate

    def file_key(self, owner: str, key: str) -> str:
        """Where a verbatim value is written under `files/<module>/`: `key`, or `owner/key`
        when another object already wrote a file of that name."""
        for candidate in (key, f"{owner}/{key}"):
            if candidate not in self.files:
                return candidate
        n = 2
        while f"{owner}-{n}/{key}" in self.files:
            n += 1
        return f"{owner}-{n}/{key}"
