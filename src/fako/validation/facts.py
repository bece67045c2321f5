"""`ClusterFacts`: what the cluster has that the render does not contain as objects."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeInt, field_validator

__all__ = ["POLICY_CHECKS", "Allowance", "ClusterFacts", "NodePool", "Taint"]

POLICY_CHECKS = ("policy.image-tag", "policy.resources", "policy.probes", "policy.run-as-root")
"""The policy checks whose severity a cluster can choose (`ClusterFacts.policy`)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Taint(_Frozen):
    """A node taint: pods that do not tolerate it are kept off (NoSchedule/NoExecute)."""

    key: str
    value: str | None = None
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"] = "NoSchedule"

    def __str__(self) -> str:
        value = f"={self.value}" if self.value is not None else ""
        return f"{self.key}{value}:{self.effect}"


class NodePool(_Frozen):
    """Nodes that share labels and taints (one node is a pool of one).

    `labels` are all labels the nodes carry, including the built-in ones a selector may
    use (`kubernetes.io/hostname`, `kubernetes.io/arch`, `kubernetes.io/os`). `size` is
    how many nodes the pool has (default 1). `allocatable` holds the countable extended
    resources each node offers (`{"nvidia.com/gpu": 1}`; time-sliced GPUs count their
    replicas): pods asking for a resource named here are checked against it (default:
    none, nothing is checked).
    """

    name: str
    labels: dict[str, str] = Field(default_factory=dict)
    taints: tuple[Taint, ...] = ()
    size: int = Field(1, ge=1)
    allocatable: dict[str, NonNegativeInt] = Field(default_factory=dict)


class Allowance(_Frozen):
    """A reviewed exception: the finding of `check` on object `ref` about `value` is allowed.

    All three match exactly: `value` is the offending value the finding names (the host,
    the missing name, the host path, the selector), so an entry accepts one known
    mistake and never a new one on the same object. `reason` is shown next to the
    finding it allows. An entry that matches no finding on an object of the render is
    stale, and a stale entry is an error: remove it in the commit that fixes the mistake.
    """

    check: str
    ref: str
    value: str = ""
    reason: str

    @field_validator("check", "ref")
    @classmethod
    def _no_globs(cls, value: str) -> str:
        if any(ch in value for ch in "*?["):
            raise ValueError(
                f"allow-list entries name one object exactly, got {value!r}: write one entry per object "
                "(a glob would also accept new mistakes)"
            )
        return value

    @field_validator("reason")
    @classmethod
    def _reason_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("an allowance needs a reason: say why the finding is acceptable")
        return value


class ClusterFacts(_Frozen):
    """What the cluster declares outside the rendered objects, and how strict to be.

    Defaults describe the Fako cluster (K3s 1.34, traefik, the NFS storage classes the
    StorageClass Job creates, the nvidia RuntimeClass from the GPU operator).
    `node_pools` empty means placement is not checked. `external` holds
    `(kind, namespace, name)` of objects that exist but are made by hand or by
    controllers (namespace `""` for cluster-scoped kinds). `policy` sets the severity of
    each policy check (default warning). `fixtures` are apps that are broken on purpose:
    reference, policy, host and placement checks skip them.
    """

    kubernetes_version: str = "1.34"
    node_pools: tuple[NodePool, ...] = ()
    storage_classes: frozenset[str] = frozenset(
        {"nfs-csi-v2", "nfs-postgres-v2", "nfs-backup", "nfs-security-logs", "local-path", ""}
    )
    ingress_classes: frozenset[str] = frozenset({"traefik"})
    runtime_classes: frozenset[str] = frozenset({"nvidia"})
    priority_classes: frozenset[str] = frozenset({"system-node-critical", "system-cluster-critical"})
    external: frozenset[tuple[str, str, str]] = frozenset()
    allow: tuple[Allowance, ...] = ()
    policy: dict[str, Literal["warning", "error"]] = Field(default_factory=dict)
    fixtures: frozenset[str] = frozenset()

    @field_validator("policy")
    @classmethod
    def _known_policy(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(POLICY_CHECKS))
        if unknown:
            raise ValueError(f"unknown policy check {', '.join(unknown)}; choose from {', '.join(POLICY_CHECKS)}")
        return value

    @field_validator("kubernetes_version")
    @classmethod
    def _major_minor(cls, value: str) -> str:
        parts = value.removeprefix("v").split(".")
        if len(parts) < 2 or not all(p.isdigit() for p in parts[:2]):
            raise ValueError(f"must look like '1.34', got {value!r}")
        return ".".join(parts[:2])

    def severity(self, check: str) -> Literal["warning", "error"]:
        """The severity this cluster gives a policy check."""
        return self.policy.get(check, "warning")
