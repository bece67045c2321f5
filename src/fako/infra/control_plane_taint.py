"""Control-plane taint: a one-shot Job that taints the control-plane nodes NoSchedule.

Taints every `node-role.kubernetes.io/control-plane` node and `zz-macbookpro` by name
(script verbatim in files/), as ServiceAccount `control-plane-taint-sa` in kube-system
with a ClusterRole on nodes. Nothing exposed, stored or secret.
"""

from __future__ import annotations

from fako.constructs.config import read_file
from fako.patterns.rbac import grant, rule, script_job
from fako.tree import AppConstruct

SA = "control-plane-taint-sa"


class ControlPlaneTaint(AppConstruct):
    """Control-plane taint."""

    name = "control-plane-taint"
    namespace = "kube-system"
    default_layer = "infrastructure-configs"

    def build(self) -> None:
        grant(
            self,
            account=SA,
            role="control-plane-taint-role",
            binding="control-plane-taint-binding",
            rules=[rule("", ["nodes"], ["get", "list", "patch", "update"])],
        )
        script_job(
            self,
            "apply-control-plane-taint",
            script=read_file(__file__, "taint.sh"),
            image="bitnami/kubectl:1.28",
            account=SA,
            container="kubectl",
            shell="/bin/sh",
        )
