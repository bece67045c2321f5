"""Argo Workflows (switched off since 2026-08-11, with audio-workflows): workflow engine.

Exposed at argo.landryzetam.net through the chart's own traefik Ingress (DNS-01
certificate); stores nothing of its own; reads no secrets.
"""

from __future__ import annotations

from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map, limits
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

HOST = "argo.landryzetam.net"
SMALL = limits("100m", "128Mi", "500m", "512Mi")


class ArgoValues(HelmValues):
    """What this cluster sets in the argo-workflows chart."""

    controller: Map
    server: Map
    executor: Map
    workflow: Map
    create_aggregate_roles: bool
    images: Map
    security_context: Map


class ArgoWorkflows(AppConstruct):
    """Argo Workflows (switched off since 2026-08-11, with audio-workflows)."""

    name = "argo-workflows"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="argo-workflows",
                chart="argo-workflows",
                # renovate: datasource=helm depName=argo-workflows registryUrl=https://argoproj.github.io/argo-helm
                version="^0.47.0",
                repo="argo",
                url="https://argoproj.github.io/argo-helm",
                provides=("argoproj.io/CronWorkflow", "argoproj.io/WorkflowTemplate"),
                values=ArgoValues(
                    controller={
                        "metricsConfig": {"enabled": True},
                        "replicas": 1,
                        "resources": SMALL,
                        "workflowDefaults": {
                            "spec": {
                                "podGC": {"strategy": "OnPodCompletion"},
                                "ttlStrategy": {"secondsAfterCompletion": 86400},
                            }
                        },
                    },
                    server={
                        "enabled": True,
                        "replicas": 1,
                        "resources": limits("50m", "64Mi", "200m", "256Mi"),
                        "ingress": {
                            "enabled": True,
                            "annotations": {"cert-manager.io/cluster-issuer": "letsencrypt-dns01"},
                            "hosts": [HOST],
                            "ingressClassName": "traefik",
                            "tls": [{"hosts": [HOST], "secretName": "argo-workflows-tls"}],
                        },
                    },
                    executor={"resources": SMALL},
                    workflow={"serviceAccount": {"create": True, "name": "argo-workflow"}},
                    create_aggregate_roles=True,
                    images={"pullPolicy": "IfNotPresent"},
                    security_context={"capabilities": {"drop": ["ALL"]}, "runAsNonRoot": True, "runAsUser": 65534},
                ),
            ),
        )
