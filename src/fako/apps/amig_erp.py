"""AMIG ERP: ERPNext (Frappe's Helm chart) for AMIG, at amig-erp.lztechnology.io.

Public only through its own Cloudflare tunnel (credentials from AWS
`amig-erp/cloudflare-tunnel`) to the chart's nginx Service. The chart runs MariaDB
(8Gi local-path) and keeps sites on a 10Gi NFS claim (values in `files/amig_erp/
values.yaml`). Reads the admin and MariaDB root passwords and the Docker Hub pull
secret from AWS; the default ServiceAccount carries the pull secret.
"""

from __future__ import annotations

from fako.constructs.pods import pull_secrets
from fako.constructs.rbac import ServiceAccount, ServiceAccountSpec
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.helm import HelmApp, HelmAppSpec, values_file
from fako.patterns.namespace import AppNamespace
from fako.patterns.tunnel import (
    CatchAll,
    CloudflareTunnel,
    CloudflareTunnelSpec,
    OriginRequest,
    TunnelLayout,
    TunnelRoute,
)
from fako.tree import AppConstruct

PART = {"app.kubernetes.io/part-of": "amig-erp"}
HOST = "amig-erp.lztechnology.io"
ROUTE = TunnelRoute(hostname=HOST, service="http://erpnext.amig-erp.svc.cluster.local:8080", origin_request=OriginRequest(
    connect_timeout="30s", keep_alive_timeout="90s", http_host_header=HOST))
POLICY = {"crds": "CreateReplace", "timeout": "20m"}


class AmigErp(AppConstruct):
    """The ERPNext HelmRelease + repository, its secrets and the tunnel."""

    name = "amig-erp"

    def build(self) -> None:
        AppNamespace(self, labels={**PART, "name": "amig-erp"})
        pull = pull_secrets("dockerhub-registry")
        ServiceAccount(self, "default-sa", ServiceAccountSpec(name="default", image_pull_secrets=pull))
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        dockerhub_pull_secret(store, style="pretty")
        passwords = {"ADMIN_PASSWORD": "ERPNEXT_ADMIN_PASSWORD", "MARIADB_ROOT_PASSWORD": "MARIADB_ROOT_PASSWORD"}
        store.secret("erpnext-secrets", {k: f"amig-erp/database#{v}" for k, v in passwords.items()})
        CloudflareTunnel(self, CloudflareTunnelSpec(
            tunnel="amig-erp-tunnel", routes=(ROUTE,), indent=2,
            style=TunnelLayout(blank_before_metrics=True, blank_before_ingress=True),
            catch_all=CatchAll(comment="Catch-all returns 404 for unmatched requests"),
            credentials="aws-string", secret_name="amig-erp-tunnel-credentials",
            deployment_labels={"app": "cloudflared", **PART}), store=store)
        HelmApp(self, HelmAppSpec(
            # renovate: datasource=helm depName=erpnext registryUrl=https://helm.erpnext.com
            name="erpnext", chart="erpnext", url="https://helm.erpnext.com", version="8.0.65", repo="frappe",
            values=values_file(__file__), timeout=None, crds=None, retries=None,
            extra={"install": POLICY, "upgrade": POLICY}))
