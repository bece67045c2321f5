"""`ServiceAccountToken`: the one kind of plain Secret fako writes, because it holds no data.

Kubernetes fills in the token of the named ServiceAccount. Every other Secret reaches the
cluster encrypted (`fako.constructs.sops`) or through External Secrets.
"""

from __future__ import annotations

from pydantic import Field

from fako.constructs.base import ObjectSpec, TypedObject
from fako.tree import Scope

__all__ = ["ServiceAccountToken", "ServiceAccountTokenSpec"]


class ServiceAccountTokenSpec(ObjectSpec):
    """A long-lived token Secret for `service_account` (in the Secret's namespace)."""

    service_account: str = Field(exclude=True)


class ServiceAccountToken(TypedObject):
    """A `v1/Secret` of type `kubernetes.io/service-account-token`, without data."""

    api_version = "v1"
    kind = "Secret"
    spec_type = ServiceAccountTokenSpec
    body = ""

    def __init__(self, scope: Scope, id: str, spec: ServiceAccountTokenSpec) -> None:
        notes = {**(spec.annotations or {}), "kubernetes.io/service-account.name": spec.service_account}
        super().__init__(scope, id, spec.model_copy(update={"annotations": notes}))
        self.manifest["type"] = "kubernetes.io/service-account-token"
