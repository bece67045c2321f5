"""Classify every object of the switch, per Flux Kustomization (old name → new name).

- create: fako applies it and no old Kustomization does.
- change: both do (same identity) and the content differs; `fields` names the top-level
  fields that differ (`metadata.labels`, `spec`), ignoring `status` and null values.
- keep: both do, identically. Encrypted objects (SOPS) are compared by identity only.
- prune: an old Kustomization applies it and none of the new ones does. A Kustomization
  that takes it over, or an old one deleted with `prune` on, deletes it; the hand-over in
  the README orphans it instead. Either way fako stops managing it.

An object that changes Kustomization is listed in the new one's section, `moved_from` the
old. The bootstrap Kustomization stays where it is; the other Flux Kustomizations it
defines move out of it (fako applies its own). Removing one that a fako Kustomization
replaces (fako's whose `path` is `./<old name>`) is a prune on purpose; any other prune
is on purpose only when the cluster's `CutoverPlan` lists it with a reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from fako.cutover.inventory import Entry, Inventory, ObjectId, is_flux_kustomization
from fako.cutover.new import NewCluster
from fako.cutover.old import OldCluster
from fako.cutover.spec import CutoverPlan, IntentionalPrune

__all__ = ["CATEGORIES", "Category", "CutoverReport", "Item", "Section", "changed_fields", "compare"]

Category = Literal["create", "change", "keep", "prune"]
CATEGORIES: tuple[Category, ...] = ("create", "change", "keep", "prune")


@dataclass(frozen=True)
class Item:
    """One object of a section: identity, apiVersion (the new one where fako renders it),
    changed fields, the old Kustomization it moves from, and for a prune the reason it is
    on purpose (None: not on purpose)."""

    id: ObjectId
    api_version: str
    fields: tuple[str, ...] = ()
    moved_from: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Section:
    """What switching one old Flux Kustomization to its new one does (None: there is none)."""

    old: str | None
    new: str | None
    bootstrap: bool
    create: tuple[Item, ...] = ()
    change: tuple[Item, ...] = ()
    keep: tuple[Item, ...] = ()
    prune: tuple[Item, ...] = ()

    @property
    def label(self) -> str:
        """`apps → fako-apps`, `(none) → fako-flux`."""
        return f"{self.old or '(none)'} → {self.new or '(none)'}"

    def items(self, category: Category) -> tuple[Item, ...]:
        """The items of one category."""
        found: tuple[Item, ...] = getattr(self, category)
        return found

    def counts(self) -> dict[str, int]:
        """Objects per category, and how many prunes are on purpose."""
        counts: dict[str, int] = {c: len(self.items(c)) for c in CATEGORIES}
        counts["prune_on_purpose"] = sum(1 for i in self.prune if i.reason is not None)
        return counts


@dataclass(frozen=True)
class CutoverReport:
    """The whole switch: one section per Kustomization pair, bootstrap first.

    `source` is what `--from` held (`render` or `checkout`); `stale` lists intentional
    prunes that match nothing pruned; `switched_off` the old units left out as disabled;
    `absent` the encrypted objects of fako taken by identity (files not in this checkout).
    """

    source: str
    sections: tuple[Section, ...]
    stale: tuple[IntentionalPrune, ...] = ()
    switched_off: tuple[str, ...] = ()
    absent: int = 0

    def counts(self) -> dict[str, int]:
        """Totals over all sections, with `prune_unexpected`."""
        totals = {k: 0 for k in (*CATEGORIES, "prune_on_purpose")}
        for section in self.sections:
            for key, n in section.counts().items():
                totals[key] += n
        totals["prune_unexpected"] = totals["prune"] - totals["prune_on_purpose"]
        return totals

    @property
    def unexpected(self) -> list[Item]:
        """Prunes that are not on purpose: what makes the cutover fail."""
        return [i for s in self.sections for i in s.prune if i.reason is None]

    @property
    def ok(self) -> bool:
        """True when nothing would be pruned that fako does not leave out on purpose."""
        return not self.unexpected

    def summary(self) -> str:
        """`7 Kustomizations: 9 create, 3 change, 700 keep, 12 prune (5 on purpose, 7 unexpected)`."""
        n = self.counts()
        kinds = "Kustomization" if len(self.sections) == 1 else "Kustomizations"
        return (
            f"{len(self.sections)} {kinds}: {n['create']} create, {n['change']} change, {n['keep']} keep,"
            f" {n['prune']} prune ({n['prune_on_purpose']} on purpose, {n['prune_unexpected']} unexpected)"
        )


def compare(old: OldCluster, new: NewCluster, plan: CutoverPlan | None = None) -> CutoverReport:
    """What switching the Flux Kustomizations of `old` to those of `new` does, object by object."""
    plan = plan or CutoverPlan()
    fako = list(new.kustomizations)
    replacing = {k.path: k.name for k in fako if k.path is not None}
    olds = {k.name: k for k in old.kustomizations}
    reasons: dict[ObjectId, str] = {}
    pairs: list[tuple[Inventory | None, Inventory | None, bool]] = []
    if old.bootstrap is not None:
        boot = olds[old.bootstrap]
        stays = Inventory(boot.name, boot.path, boot.manifest)
        for ident, entry in boot.objects.items():
            if is_flux_kustomization(entry.manifest) and ident.name != boot.name:
                if ident.name in replacing:
                    reasons[ident] = f"replaced by {replacing[ident.name]} (a new name: hand-over)"
                continue
            stays.objects[ident] = entry
        pairs.append((boot, stays, True))
    by_new = {k.name: k for k in fako}
    paired: set[str] = set()
    for k in old.kustomizations:
        if k.name == old.bootstrap:
            continue
        target = by_new.get(replacing.get(k.name, ""))
        if target is not None:
            paired.add(target.name)
        pairs.append((k, target, False))
    pairs += [(None, k, False) for k in fako if k.name not in paired]

    before: dict[ObjectId, list[tuple[str, Entry]]] = {}
    for k in old.kustomizations:
        for ident, entry in k.objects.items():
            before.setdefault(ident, []).append((k.name, entry))
    after = {ident for _, k, _ in pairs if k is not None for ident in k.objects}
    listed = {e.identity: e for e in plan.intentional_prunes}
    used: set[tuple[str, str, str, str]] = set()

    sections: list[Section] = []
    for was, becomes, bootstrap in pairs:
        buckets: dict[Category, list[Item]] = {c: [] for c in CATEGORIES}
        for ident, entry in (becomes.objects if becomes else {}).items():
            api = str(entry.manifest.get("apiVersion", ""))
            held = before.get(ident)
            if not held:
                buckets["create"].append(Item(ident, api))
                continue
            origin, old_entry = next(((n, e) for n, e in held if was is not None and n == was.name), held[0])
            moved = origin if was is None or origin != was.name else None
            fields = () if entry.sops or old_entry.sops else changed_fields(old_entry.manifest, entry.manifest)
            buckets["change" if fields else "keep"].append(Item(ident, api, fields, moved))
        for ident, entry in (was.objects if was else {}).items():
            if ident in after:
                continue
            reason = reasons.get(ident)
            if ident in listed:
                used.add(ident)
                reason = reason or listed[ident].reason
            buckets["prune"].append(Item(ident, str(entry.manifest.get("apiVersion", "")), reason=reason))
        sections.append(
            Section(
                was.name if was else None,
                becomes.name if becomes else None,
                bootstrap,
                **{c: tuple(sorted(items, key=_order)) for c, items in buckets.items()},
            )
        )
    stale = tuple(e for e in plan.intentional_prunes if e.identity not in used)
    return CutoverReport(old.kind, tuple(sections), stale, old.switched_off, new.absent)


_MISSING = object()


def _order(item: Item) -> tuple[str, str, str, str]:
    return (item.id.kind, item.id.namespace, item.id.name, item.id.group)


def _normal(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _normal(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """Top-level fields that differ (`metadata` by its own fields), `status` and nulls ignored."""
    a, b = _normal(before), _normal(after)
    out: list[str] = []
    for key in sorted((a.keys() | b.keys()) - {"status"}, key=str):
        x, y = a.get(key, _MISSING), b.get(key, _MISSING)
        if key == "metadata" and isinstance(x, dict) and isinstance(y, dict):
            out.extend(
                f"metadata.{sub}"
                for sub in sorted(x.keys() | y.keys(), key=str)
                if x.get(sub, _MISSING) != y.get(sub, _MISSING)
            )
        elif x != y:
            out.append(str(key))
    return tuple(out)
