"""Scheduling and availability: `PodDisruptionBudget`, `HorizontalPodAutoscaler`, `PriorityClass`."""

from __future__ import annotations

from pydantic import Field

from fako import k8s
from fako.constructs.base import ObjectSpec, TypedObject

__all__ = [
    "HorizontalPodAutoscaler",
    "HorizontalPodAutoscalerSpec",
    "PodDisruptionBudget",
    "PodDisruptionBudgetSpec",
    "PriorityClass",
    "PriorityClassSpec",
]


class PodDisruptionBudgetSpec(ObjectSpec, k8s.PodDisruptionBudgetSpec):
    """A `policy/v1` PodDisruptionBudget."""


class PodDisruptionBudget(TypedObject):
    """A `policy/v1/PodDisruptionBudget`."""

    api_version = "policy/v1"
    kind = "PodDisruptionBudget"
    spec_type = PodDisruptionBudgetSpec


class HorizontalPodAutoscalerSpec(ObjectSpec, k8s.HorizontalPodAutoscalerSpec):
    """An `autoscaling/v2` HorizontalPodAutoscaler."""


class HorizontalPodAutoscaler(TypedObject):
    """An `autoscaling/v2/HorizontalPodAutoscaler`."""

    api_version = "autoscaling/v2"
    kind = "HorizontalPodAutoscaler"
    spec_type = HorizontalPodAutoscalerSpec


class PriorityClassSpec(ObjectSpec):
    """A `scheduling.k8s.io/v1` PriorityClass (cluster-scoped)."""

    value: int
    global_default: bool | None = Field(None, alias="globalDefault")
    description: str | None = None
    preemption_policy: str | None = Field(None, alias="preemptionPolicy")


class PriorityClass(TypedObject):
    """A `scheduling.k8s.io/v1/PriorityClass`."""

    api_version = "scheduling.k8s.io/v1"
    kind = "PriorityClass"
    spec_type = PriorityClassSpec
    namespaced = False
    body = ""
