"""The reviewed prunes of the staging cluster's cutover (`fako cutover`, README "Cutover").

An entry is an object the cluster's Flux Kustomizations apply today that fako leaves out
on purpose, with the reason. Switching Flux to the build branch removes it from Flux's
care (the hand-over orphans it; a take-over would delete it), so `fako cutover` fails on
every such object that is not listed here. Objects of apps fako does not model yet are
not listed: porting the app is the fix.

Today there is none: every object of the units fako models is rendered, and the old
layer Kustomizations (`apps`, ...) removed from the bootstrap are replaced by fako's
(`fako-apps`, ...), which `fako cutover` knows by their paths.

    IntentionalPrune(group="apps", kind="Deployment", namespace="demo", name="old-worker",
                     reason="retired: its queue moved to the shared Redis (issue 42)"),
"""

from __future__ import annotations

from fako.cutover.spec import CutoverPlan

__all__ = ["CUTOVER"]

CUTOVER = CutoverPlan(intentional_prunes=())
