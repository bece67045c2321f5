"""Per-app overrides of the container settings a shared pattern fixes: resources and probe timings.

A pattern (the `cloudflared` tunnel, the Tailscale sidecar, the zi agents) writes one
set of values for every app; an app that needs another value for itself says so with
one typed keyword and keeps the rest:

    CloudflareTunnelSpec(tunnel="x", routes=..., limits={"memory": "256Mi"})   # only the memory limit
    CloudflareTunnelSpec(tunnel="x", routes=..., liveness=ProbeTimings(period_s=30))

`with_overrides` merges per resource (a key the override leaves out keeps the pattern's
value); `ProbeTimings` per timing field.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from fako import k8s
from fako.checked import checked
from fako.constructs.base import Spec
from fako.constructs.pods import resources

__all__ = ["PROBE_FIELDS", "ProbeTimings", "Quantity", "ResourceOverrides", "with_overrides"]

_QUANTITY = re.compile(r"^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$")


def _quantity(value: str | int) -> str | int:
    if isinstance(value, int) and value < 0:
        raise ValueError(f"must be a non-negative Kubernetes quantity, got {value!r}")
    if isinstance(value, str) and not _QUANTITY.match(value):
        raise ValueError(f"must be a Kubernetes quantity like '250m', '512Mi' or '2Gi', got {value!r}")
    return value


Quantity = Annotated[str | int, AfterValidator(_quantity)]
"""A resource quantity as Kubernetes writes it (`"250m"`, `"512Mi"`, `1`), checked for form."""

ResourceOverrides = dict[Literal["cpu", "memory", "ephemeral-storage"], Quantity]
"""Per-resource values that replace a pattern's: `{"memory": "512Mi"}` changes only memory."""


@checked
def with_overrides(
    requests: dict[str, k8s.Quantity],
    limits: dict[str, k8s.Quantity],
    override_requests: ResourceOverrides | None = None,
    override_limits: ResourceOverrides | None = None,
) -> k8s.ResourceRequirements:
    """The pattern's `requests`/`limits`, each resource an override names replaced by its value.

    Example: `with_overrides({"cpu": "25m"}, {"memory": "128Mi"}, override_limits={"memory": "256Mi"})`
    """
    merged_requests, merged_limits = dict(requests), dict(limits)
    for key, value in (override_requests or {}).items():
        merged_requests[key] = value
    for key, value in (override_limits or {}).items():
        merged_limits[key] = value
    return resources(requests=merged_requests, limits=merged_limits)


Seconds = Annotated[int, Field(ge=0)]
Count = Annotated[int, Field(ge=1)]


class ProbeTimings(Spec):
    """Timing overrides for one probe of a pattern; a field left `None` keeps the pattern's value.

    The names map to the Probe fields: `delay_s` initialDelaySeconds, `period_s`
    periodSeconds, `timeout_s` timeoutSeconds, `failures` failureThreshold. "default"
    leaves that field out of the probe, so Kubernetes' default applies (0 s delay, 10 s
    period, 1 s timeout, 3 failures).

    Example: `CloudflareTunnelSpec(tunnel="blog", routes=(("blog.example.org", "http://blog:80"),), liveness=ProbeTimings(period_s=30))`
    """

    delay_s: Seconds | Literal["default"] | None = None
    period_s: Count | Literal["default"] | None = None
    timeout_s: Count | Literal["default"] | None = None
    failures: Count | Literal["default"] | None = None

    def apply(self, fields: dict[str, Any]) -> dict[str, Any]:
        """`fields` (Probe keyword fields, as `http_probe` takes them) with the set timings replaced."""
        out = dict(fields)
        for name, key in PROBE_FIELDS.items():
            value = getattr(self, name)
            if value == "default":
                out.pop(key, None)
            elif value is not None:
                out[key] = value
        return out


PROBE_FIELDS = {
    "delay_s": "initial_delay_seconds",
    "period_s": "period_seconds",
    "timeout_s": "timeout_seconds",
    "failures": "failure_threshold",
}
"""Each `ProbeTimings` field and the Probe field (as `http_probe` takes it) it sets.

Example: `PROBE_FIELDS["delay_s"]  # "initial_delay_seconds"`
"""
