"""node-labeling: a one-shot Job that labels nodes for the (retired) voice pipeline.

`label-nodes-for-voice-pipeline` (bitnami/kubectl, ClusterRole to patch nodes) marks
yeezyai as the dual-GPU node and tiers the other workers; no workload selects on these
labels any more. Not exposed, stores nothing, reads no secrets. The Job has a 300 s TTL.
"""

from __future__ import annotations

from fako.constructs.config import read_file
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule, script_job
from fako.tree import AppConstruct

SA = "node-labeler"


class NodeLabeling(AppConstruct):
    """ServiceAccount + cluster-wide node RBAC + the labelling Job."""

    name = "node-labeling"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        grant(self, account=SA, role=SA, rules=[rule("", ["nodes"], ["get", "list", "patch", "update"])])
        script_job(self, "label-nodes-for-voice-pipeline", script=read_file(__file__, "label-nodes.sh"),
                   image="bitnami/kubectl:1.33", account=SA, container="labeler", restart_policy="Never", ttl_s=300,
                   id="job")
