"""GPUStack proxy: a selector-less Service `gpustack` in front of the GPUStack server.

GPUStack runs outside the cluster; a CronJob reads its base URL (AWS key
`ollama-webui/endpoints`) every 30 minutes and writes the Service's Endpoints with
kubectl. Exposed at gpustack.landryzetam.net by a traefik Ingress (no TLS) and its
own Cloudflare tunnel (SOPS credentials; the config still names the old `audiobooks`
tunnel). Stores nothing.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import read_file
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import cronjob
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import rule, service_account
from fako.patterns.tunnel import (
    CATCH_ALL_COMMENT,
    HELLO_WORLD_COMMENT,
    CatchAll,
    CloudflareTunnel,
    CloudflareTunnelSpec,
    TunnelRoute,
)
from fako.patterns.workload import port, service
from fako.tree import AppConstruct

NAME = "gpustack-endpoint-sync"
HOST = "gpustack.landryzetam.net"
RULES = [
    rule("", ["endpoints", "services"], ["get", "create", "update", "patch"]),
    rule("", ["secrets"], ["get"]),
]


class GpustackProxy(AppConstruct):
    """Service + Endpoints sync CronJob, Ingress and tunnel."""

    name = "gpustack-proxy"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(keys="env"))
        store.secret("gpustack-endpoint", {"gpustack_base_url": "ollama-webui/endpoints#gpustack_base_url"},
                     template={"data": {"GPUSTACK_BASE_URL": "{{ .gpustack_base_url }}"}, "type": "Opaque"})
        service_account(self, NAME, RULES)
        sync = k8s.Container(name="sync", image="alpine/k8s:1.36.2",
                             command=["/bin/sh", "-c", read_file(__file__, "sync-endpoints.sh")])
        cronjob(self, NAME, "*/30 * * * *", concurrency=None, successful=None, failed=None, ttl=None,
                restart_policy="OnFailure", service_account_name=NAME, containers=[sync])
        service(self, "gpustack", selector=None, ports=[port("http", 80)])
        ingress(self, "gpustack", hosts=[HOST], service="gpustack", port=80, issuer=None)
        hello = TunnelRoute(hostname="hello.example.com", service="hello_world", comment=HELLO_WORLD_COMMENT,
                            blank_before=True)
        CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="audiobooks", routes=((HOST, "http://gpustack:80"), hello),
                                                    style="docs", catch_all=CatchAll(comment=CATCH_ALL_COMMENT)))
