"""`Namespace`."""

from __future__ import annotations

from fako import k8s
from fako.constructs.base import ObjectSpec, TypedObject

__all__ = ["Namespace", "NamespaceSpec"]


class NamespaceSpec(ObjectSpec, k8s.NamespaceSpec):
    """A namespace: its name and labels (Pod Security levels, access labels)."""


class Namespace(TypedObject):
    """A `v1/Namespace`."""

    api_version = "v1"
    kind = "Namespace"
    spec_type = NamespaceSpec
    namespaced = False
