"""Prometheus operator resources: `PrometheusRule`, `ServiceMonitor`, `PodMonitor`, `Probe`."""

from __future__ import annotations

from fako.constructs.base import ObjectSpec, TypedObject
from fako.k8s.crds import monitoring

__all__ = [
    "PodMonitor",
    "PodMonitorSpec",
    "Probe",
    "ProbeSpec",
    "PrometheusRule",
    "PrometheusRuleSpec",
    "ServiceMonitor",
    "ServiceMonitorSpec",
]


class PrometheusRuleSpec(ObjectSpec, monitoring.PrometheusRuleSpec):
    """A PrometheusRule: metadata plus its `spec` fields."""


class PrometheusRule(TypedObject):
    """A `monitoring.coreos.com/v1/PrometheusRule`."""

    api_version = "monitoring.coreos.com/v1"
    kind = "PrometheusRule"
    spec_type = PrometheusRuleSpec


class ServiceMonitorSpec(ObjectSpec, monitoring.ServiceMonitorSpec):
    """A ServiceMonitor: metadata plus its `spec` fields."""


class ServiceMonitor(TypedObject):
    """A `monitoring.coreos.com/v1/ServiceMonitor`."""

    api_version = "monitoring.coreos.com/v1"
    kind = "ServiceMonitor"
    spec_type = ServiceMonitorSpec


class PodMonitorSpec(ObjectSpec, monitoring.PodMonitorSpec):
    """A PodMonitor: metadata plus its `spec` fields."""


class PodMonitor(TypedObject):
    """A `monitoring.coreos.com/v1/PodMonitor`."""

    api_version = "monitoring.coreos.com/v1"
    kind = "PodMonitor"
    spec_type = PodMonitorSpec


class ProbeSpec(ObjectSpec, monitoring.ProbeSpec):
    """A Probe: metadata plus its `spec` fields."""


class Probe(TypedObject):
    """A `monitoring.coreos.com/v1/Probe`."""

    api_version = "monitoring.coreos.com/v1"
    kind = "Probe"
    spec_type = ProbeSpec
