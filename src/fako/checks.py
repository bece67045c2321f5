"""The checks `fako synth` runs on a render before it replaces `dist/`."""

from __future__ import annotations

from collections.abc import Callable

from fako.definition import ClusterDefinition
from fako.errors import Problem, SpecError
from fako.render import Render
from fako.rendered import RenderedObject
from fako.tree import Cluster

__all__ = ["synth_checks", "unique_identities"]


def unique_identities(cluster: Cluster, render: Render) -> None:
    """No two objects of the tree may share (apiVersion, kind, namespace, name)."""
    makers: dict[tuple[str, str, str, str], list[RenderedObject]] = {}
    for obj in render.objects:
        makers.setdefault(obj.identity, []).append(obj)
    problems = []
    for objs in makers.values():
        if len(objs) > 1:
            first, others = objs[0], objs[1:]
            where = ", ".join(f"{o.layer}/{o.app} ({o.source})" for o in others)
            problems.append(
                Problem(f"app '{first.app}'", f"{first.ref} is made more than once: also by {where}",
                        location=first.source, fix="give one of them another name, or make it in one place only")
            )
    if problems:
        raise SpecError(problems)


def synth_checks(definition: ClusterDefinition, *, standalone: bool = False) -> list[Callable[[Cluster, Render], None]]:
    """The checks for this cluster (standalone app files get the cluster-independent ones)."""
    return [unique_identities]
