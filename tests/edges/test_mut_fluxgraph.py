"""`fako.fluxgraph.order` at its edges (mutation survivors)."""

from __future__ import annotations

from fako.fluxgraph import order


def test_a_dependency_that_declares_nothing_itself_comes_first() -> None:
    # "crds" is named only as a dependency: it has no entry of its own
    assert order({"apps": ["crds"], "infra": []}) == ["crds", "apps", "infra"]
