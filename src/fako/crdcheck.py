"""Custom resources checked against fako's own typed models of their kinds.

The models in `fako.k8s.crds` are generated from the operators' CRD schemas (a test
regenerates them and compares), so validating a custom resource with its model is
validating it against the CRD: unknown fields, wrong types and missing required fields
are all reported.
"""

from __future__ import annotations

import importlib
import pkgutil
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

import fako.k8s.crds

__all__ = ["custom_resource_errors", "models"]


@cache
def models() -> dict[tuple[str, str], type[BaseModel]]:
    """(apiVersion, kind) -> the generated model of that custom resource."""
    out: dict[tuple[str, str], type[BaseModel]] = {}
    for info in pkgutil.iter_modules(fako.k8s.crds.__path__):
        module = importlib.import_module(f"fako.k8s.crds.{info.name}")
        for value in vars(module).values():
            if not (isinstance(value, type) and issubclass(value, BaseModel)):
                continue
            fields = value.model_fields
            if "api_version" in fields and "kind" in fields:
                api = typing.get_args(fields["api_version"].annotation)
                kind = typing.get_args(fields["kind"].annotation)
                if api and kind:
                    out[(str(api[0]), str(kind[0]))] = value
    return out


def custom_resource_errors(manifest: dict[str, Any]) -> list[str]:
    """What is wrong with a custom resource, one line per problem; [] when it is valid."""
    model = models().get((str(manifest.get("apiVersion")), str(manifest.get("kind"))))
    if model is None:
        return [f"no schema for {manifest.get('apiVersion')}/{manifest.get('kind')}: fako has no model of this kind"]
    body = {k: v for k, v in manifest.items() if k != "status"}
    try:
        model.model_validate(body)
    except ValidationError as exc:
        lines = []
        for err in exc.errors(include_url=False):
            path = ".".join(str(p) for p in err["loc"])
            lines.append(f"{path}: {err['msg']}")
        return lines
    return []
