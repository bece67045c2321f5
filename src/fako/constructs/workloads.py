"""Workloads: `Deployment`, `StatefulSet`, `DaemonSet`.

The spec is the Kubernetes one (`replicas`, `selector`, `strategy`, `template`, ...) plus
the object's name and metadata; nothing is defaulted, no selector label is generated.
`fako.constructs.pods` has the helpers that keep pod templates short.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.base import ObjectSpec, TypedObject

__all__ = ["DaemonSet", "DaemonSetSpec", "Deployment", "DeploymentSpec", "StatefulSet", "StatefulSetSpec"]


class DeploymentSpec(ObjectSpec, k8s.DeploymentSpec):
    """An `apps/v1` Deployment: metadata plus the Kubernetes `DeploymentSpec` fields."""


class StatefulSetSpec(ObjectSpec, k8s.StatefulSetSpec):
    """An `apps/v1` StatefulSet: metadata plus the Kubernetes `StatefulSetSpec` fields."""


class DaemonSetSpec(ObjectSpec, k8s.DaemonSetSpec):
    """An `apps/v1` DaemonSet: metadata plus the Kubernetes `DaemonSetSpec` fields."""


class Deployment(TypedObject):
    """An `apps/v1/Deployment`."""

    api_version = "apps/v1"
    kind = "Deployment"
    spec_type = DeploymentSpec


class StatefulSet(TypedObject):
    """An `apps/v1/StatefulSet`."""

    api_version = "apps/v1"
    kind = "StatefulSet"
    spec_type = StatefulSetSpec


class DaemonSet(TypedObject):
    """An `apps/v1/DaemonSet`."""

    api_version = "apps/v1"
    kind = "DaemonSet"
    spec_type = DaemonSetSpec
