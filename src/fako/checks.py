"""The checks `fako synth` and `fako validate` run on a render before `dist/` is replaced.

For one app (`--app-file`, `fako validate --app`) the whole cluster is rendered and
checked, and the report keeps what concerns the app (`for_apps`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

from fako.errors import FakoError
from fako.rendered import RenderedObject
from fako.validation import ClusterFacts, Finding, Report, validate
from fako.validation.inventory import Inventory

if TYPE_CHECKING:  # named in annotations only: importing the checks starts no Node
    from fako.definition import ClusterDefinition
    from fako.render import Render
    from fako.tree import Cluster
    from fako.validation.engine import ObjectMemo

__all__ = ["ValidationFailed", "custom_resource_errors", "facts_for", "for_apps", "run_validation", "synth_checks"]


class ValidationFailed(FakoError):
    """The render has validation errors; `report` holds every finding."""

    def __init__(self, report: Report) -> None:
        self.report = report
        errors = list(report.errors)
        lines = [f.render() for f in errors[:50]]
        if len(errors) > 50:
            lines.append(f"... and {len(errors) - 50} more (fako validate lists them all)")
        lines.append(report.summary())
        lines.append("nothing was written")
        super().__init__("validation failed:\n" + "\n".join(lines))


def facts_for(cluster: Cluster, definition: ClusterDefinition, render: Render | None = None) -> ClusterFacts:
    """The definition's facts plus what its apps declare (external objects, fixtures) and
    the encrypted Secrets whose files this checkout lacks (they exist in the owner's)."""
    facts = definition.facts
    external = set(facts.external)
    if render is not None:
        external.update(a.identity for a in render.absent)
    fixtures = set(facts.fixtures)
    for unit in cluster.units:
        ns = unit.namespace or unit.name
        external.update(Inventory.key(kind, ns, name) for kind, name in unit.external)  # Namespace: no namespace
        if unit.fixture:
            fixtures.add(unit.name)
    return facts.model_copy(update={"external": frozenset(external), "fixtures": frozenset(fixtures)})


def run_validation(
    objects: Sequence[RenderedObject],
    facts: ClusterFacts,
    *,
    schemas: bool = True,
    skip_typed: bool = False,
    complete: bool = False,
    memo: ObjectMemo | None = None,
) -> Report:
    """Every check of `fako.validation`, custom resources checked with fako's typed models.

    `skip_typed` (what `fako synth` does) does not re-check the schema of objects a typed
    construct built and validated already; `fako validate` checks everything.
    """
    return validate(
        objects,
        facts,
        custom=custom_resource_errors,
        schemas=schemas,
        skip_typed_schemas=skip_typed,
        complete=complete,
        memo=memo,
    )


def custom_resource_errors(manifest: dict[str, Any]) -> list[str]:
    """A custom resource's errors against fako's typed model of its kind (`fako.crdcheck`)."""
    # the typed models load on the first custom resource checked, not with this module
    from fako.crdcheck import custom_resource_errors as errors

    return errors(manifest)


def _key(f: Finding) -> tuple[str, str, str, str]:
    return (f.ref, f.check, f.field, f.value)


def for_apps(
    report: Report, objects: Sequence[RenderedObject], facts: ClusterFacts, apps: Collection[str], *, complete: bool
) -> Report:
    """The findings of `report` (over the whole cluster's `objects`) that concern `apps`.

    Kept: every finding on an object of those apps, and every finding on another object
    that a validation of the cluster without those apps does not have: what the apps
    cause elsewhere (a hostname another app also claims, a Secret two apps create). That
    second validation skips schemas, which judge one object at a time.
    """
    wanted = set(apps)
    refs = {o.ref for o in objects if o.app in wanted}
    others = [o for o in objects if o.app not in wanted]
    before = {_key(f) for f in run_validation(others, facts, schemas=False, complete=complete).findings}
    kept = [
        f
        for f in report.findings
        if f.app in wanted or f.ref in refs or (not f.check.startswith("schema") and _key(f) not in before)
    ]
    return Report.of(kept, sum(1 for o in objects if o.app in wanted))


def synth_checks(
    definition: ClusterDefinition, *, apps: Collection[str] = (), memo: ObjectMemo | None = None
) -> list[Callable[[Cluster, Render], Report]]:
    """The checks for a synth: the full validation of the cluster; with `apps` (an app
    file's), only the findings that concern those apps fail it (`for_apps`). `memo`
    remembers single-object findings across runs (`fako.objectmemo`)."""

    def check(cluster: Cluster, render: Render) -> Report:
        facts = facts_for(cluster, definition, render)
        report = run_validation(render.objects, facts, skip_typed=True, complete=cluster.complete, memo=memo)
        if apps:
            report = for_apps(report, render.objects, facts, apps, complete=cluster.complete)
        if not report.ok:
            raise ValidationFailed(report)
        return report

    return [check]
