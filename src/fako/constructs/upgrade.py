"""system-upgrade-controller `Plan`."""

from __future__ import annotations

from fako.constructs.base import ObjectSpec, TypedObject
from fako.k8s.crds import upgrade

__all__ = ["Plan", "PlanSpec"]


class PlanSpec(ObjectSpec, upgrade.PlanSpec):
    """A Plan: metadata plus its `spec` fields."""


class Plan(TypedObject):
    """A `upgrade.cattle.io/v1/Plan`."""

    api_version = "upgrade.cattle.io/v1"
    kind = "Plan"
    spec_type = PlanSpec
