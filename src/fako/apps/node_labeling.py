"""node-labeling: a one-shot Job that labels nodes for the (retired) voice pipeline.

`label-nodes-for-voice-pipeline` (bitnami/kubectl, ClusterRole to patch nodes) marks
yeezyai as the dual-GPU node and tiers the other workers; no workload selects on these
labels any more. Not exposed, stores nothing, reads no secrets. The Job has a 300 s TTL.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs import rbac
from fako.constructs.config import read_file
from fako.constructs.jobs import Job, JobSpec
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

SA = "node-labeler"


class NodeLabeling(AppConstruct):
    """ServiceAccount + cluster-wide node RBAC + the labelling Job."""

    name = "node-labeling"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        rbac.ServiceAccount(self, "sa", rbac.ServiceAccountSpec(name=SA))
        nodes = k8s.PolicyRule(api_groups=[""], resources=["nodes"], verbs=["get", "list", "patch", "update"])
        rbac.ClusterRole(self, "role", rbac.RoleSpec(name=SA, rules=[nodes]))
        rbac.ClusterRoleBinding(self, "binding", rbac.RoleBindingSpec(
            name=SA, role_ref=k8s.RoleRef(api_group="rbac.authorization.k8s.io", kind="ClusterRole", name=SA),
            subjects=[k8s.Subject(kind="ServiceAccount", name=SA, namespace=self.ns)]))
        labeler = k8s.Container(name="labeler", image="bitnami/kubectl:1.33",
                                command=["/bin/bash", "-c", read_file(__file__, "label-nodes.sh")])
        pod = k8s.PodSpec(containers=[labeler], restart_policy="Never", service_account_name=SA)
        Job(self, "job", JobSpec(name="label-nodes-for-voice-pipeline", ttl_seconds_after_finished=300,
                                 template=k8s.PodTemplateSpec(spec=pod)))
