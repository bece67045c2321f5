"""Every object rule fako enforces, by topic; `check_objects` runs them over a render.

The topics (each module's docstring cites its sources): `strings` (what YAML and kubectl
refuse), `secrets` (plaintext, SOPS shape, credential patterns), `security` (the
cluster's floor: privileged, host namespaces and paths, capabilities), `object_names`
(names, keys, labels, sizes), `values` (quantities, enums, ranges, schedules), `podspec`
(pod-spec invariants), `crd_rules` (the CRDs' own CEL validation rules). Rules that need more
than one object (references, hosts, ports, Pod Security levels of namespaces) live in
their own modules and run from `fako.validation.engine`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from fako.rendered import RenderedObject
from fako.validation import crd_rules, object_names, podspec, secrets, security, strings, values
from fako.validation.findings import Finding, finding
from fako.validation.rules import Rule

__all__ = ["OBJECT_RULES", "check_objects"]

OBJECT_RULES: tuple[Rule, ...] = (
    *strings.RULES,
    *secrets.RULES,
    *security.RULES,
    *object_names.RULES,
    *values.RULES,
    *podspec.RULES,
    *crd_rules.RULES,
)
"""The object rules, in the order their findings are listed."""


def check_objects(objects: Sequence[RenderedObject], rules: Sequence[Rule] = OBJECT_RULES) -> Iterator[Finding]:
    """Every violation of `rules` in `objects`, as findings on the object and field."""
    for obj in objects:
        manifest = obj.manifest
        for r in rules:
            for v in r.func(manifest):  # the function itself: 60,000 calls a render, each a generator fewer
                yield finding(obj, r.check, v.message, v.fix, severity=v.severity, field=v.field, value=v.value)
