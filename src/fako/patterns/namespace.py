"""An app's namespace with its Pod Security Standards labels."""

from __future__ import annotations

import difflib
from typing import Literal

from fako.checked import checked
from fako.constructs.base import Spec
from fako.constructs.namespace import Namespace, NamespaceSpec
from fako.tree import AppConstruct

__all__ = ["BASELINE", "PRIVILEGED", "RESTRICTED", "AppNamespace", "PodSecurity"]

Level = Literal["privileged", "baseline", "restricted"]


class PodSecurity(Spec):
    """Pod Security Standards levels, per mode; a mode left out gets no label.

    Example: `AppNamespace(self, pss=PodSecurity(enforce="baseline", warn="restricted"))`
    """

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
"""Warn and audit at baseline, enforce nothing: the cluster's most common setting.

Example: `AppNamespace(self, pss=BASELINE)`
"""
RESTRICTED = PodSecurity(enforce="restricted", audit="restricted", warn="restricted")
"""Enforce, audit and warn at restricted: the collectors' setting.

Example: `AppNamespace(self, pss=RESTRICTED)`
"""

PRIVILEGED = PodSecurity(enforce="privileged", audit="privileged", warn="privileged")
"""Enforce, audit and warn at privileged: the log collectors' setting (host paths).

Example: `AppNamespace(self, pss=PRIVILEGED)`
"""


def _pss_hint(value: object) -> str | None:
    """'did you mean RESTRICTED?' for a level name given where a PodSecurity belongs."""
    if not isinstance(value, str):
        return None
    close = difflib.get_close_matches(value.lower(), ["baseline", "restricted"], n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0].upper()} (from fako.patterns.namespace import {close[0].upper()})?"
    return "write PodSecurity(enforce=..., audit=..., warn=...) with levels privileged, baseline or restricted"


@checked(
    forms={"pss": "a PodSecurity such as BASELINE or RESTRICTED (fako.patterns.namespace), or None"},
    suggest={"pss": _pss_hint},
)
def AppNamespace(
    app: AppConstruct, pss: PodSecurity | None = BASELINE, labels: dict[str, str] | None = None
) -> Namespace:
    """The app's `Namespace`, named after it, with Pod Security labels plus `labels`.

    Example: `AppNamespace(self, labels={"vault-access": "true"})`
    """
    merged = {**(pss.labels() if pss else {}), **(labels or {})}
    return Namespace(app, "namespace", NamespaceSpec(name=app.ns, labels=merged or None))
