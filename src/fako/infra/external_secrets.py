"""External Secrets Operator: syncs AWS Secrets Manager entries into Kubernetes Secrets.

Controller only (webhook and cert controller on); every app's SecretStore and
ExternalSecrets depend on the CRDs it installs. No Ingress, storage or secrets of its own.
"""

from __future__ import annotations

from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map, limits
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct


class ExternalSecretsValues(HelmValues):
    """What this cluster sets in the external-secrets chart."""

    resources: Map
    security_context: Map
    webhook: Map
    cert_controller: Map


class ExternalSecrets(AppConstruct):
    """External Secrets Operator."""

    name = "external-secrets"
    namespace = "external-secrets-system"
    default_layer = "infrastructure-controllers"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="external-secrets",
                chart="external-secrets",
                # renovate: datasource=helm depName=external-secrets registryUrl=https://charts.external-secrets.io
                version="^0.20.0",
                url="https://charts.external-secrets.io",
                provides=tuple(
                    f"external-secrets.io/{k}" for k in ("ExternalSecret", "SecretStore", "ClusterSecretStore")
                ),
                values=ExternalSecretsValues(
                    resources=limits("100m", "128Mi", "500m", "512Mi"),
                    security_context={
                        "allowPrivilegeEscalation": False,
                        "capabilities": {"drop": ["ALL"]},
                        "readOnlyRootFilesystem": True,
                        "runAsNonRoot": True,
                        "runAsUser": 65534,
                    },
                    webhook={"create": True},
                    cert_controller={"create": True},
                ),
            ),
        )
