"""Vault gateway: the in-cluster HTTP front of the Obsidian vault API.

Two nginx-unprivileged replicas (spread over nodes) proxy plain HTTP on
`vault-gateway.vault-gateway:8080` to the vault's HTTPS endpoint, verifying it against a
pinned CA. Only namespaces labelled `vault-access: "true"` may connect; egress is DNS
and the vault host's port 27124. Stores nothing; reads the upstream URL from AWS
(`obsidian/api`).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import config_volume, empty_dir, env, http_probe, mount, resources, secret_key
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import RESTRICTED_CONTAINER, restricted_pod
from fako.patterns.namespace import RESTRICTED, AppNamespace
from fako.patterns.netpol import DNS, from_namespace_label, network_policy, to_cidr
from fako.patterns.shared_secrets import obsidian_api
from fako.patterns.workload import deployment, port, rolling, service, spread_over_nodes
from fako.tree import AppConstruct

LABELS = {"app": "vault-gateway"}
NON_ROOT = restricted_pod(101)
SCRATCH = {"nginx-conf": "/etc/nginx/conf.d", "nginx-cache": "/var/cache/nginx", "nginx-run": "/tmp"}
"""nginx's writable directories, each an emptyDir (the root filesystem is read-only)."""


class VaultGateway(AppConstruct):
    """nginx Deployment + Service, its template and CA, and the access policy."""

    name = "vault-gateway"

    def build(self) -> None:
        AppNamespace(self, RESTRICTED, {"name": self.name, "purpose": "egress-proxy"})
        ConfigMap(self, "ca", ConfigMapSpec(name="vault-ca", data={"ca.pem": read_file(__file__, "ca.pem")}))
        template = {"default.conf.template": read_file(__file__, "default.conf.template")}
        ConfigMap(self, "nginx", ConfigMapSpec(name="vault-gateway-nginx", data=template))
        store = AwsSecretStore(self)
        service(self, "vault-gateway", selector=LABELS, labels=LABELS, ports=[port("http", 8080)])
        nginx = k8s.Container(
            name="nginx", image="nginxinc/nginx-unprivileged:1.31-alpine", image_pull_policy="IfNotPresent",
            env=env({"OBSIDIAN_UPSTREAM": secret_key("obsidian-upstream", "api_url"),
                     "NGINX_ENVSUBST_FILTER": "OBSIDIAN_UPSTREAM"}),
            ports=[k8s.ContainerPort(container_port=8080, name="http")],
            liveness_probe=http_probe("/healthz", 8080, delay=5, period=15),
            readiness_probe=http_probe("/healthz", 8080, delay=2, period=5),
            resources=resources(cpu=("25m", "500m"), memory=("32Mi", "128Mi")), security_context=RESTRICTED_CONTAINER,
            volume_mounts=[mount("nginx-template", "/etc/nginx/templates", read_only=True),
                           mount("vault-ca", "/etc/vault-ca", read_only=True),
                           *(mount(n, p) for n, p in SCRATCH.items())])
        deployment(
            self, "vault-gateway", selector=LABELS, labels=LABELS, replicas=2,
            strategy=rolling(1, 0), affinity=spread_over_nodes(labels=LABELS),
            automount_service_account_token=False, security_context=NON_ROOT, containers=[nginx],
            volumes=[config_volume("nginx-template", "vault-gateway-nginx"), config_volume("vault-ca", "vault-ca"),
                     *(empty_dir(n) for n in SCRATCH)])
        obsidian_api(store, "obsidian-upstream", target="obsidian-upstream", style="plain", keys=("api_url",))
        network_policy(self, "vault-gateway", id="netpol", pod=LABELS,
                       ingress=[from_namespace_label({"vault-access": "true"}, 8080)],
                       egress=[DNS, to_cidr("10.85.10.0/24", 27124)])
