"""The checks `fako synth` and `fako validate` run on a render before `dist/` is replaced."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from fako.crdcheck import custom_resource_errors
from fako.definition import ClusterDefinition
from fako.errors import FakoError
from fako.render import Render
from fako.rendered import RenderedObject
from fako.tree import Cluster
from fako.validation import ClusterFacts, Report, validate
from fako.validation.inventory import Inventory

__all__ = ["ValidationFailed", "facts_for", "run_validation", "synth_checks"]


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
) -> Report:
    """Every check of `fako.validation`, custom resources checked with fako's typed models.

    `skip_typed` (what `fako synth` does) does not re-check the schema of objects a typed
    construct built and validated already; `fako validate` checks everything.
    """
    return validate(
        objects, facts, custom=custom_resource_errors, schemas=schemas, skip_typed_schemas=skip_typed, complete=complete
    )


def synth_checks(
    definition: ClusterDefinition, *, standalone: bool = False
) -> list[Callable[[Cluster, Render], Report]]:
    """The checks for a synth: the full validation for a cluster; for a standalone app
    file only what does not need the rest of the cluster (schemas, identities, policy and
    the object rules, which look at one object at a time)."""

    def check(cluster: Cluster, render: Render) -> Report:
        facts = facts_for(cluster, definition, render)
        report = run_validation(render.objects, facts, skip_typed=True, complete=cluster.complete and not standalone)
        if standalone:
            # alone, an app cannot resolve what the rest of the cluster provides
            context = ("ref", "host", "tunnel", "node", "allow")
            kept = [f for f in report.findings if f.check.split(".")[0] not in context]
            report = Report.of(kept, report.objects)
        if not report.ok:
            raise ValidationFailed(report)
        return report

    return [check]
