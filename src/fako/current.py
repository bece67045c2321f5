"""The render of the current source, reused from the render cache whenever it can be.

`fako validate` and `fako watch` need the rendered objects and the facts validation
applies; `current_render` takes them from the cache when nothing changed, and otherwise
builds only the units that changed (reusing the rest), never the whole cluster twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fako.errors import SpecError
from fako.rendered import Render

if TYPE_CHECKING:
    from fako.emit import EmitMemo
    from fako.rendercache import RenderCache
    from fako.validation.facts import ClusterFacts

__all__ = ["CurrentRender", "current_render"]


@dataclass
class CurrentRender:
    """A render, the facts its validation applies, and the cache key it is stored under."""

    render: Render
    facts: ClusterFacts
    key: str
    """The tree key (empty without a cache)."""
    cached: bool
    """True when the whole render came from the cache."""
    off: frozenset[str] = frozenset()
    """The switched-off units, as `layer/app`."""
    cluster: Any = None
    """The built tree (a `fako.tree.Cluster`), None when the render came from the cache."""


def current_render(
    cluster_name: str,
    *,
    include_disabled: bool,
    cache: RenderCache | None,
    emitted: EmitMemo | None = None,
    stand_ins: bool = False,
) -> CurrentRender:
    """The render of cluster `cluster_name` as the source now stands; raises `SpecError`.
    `emitted` remembers apps' YAML across renders (a long-lived process's); `stand_ins`
    lets unchanged units' modules stand in (`fako.unitstubs`: a process of its own only)."""
    from fako.validation.facts import ClusterFacts

    key = cache.tree_key() if cache is not None else ""
    if cache is not None:
        found = cache.load_render(key)
        facts = cache.load_facts(key)
        if found is not None and facts is not None:
            try:
                return CurrentRender(found[0], ClusterFacts.model_validate(facts), key, True, frozenset(found[2]))
            except ValueError:
                pass
    from fako.kernel import start_early

    start_early()  # Node boots while the models load
    from fako.checks import facts_for

    if stand_ins and cache is not None:
        from fako.unitstubs import stand_in

        stand_in(cache)
    from fako.definition import build
    from fako.render import render
    from fako.synth import load_definition, switched_off

    definition = load_definition(cluster_name)
    cluster = build(definition, include_disabled=include_disabled, cache=cache)
    result = render(cluster, emitted)
    if result.problems:
        raise SpecError(result.problems)
    built = facts_for(cluster, definition, result)
    if cache is not None and cache.still_current(key):  # no file changed while this ran
        cache.flush()
        cache.save_render(key, result, list(cluster.layers), switched_off(definition))
        cache.record_units(definition)
        cache.save_facts(key, built.model_dump(mode="json"))
    return CurrentRender(result, built, key, False, frozenset(switched_off(definition)), cluster)
