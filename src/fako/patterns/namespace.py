"""An app's namespace with its Pod Security Standards labels."""

from __future__ import annotations

from typing import Literal

from fako.constructs.base import Spec
from fako.constructs.namespace import Namespace, NamespaceSpec
from fako.tree import AppConstruct

__all__ = ["BASELINE", "RESTRICTED", "AppNamespace", "PodSecurity"]

Level = Literal["privileged", "baseline", "restricted"]


class PodSecurity(Spec):
    """Pod Security Standards levels, per mode; a mode left out gets no label."""

    enforce: Level | None = None
    audit: Level | None = None
    warn: Level | None = None

    def labels(self) -> dict[str, str]:
        out = {}
        for mode in ("audit", "enforce", "warn"):
            level = getattr(self, mode)
            if level:
                out[f"pod-security.kubernetes.io/{mode}"] = level
        return out


BASELINE = PodSecurity(audit="baseline", warn="baseline")
"""Warn and audit at baseline, enforce nothing: the cluster's most common setting."""
RESTRICTED = PodSecurity(enforce="restricted", audit="restricted", warn="restricted")
"""Enforce, audit and warn at restricted: the collectors' setting."""


def AppNamespace(
    app: AppConstruct, pss: PodSecurity | None = BASELINE, labels: dict[str, str] | None = None
) -> Namespace:
    """The app's `Namespace`, named after it, with Pod Security labels plus `labels`."""
    merged = {**(pss.labels() if pss else {}), **(labels or {})}
    return Namespace(app, "namespace", NamespaceSpec(name=app.ns, labels=merged or None))
