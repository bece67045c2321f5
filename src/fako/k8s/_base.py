"""The base of every generated Kubernetes model: frozen, strict, closed."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

__all__ = ["IntOrString", "K8sEagerModel", "K8sModel", "K8sOpenModel", "Quantity", "to_dict"]

IntOrString = int | str
"""A port or percentage as Kubernetes writes it: `8080` stays an int, `"http"` a string."""

Quantity = int | float | str
"""A resource quantity as written: `1` stays an int, `"500m"` a string."""


class K8sModel(BaseModel):
    """A Kubernetes object part: unknown fields and wrong types are errors, nothing is coerced.

    Validators are built when the class is defined (the generated modules define every
    class after the classes it refers to), so a spec that embeds one reuses its schema.

    Fields use Python names (`image_pull_policy`) and accept the Kubernetes names
    (`imagePullPolicy`) too; the rendered form always uses the Kubernetes names and holds
    exactly the fields that were set.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, validate_by_name=True, validate_by_alias=True, defer_build=True
    )

    def to_dict(self) -> dict[str, Any]:
        """The Kubernetes form: camelCase keys, only the fields that were set."""
        return self.model_dump(by_alias=True, exclude_unset=True, exclude_none=True)


class K8sEagerModel(K8sModel):
    """A part whose validator is built when its class is defined, not on first use.

    The core types are: every workload embeds them, and a class built once is reused by
    every spec that refers to it instead of being rebuilt into each."""

    model_config = ConfigDict(defer_build=False)


class K8sOpenModel(K8sModel):
    """A part whose schema keeps unknown fields (`x-kubernetes-preserve-unknown-fields`)."""

    model_config = ConfigDict(extra="allow")


def to_dict(value: Any) -> Any:
    """Render models (and lists or dicts of them) to their Kubernetes form."""
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True, exclude_unset=True, exclude_none=True)
    if isinstance(value, list):
        return [to_dict(v) for v in value]
    if isinstance(value, dict):
        return {k: to_dict(v) for k, v in value.items()}
    return value
