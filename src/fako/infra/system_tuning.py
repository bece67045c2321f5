"""System tuning: a privileged DaemonSet raising inotify and file-handle limits on every node.

Runs a busybox `sysctl` script (verbatim in files/) on the host network and PID
namespace, tolerating every taint; nothing exposed, stored or secret.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import read_file
from fako.constructs.pods import resources
from fako.constructs.workloads import DaemonSet, DaemonSetSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.workload import pod_template
from fako.tree import AppConstruct

LABELS = {"name": "inotify-tuning"}


class SystemTuning(AppConstruct):
    """System tuning."""

    name = "system-tuning"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        DaemonSet(
            self,
            "inotify",
            DaemonSetSpec(
                name="inotify-tuning",
                selector=k8s.LabelSelector(match_labels=LABELS),
                template=pod_template(
                    LABELS,
                    containers=[
                        k8s.Container(
                            name="sysctl",
                            image="busybox:1.38.0",
                            command=["/bin/sh", "-c", read_file(__file__, "sysctl.sh")],
                            resources=resources({"cpu": "10m", "memory": "10Mi"}, {"cpu": "50m", "memory": "50Mi"}),
                            security_context=k8s.SecurityContext(privileged=True),
                        )
                    ],
                    host_network=True,
                    host_pid=True,
                    restart_policy="Always",
                    tolerations=[k8s.Toleration(operator="Exists")],
                ),
            ),
        )
