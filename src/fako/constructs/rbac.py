"""RBAC: `ServiceAccount`, `Role`, `RoleBinding`, `ClusterRole`, `ClusterRoleBinding`."""

from __future__ import annotations

from pydantic import Field

from fako import k8s
from fako.constructs.base import ObjectSpec, TypedObject

__all__ = [
    "ClusterRole",
    "ClusterRoleBinding",
    "Role",
    "RoleBinding",
    "RoleBindingSpec",
    "RoleSpec",
    "ServiceAccount",
    "ServiceAccountSpec",
]


class ServiceAccountSpec(ObjectSpec):
    """A `v1` ServiceAccount."""

    automount_service_account_token: bool | None = Field(None, alias="automountServiceAccountToken")
    image_pull_secrets: list[k8s.LocalObjectReference] | None = Field(None, alias="imagePullSecrets")
    secrets: list[k8s.ObjectReference] | None = None


class RoleSpec(ObjectSpec):
    """The rules of a Role or ClusterRole."""

    rules: list[k8s.PolicyRule] | None = None
    aggregation_rule: k8s.AggregationRule | None = Field(None, alias="aggregationRule")


class RoleBindingSpec(ObjectSpec):
    """Who a RoleBinding or ClusterRoleBinding grants its role to."""

    role_ref: k8s.RoleRef = Field(alias="roleRef")
    subjects: list[k8s.Subject] | None = None


class ServiceAccount(TypedObject):
    """A `v1/ServiceAccount`."""

    api_version = "v1"
    kind = "ServiceAccount"
    spec_type = ServiceAccountSpec
    body = ""


class Role(TypedObject):
    """A `rbac.authorization.k8s.io/v1/Role`."""

    api_version = "rbac.authorization.k8s.io/v1"
    kind = "Role"
    spec_type = RoleSpec
    body = ""


class ClusterRole(Role):
    """A `rbac.authorization.k8s.io/v1/ClusterRole`."""

    kind = "ClusterRole"
    namespaced = False


class RoleBinding(TypedObject):
    """A `rbac.authorization.k8s.io/v1/RoleBinding`."""

    api_version = "rbac.authorization.k8s.io/v1"
    kind = "RoleBinding"
    spec_type = RoleBindingSpec
    body = ""


class ClusterRoleBinding(RoleBinding):
    """A `rbac.authorization.k8s.io/v1/ClusterRoleBinding`."""

    kind = "ClusterRoleBinding"
    namespaced = False
