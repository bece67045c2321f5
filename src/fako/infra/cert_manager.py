"""cert-manager: issues the TLS certificates of every Ingress (ACME, Let's Encrypt).

Controller only: the chart from charts.jetstack.io with its CRDs, a ServiceMonitor and
modest resources. No Ingress, no storage, no secrets; the ClusterIssuers (and the
Cloudflare token they read) are the infrastructure-configs unit `cert-manager`.
"""

from __future__ import annotations

from pydantic import Field

from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map, limits
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct


class CertManagerValues(HelmValues):
    """What this cluster sets in the cert-manager chart."""

    install_crds: bool = Field(alias="installCRDs")
    resources: Map
    security_context: Map
    prometheus: Map
    webhook: Map
    cainjector: Map


class CertManager(AppConstruct):
    """cert-manager."""

    name = "cert-manager"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="cert-manager",
                chart="cert-manager",
                # renovate: datasource=helm depName=cert-manager registryUrl=https://charts.jetstack.io
                version="^1.16.0",
                url="https://charts.jetstack.io",
                repo_interval="1h",
                provides=tuple(f"cert-manager.io/{k}" for k in ("ClusterIssuer", "Issuer", "Certificate")),
                values=CertManagerValues(
                    install_crds=True,
                    resources=limits("100m", "128Mi", "500m", "512Mi"),
                    security_context={"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}},
                    prometheus={"enabled": True, "servicemonitor": {"enabled": True}},
                    webhook={"resources": limits("10m", "32Mi", "100m", "128Mi")},
                    cainjector={"resources": limits("10m", "64Mi", "100m", "256Mi")},
                ),
            ),
        )
