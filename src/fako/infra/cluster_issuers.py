"""cert-manager configuration: the three Let's Encrypt ClusterIssuers and the Cloudflare token.

`letsencrypt-production` and `letsencrypt-staging` solve HTTP-01 through traefik;
`letsencrypt-dns01` solves DNS-01 with the Cloudflare API token that ExternalSecret
`cloudflare-api-token` copies from AWS (`cert-manager/cloudflare-api-token`) into the
cert-manager namespace, through its SecretStore (SOPS `aws-credentials`, env-style keys).
"""

from __future__ import annotations

from typing import Any

from fako.constructs.cert_manager import ClusterIssuer, ClusterIssuerSpec
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.tree import AppConstruct

EMAIL = "admin@landryzetam.net"
ACME = "https://acme-{}v02.api.letsencrypt.org/directory"
HTTP01 = {"http01": {"ingress": {"class": "traefik"}}}
DNS01 = {"dns01": {"cloudflare": {"apiTokenSecretRef": {"key": "api-token", "name": "cloudflare-api-token-secret"}}}}


class ClusterIssuers(AppConstruct):
    """cert-manager configuration."""

    name = "cert-manager"
    default_layer = "infrastructure-configs"

    def build(self) -> None:
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(keys="env"))
        store.secret(
            "cloudflare-api-token",
            {"api-token": "cert-manager/cloudflare-api-token#api-token"},
            target="cloudflare-api-token-secret",
            creation_policy=None,
        )
        issuers: tuple[tuple[str, str, dict[str, Any]], ...] = (
            ("letsencrypt-dns01", "", DNS01),
            ("letsencrypt-production", "", HTTP01),
            ("letsencrypt-staging", "staging-", HTTP01),
        )
        for name, env, solver in issuers:
            ClusterIssuer(
                self,
                name,
                ClusterIssuerSpec.model_validate(
                    {
                        "name": name,
                        "acme": {
                            "email": EMAIL,
                            "privateKeySecretRef": {"name": name},
                            "server": ACME.format(env),
                            "solvers": [solver],
                        },
                    }
                ),
            )
