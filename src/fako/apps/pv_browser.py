"""pv-browser: a read-only File Browser over the NAS folders the cluster's volumes live in.

Exposed at pv-browser.landryzetam.net through traefik, LAN only (the `lan-only`
ipAllowList Middleware, SOPS-encrypted in the owner's repository); its own database on a
1Gi NFS claim; four NAS shares (k8s-storage, -db, -pg, -backups) mounted read-only through
static NFS volumes; the admin password from the SOPS Secret `pv-browser-admin`.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import read_file
from fako.constructs.pods import env, http_probe, mount, pvc_volume, resources, secret_key
from fako.constructs.sops import SopsObject, SopsObjectSpec, SopsSecret, SopsSecretSpec
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace, PodSecurity
from fako.patterns.static_volume import StaticVolume, StaticVolumeSpec
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

IMAGE = "filebrowser/filebrowser:v2.63.23"
LABELS = {"app.kubernetes.io/managed-by": "kustomize", "app.kubernetes.io/part-of": "pv-browser"}
NAME = {"app.kubernetes.io/name": "pv-browser"}
SHARES = ("k8s-storage", "k8s-db", "k8s-pg", "k8s-backups")
LOCKED = k8s.SecurityContext(allow_privilege_escalation=False, capabilities=k8s.Capabilities(drop=["ALL"]))
ROUTER = {"entrypoints": "websecure", "middlewares": "pv-browser-lan-only@kubernetescrd", "tls": "true"}


class PvBrowser(AppConstruct):
    """File Browser, one pod (Recreate: its database is RWO); the init container resets perms."""

    name = "pv-browser"

    def build(self) -> None:
        AppNamespace(self, PodSecurity(enforce="restricted"),
                     labels={"app.kubernetes.io/component": "ops-tooling", **LABELS, **NAME})
        SopsSecret(self, "admin", SopsSecretSpec(name="pv-browser-admin"))
        service(self, "pv-browser", labels=LABELS, selector={"app": "pv-browser"}, type=None,
                ports=[port("http", 80, 8080, protocol=None)])
        for share in SHARES:
            StaticVolume(self, StaticVolumeSpec(name=f"pvbrowser-{share}", size="1Gi", share=f"/volume1/{share}",
                                                read_only=True, labels=LABELS))
        claim(self, "pvbrowser-config", "1Gi", access="ReadWriteOnce", labels=LABELS)
        deployment(
            self, "pv-browser", selector={"app": "pv-browser"}, labels={**LABELS, **NAME},
            pod_labels={"app": "pv-browser", **NAME}, strategy="Recreate",
            security_context={"fsGroup": 1000, "runAsGroup": 1000, "runAsNonRoot": True, "runAsUser": 1000,
                              "seccompProfile": {"type": "RuntimeDefault"}},
            volumes=[pvc_volume("config", "pvbrowser-config"),
                     *(pvc_volume(s, f"pvbrowser-{s}", read_only=True) for s in SHARES)],
            containers=[k8s.Container(
                name="filebrowser", image=IMAGE, security_context=LOCKED,
                args=["-d", "/config/filebrowser.db", "-r", "/srv", "-a", "0.0.0.0", "-p", "8080"],
                liveness_probe=http_probe("/health", 8080, delay=20, period=30),
                readiness_probe=http_probe("/health", 8080, delay=5, period=10),
                ports=[k8s.ContainerPort(container_port=8080, name="http")],
                resources=resources(cpu=("20m", "500m"), memory=("64Mi", "256Mi")),
                volume_mounts=[mount("config", "/config"), *(mount(s, f"/srv/{s}", read_only=True) for s in SHARES)])],
            init_containers=[k8s.Container(
                name="init", image=IMAGE, command=["/bin/sh", "-c"], args=[read_file(__file__, "init.sh")],
                env=env({"FB_ADMIN_PASSWORD": secret_key("pv-browser-admin", "password")}),
                resources=resources(cpu=("10m", "200m"), memory=("32Mi", "128Mi")), security_context=LOCKED,
                volume_mounts=[mount("config", "/config")])])
        # The ipAllowList source ranges are private: the owner keeps the Middleware encrypted.
        lan_only = SopsObjectSpec(name="lan-only", kind="Middleware", api_version="traefik.io/v1alpha1")
        SopsObject(self, "lan-only", lan_only)
        ingress(self, "pv-browser", hosts=["pv-browser.landryzetam.net"], service="pv-browser", port=80, labels=LABELS,
                tls_secret="pv-browser-tls", issuer="letsencrypt-dns01",
                annotations={f"traefik.ingress.kubernetes.io/router.{k}": v for k, v in ROUTER.items()})
