"""Ownership checks: one object, one owner.

An identity (API group, kind, namespace, name) rendered twice is an error: in one
Flux layer the second copy silently wins, across layers two Kustomizations fight over
it. A Secret created by two sources (a SOPS file and an ExternalSecret, two
ExternalSecrets) flips between their contents.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from fako.rendered import RenderedObject
from fako.validation.findings import Finding, finding
from fako.validation.inventory import Inventory, group_of

__all__ = ["check_identities", "check_secret_owners"]


def _where(obj: RenderedObject) -> str:
    return f"{obj.layer}/{obj.app} ({obj.source or obj.path})"


def check_identities(objects: Sequence[RenderedObject]) -> Iterator[Finding]:
    """Objects rendered more than once, in one layer or across layers."""
    seen: dict[tuple[str, str, str, str], list[RenderedObject]] = {}
    for obj in objects:
        key = (group_of(obj.manifest), obj.kind, obj.namespace, obj.name)
        seen.setdefault(key, []).append(obj)
    for copies in seen.values():
        if len(copies) < 2:
            continue
        layers = list(dict.fromkeys(o.layer for o in copies))
        places = ", ".join(_where(o) for o in copies)
        if len(layers) > 1:
            yield finding(
                copies[-1],
                "identity.layers",
                f"is rendered by {len(layers)} Flux layers ({', '.join(layers)}): {places}; "
                "their Kustomizations would fight over it",
                "render it in one layer only",
            )
        else:
            yield finding(
                copies[-1],
                "identity.duplicate",
                f"is rendered {len(copies)} times in layer '{layers[0]}': {places}",
                "keep one; give the others their own name",
            )


def check_secret_owners(inventory: Inventory) -> Iterator[Finding]:
    """Secrets that more than one rendered object creates."""
    for (_, ns, name), creators in sorted(inventory.creators.items()):
        if len(creators) < 2:
            continue
        how = " and ".join(h for _, h in creators)
        yield finding(
            creators[-1][0],
            "identity.secret-owner",
            f"Secret '{name}' in namespace '{ns}' is created by {how}; they overwrite each other",
            "keep one source for the Secret (or give the other target another name)",
            ref=f"Secret/{ns}/{name}",
            value=how,
        )
