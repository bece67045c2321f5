"""`fako cutover`: what switching Flux from the repository's paths to fako's render does.

Read the cluster as it runs (`load_old`: a render or a checkout of the repository), fako's
side (`new_from_definition`, a fresh render, or `new_from_dist`), then `compare` them into
a `CutoverReport`: create / change / keep / prune per Flux Kustomization. `CutoverPlan` is
a cluster's reviewed list of prunes on purpose.
"""

from __future__ import annotations

from fako.cutover.compare import CATEGORIES as CATEGORIES
from fako.cutover.compare import CutoverReport as CutoverReport
from fako.cutover.compare import Item as Item
from fako.cutover.compare import Section as Section
from fako.cutover.compare import compare as compare
from fako.cutover.inventory import Inventory as Inventory
from fako.cutover.inventory import ObjectId as ObjectId
from fako.cutover.new import NewCluster as NewCluster
from fako.cutover.new import new_from_definition as new_from_definition
from fako.cutover.new import new_from_dist as new_from_dist
from fako.cutover.old import OldCluster as OldCluster
from fako.cutover.old import load_old as load_old
from fako.cutover.report import render_json as render_json
from fako.cutover.report import render_text as render_text
from fako.cutover.spec import CutoverPlan as CutoverPlan
from fako.cutover.spec import IntentionalPrune as IntentionalPrune
from fako.cutover.spec import load_plan as load_plan

__all__ = [
    "CATEGORIES",
    "CutoverPlan",
    "CutoverReport",
    "IntentionalPrune",
    "Inventory",
    "Item",
    "NewCluster",
    "ObjectId",
    "OldCluster",
    "Section",
    "compare",
    "load_old",
    "load_plan",
    "new_from_definition",
    "new_from_dist",
    "render_json",
    "render_text",
]
