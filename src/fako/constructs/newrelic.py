"""New Relic `Instrumentation`."""

from __future__ import annotations

from fako.constructs.base import ObjectSpec, TypedObject
from fako.k8s.crds import newrelic

__all__ = ["Instrumentation", "InstrumentationSpec"]


class InstrumentationSpec(ObjectSpec, newrelic.InstrumentationSpec):
    """A Instrumentation: metadata plus its `spec` fields."""


class Instrumentation(TypedObject):
    """A `newrelic.com/v1alpha2/Instrumentation`."""

    api_version = "newrelic.com/v1alpha2"
    kind = "Instrumentation"
    spec_type = InstrumentationSpec
