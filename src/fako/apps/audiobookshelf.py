"""Audiobookshelf: self-hosted audiobook and podcast server (`advplyr/audiobookshelf`).

Meant to be public through its own Cloudflare tunnel `audiobooks`, but the tunnel's
route to it is commented out (decommissioned), leaving only the hello-world sample.
Keeps config, metadata and the audiobooks on three NFS claims; no secrets besides the
SOPS tunnel credentials.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import env_from, mount, pvc_volume, resources
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.tunnel import (
    CATCH_ALL_COMMENT,
    DOCS,
    HELLO_WORLD_COMMENT,
    CatchAll,
    CloudflareTunnel,
    CloudflareTunnelSpec,
    TunnelLayout,
    TunnelRoute,
)
from fako.patterns.workload import deployment, service
from fako.tree import AppConstruct

APP = {"app": "audiobookshelf"}
VOLUMES = {"config": ("/config", "1Gi"), "metadata": ("/metadata", "5Gi"), "audiobooks": ("/audiobooks", "5Gi")}
"""Each volume's mount path and the size of its claim `audiobookshelf-<volume>`."""
TUNNEL = CloudflareTunnelSpec(
    tunnel="audiobooks", resources="large",
    style=TunnelLayout(header=DOCS.header, blank_before_tunnel=True, blank_before_credentials=True,
                       blank_before_metrics=True, metrics_comment=DOCS.metrics_comment, blank_before_ingress=True,
                       ingress_comment="- hostname: audiobooks.landryzetam.net\n  service: http://audiobookshelf:3005\n"
                                       "(Decommissioned - audiobookshelf not in staging deployment)"),
    routes=(TunnelRoute(hostname="hello.example.com", service="hello_world", comment=HELLO_WORLD_COMMENT,
                        blank_before=True),),
    catch_all=CatchAll(comment=CATCH_ALL_COMMENT))
"""The tunnel: its route to audiobookshelf is commented out, only the hello-world sample is left."""


class Audiobookshelf(AppConstruct):
    """One pod on three claims, its Service, a PORT ConfigMap and the tunnel."""

    name = "audiobookshelf"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        ConfigMap(self, "env", ConfigMapSpec(name="audiobookshelf-configmap", data={"PORT": "3005"}))
        CloudflareTunnel(self, TUNNEL)
        service(self, "audiobookshelf", selector=APP, ports=[k8s.ServicePort(port=3005)])
        for volume in sorted(VOLUMES):  # claims in name order
            claim(self, f"audiobookshelf-{volume}", VOLUMES[volume][1], access="ReadWriteOnce")
        container = k8s.Container(
            name="audiobookshelf", image="ghcr.io/advplyr/audiobookshelf:2.35.1",
            env_from=env_from(config_maps=["audiobookshelf-configmap"]),
            ports=[k8s.ContainerPort(container_port=3005, protocol="TCP")],
            resources=resources(cpu=("250m", "1000m"), memory=("512Mi", "1Gi")),
            volume_mounts=[mount(f"audiobookshelf-{v}", path) for v, (path, _) in VOLUMES.items()])
        deployment(self, "audiobookshelf", selector=APP, containers=[container], restart_policy="Always",
                   security_context=k8s.PodSecurityContext(fs_group=1000, run_as_group=1000, run_as_user=1000),
                   volumes=[pvc_volume(f"audiobookshelf-{v}", f"audiobookshelf-{v}") for v in VOLUMES])
