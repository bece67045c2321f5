"""What every typed building block shares: the spec base and the object it renders."""

from __future__ import annotations

import re
import sys
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, ConfigDict

from fako.tree import FakoObject, Scope, context_of
from fako.validation.names import dns1123_label

__all__ = ["DnsLabel", "DnsName", "ObjectSpec", "Spec", "TypedObject", "metadata"]

_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")


def _dns_name(value: str) -> str:
    if len(value) > 253 or not _DNS_SUBDOMAIN.match(value):
        raise ValueError(
            "must be a lowercase DNS name (a-z, 0-9, '-' and '.', starting and ending "
            f"with a letter or digit, at most 253 characters), got {value!r}"
        )
    return value


DnsName = Annotated[str, AfterValidator(_dns_name)]
"""A Kubernetes object name (RFC 1123 subdomain)."""


def _dns_label(value: str) -> str:
    problems = dns1123_label(value)
    if problems:
        raise ValueError(f"{'; '.join(problems)}, got {value!r}")
    return value


DnsLabel = Annotated[str, AfterValidator(_dns_label)]
"""A name that must be an RFC 1123 label (Namespace, Service, container names)."""


class Spec(BaseModel):
    """Base of every fako spec: frozen, unknown fields rejected, no silent coercion."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, validate_by_name=True, validate_by_alias=True, defer_build=True
    )


class ObjectSpec(Spec):
    """Identity and metadata of one object.

    `namespace` defaults to the namespace of the app the object is made in; cluster-scoped
    kinds ignore it. `labels` and `annotations` are emitted exactly as given (no labels are
    ever added).
    """

    name: DnsName
    namespace: str | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        # A spec that also inherits a generated Kubernetes model refers to that model's
        # neighbours by name; resolve them in the modules of every base.
        namespace: dict[str, Any] = {}
        for base in reversed(cls.__mro__):
            module = sys.modules.get(base.__module__)
            if module is not None:
                namespace.update(vars(module))
        namespace.update(cls.__pydantic_parent_namespace__ or {})
        cls.__pydantic_parent_namespace__ = namespace
        super().__pydantic_init_subclass__(**kwargs)


_META_FIELDS = {"name", "namespace", "labels", "annotations"}


def metadata(spec: ObjectSpec, namespace: str | None) -> dict[str, Any]:
    """The `metadata` block of an object: name, namespace, labels, annotations, as set."""
    meta: dict[str, Any] = {"name": spec.name}
    if namespace:
        meta["namespace"] = namespace
    if spec.labels is not None:
        meta["labels"] = dict(spec.labels)
    if spec.annotations is not None:
        meta["annotations"] = dict(spec.annotations)
    return meta


class TypedObject(FakoObject):
    """A building block rendering one object of one kind from its spec.

    Subclasses set `api_version`, `kind`, `spec_type`, whether the kind is `namespaced`,
    and `body` ("spec" when the fields go under `spec:`, "" when they sit at the top level
    as in ConfigMap or Role).
    """

    api_version: ClassVar[str]
    kind: ClassVar[str]
    spec_type: ClassVar[type[ObjectSpec]]
    namespaced: ClassVar[bool] = True
    body: ClassVar[str] = "spec"

    def __init__(self, scope: Scope, id: str, spec: ObjectSpec) -> None:
        if not isinstance(spec, self.spec_type):
            raise TypeError(f"{type(self).__name__} takes a {self.spec_type.__name__}, got {type(spec).__name__}")
        self.spec = spec
        namespace = (spec.namespace or context_of(scope).namespace) if self.namespaced else None
        manifest: dict[str, Any] = {
            "apiVersion": self.api_version,
            "kind": self.kind,
            "metadata": metadata(spec, namespace),
        }
        fields = spec.model_dump(by_alias=True, exclude_unset=True, exclude_none=True, exclude=_META_FIELDS)
        if self.body and fields:
            manifest[self.body] = fields
        else:
            manifest.update(fields)
        super().__init__(scope, id, manifest)

    @property
    def name(self) -> str:
        return str(self.manifest["metadata"]["name"])

    @property
    def namespace(self) -> str | None:
        ns = self.manifest["metadata"].get("namespace")
        return str(ns) if ns is not None else None
