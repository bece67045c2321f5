"""system-upgrade-controller: upgrades K3s on the nodes, driven by two `Plan`s.

The controller (CRD, RBAC, Deployment; upstream v0.19.2) is upstream's vendored bundle,
passed through verbatim from files/. The Plans `k3s-server` (control plane, evicting)
and `k3s-agent` (workers, after the server, no eviction) pin K3s `K3S_VERSION` with
`concurrency: 0`: paused until an operator flips it to 1 for one pass. Nothing exposed.

Renovate: `K3S_VERSION` carries a `# renovate:` marker (GitHub releases of k3s-io/k3s);
the upgrade image stays untagged in the Plans, as upstream writes them. The bundle's
controller image moves only with a new vendored bundle (its CRD and controller are
tested together), so no Renovate manager reads it: the same rule as for the Flux bundle.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.raw import raw_from_file
from fako.constructs.upgrade import Plan, PlanSpec
from fako.tree import AppConstruct

# renovate: datasource=github-releases depName=k3s-io/k3s
K3S_VERSION = "v1.34.7+k3s1"
UPGRADE_REPOSITORY = "rancher/k3s-upgrade"  # untagged: the controller tags it with the Plan's version ("+" -> "-")
CONTROL_PLANE = "node-role.kubernetes.io/control-plane"


class SystemUpgradeController(AppConstruct):
    """system-upgrade-controller."""

    name = "system-upgrade-controller"
    namespace = "system-upgrade"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        # Raw: upstream's vendored bundle (CRD + controller), kept as upstream ships it.
        raw_from_file(self, __file__, "bundle.yaml")
        for role, exists in (("server", True), ("agent", False)):
            extra: dict[str, object] = (
                {
                    "tolerations": [
                        k8s.Toleration(effect="NoSchedule", key=CONTROL_PLANE, operator="Exists").to_dict(),
                        {"key": "CriticalAddonsOnly", "operator": "Exists"},
                    ]
                }
                if exists
                else {"prepare": {"args": ["prepare", "k3s-server"], "image": UPGRADE_REPOSITORY}}
            )
            Plan(
                self,
                role,
                PlanSpec.model_validate(
                    {
                        "name": f"k3s-{role}",
                        "labels": {"k3s-upgrade": role},
                        "concurrency": 0,
                        "cordon": True,
                        "drain": {
                            "deleteEmptydirData": True,
                            "disableEviction": not exists,
                            "force": True,
                            "ignoreDaemonSets": True,
                            "skipWaitForDeleteTimeout": 60,
                            "timeout": "600s",
                        },
                        "nodeSelector": {
                            "matchExpressions": [
                                {"key": CONTROL_PLANE, "operator": "Exists" if exists else "DoesNotExist"}
                            ]
                        },
                        "serviceAccountName": "system-upgrade",
                        "upgrade": {"image": UPGRADE_REPOSITORY},
                        "version": K3S_VERSION,
                        **extra,
                    }
                ),
            )
