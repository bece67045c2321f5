"""RBAC: `ServiceAccount`, `Role`, `RoleBinding`, `ClusterRole`, `ClusterRoleBinding`.

Roles and bindings are named as the API names them: any path segment, so upstream names
such as `system:aggregated-metrics-reader` stay typed. ServiceAccounts keep DNS names.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from fako import k8s
from fako.constructs.base import ObjectSpec, TypedObject

__all__ = [
    "ClusterRole",
    "ClusterRoleBinding",
    "RbacName",
    "Role",
    "RoleBinding",
    "RoleBindingSpec",
    "RoleSpec",
    "ServiceAccount",
    "ServiceAccountSpec",
]


def _path_segment(value: str) -> str:
    # Kubernetes validates Role/ClusterRole/(Cluster)RoleBinding names (and roleRef.name) with
    # path.IsValidPathSegmentName (pkg/apis/rbac/validation/validation.go, formerly
    # ValidateRBACName): not empty, not "." or "..", no "/" or "%". ':' is allowed.
    if not value or value in (".", "..") or "/" in value or "%" in value:
        raise ValueError(f"must be a path segment name (not empty, '.' or '..', no '/' or '%'), got {value!r}")
    return value


RbacName = Annotated[str, AfterValidator(_path_segment)]
"""A Role, ClusterRole or binding name: any path segment (`system:aggregated-metrics-reader`)."""


class ServiceAccountSpec(ObjectSpec):
    """A `v1` ServiceAccount."""

    automount_service_account_token: bool | None = Field(None, alias="automountServiceAccountToken")
    image_pull_secrets: list[k8s.LocalObjectReference] | None = Field(None, alias="imagePullSecrets")
    secrets: list[k8s.ObjectReference] | None = None


class RoleSpec(ObjectSpec):
    """The rules of a Role or ClusterRole."""

    name: RbacName
    rules: list[k8s.PolicyRule] | None = None
    aggregation_rule: k8s.AggregationRule | None = Field(None, alias="aggregationRule")


class RoleBindingSpec(ObjectSpec):
    """Who a RoleBinding or ClusterRoleBinding grants its role to."""

    name: RbacName
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
