"""DJI media: the drone/camera archive on the UniFi NAS, served read-only over HTTP by nginx.

Reachable only on the tailnet as `dji-media` (Tailscale userspace sidecar, HTTPS 443 to
nginx's 8080) and in-cluster at dji-media:8080. nginx autoindexes the archive as JSON for
the media pipeline and streams clips with range requests; a request passes with the
bearer token or HTTP basic auth (`dji-media/bearer-token`, `dji-media/basic-auth` from
AWS; the store's `aws-credentials` Secret was made by hand). The archive is a static 1Ti
NFS volume on unas, mounted read-only; only the node LAN may reach port 8080 directly.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import (
    config_volume,
    empty_dir,
    env,
    http_probe,
    mount,
    pvc_volume,
    resources,
    secret_key,
    secret_volume,
)
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import RESTRICTED_CONTAINER
from fako.patterns.namespace import AppNamespace
from fako.patterns.netpol import from_cidr, network_policy
from fako.patterns.static_volume import StaticVolume, StaticVolumeSpec
from fako.patterns.tailscale import TailscaleSidecar, TailscaleSpec
from fako.patterns.workload import deployment, port, rolling, service
from fako.tree import AppConstruct

NAME = "dji-media"
LABELS = {"app": NAME}
FLUX = {"app.kubernetes.io/component": "web", "app.kubernetes.io/managed-by": "flux",
        "app.kubernetes.io/name": NAME, "app.kubernetes.io/part-of": NAME}
ARCHIVE = "/volume/535b39d4-5df9-48cf-9971-da0c32603790/.srv/.unifi-drive/content_inbox/.data"
"""The archive's folder on unas: the UniFi Drive content inbox the DJI apps upload into."""
TEMPLATE = "default.conf.template"
NODE_LAN = "10.85.30.0/24"
"""The nodes' LAN: kubelet probes reach the pod from the node addresses."""


class DjiMedia(AppConstruct):
    """nginx (+ Tailscale sidecar) on the archive volume, its Service, secrets and probe policy."""

    name = NAME
    external = (("Secret", "aws-credentials"),)

    def build(self) -> None:
        AppNamespace(self, pss=None)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(credentials="external"))
        for secret, key in (("basic-auth", "htpasswd"), ("bearer-token", "token")):
            store.secret(f"{NAME}-{secret}", {key: f"{NAME}/{secret}#{key}"},
                         template={"data": {key: f"{{{{ .{key} }}}}"}, "type": "Opaque"})
        ConfigMap(self, "nginx", ConfigMapSpec(name=f"{NAME}-nginx", data={TEMPLATE: read_file(__file__, TEMPLATE)}))
        StaticVolume(self, StaticVolumeSpec(
            name=f"{NAME}-archive", size="1Ti", share=ARCHIVE, server="unas.landryzetam.net", driver=None,
            mount_options=("ro", "nfsvers=3", "hard", "timeo=600", "retrans=2"),
            labels={"app.kubernetes.io/name": NAME}, label_claim=False))
        ts = TailscaleSidecar(self, store, TailscaleSpec(hostname=NAME, key=NAME, key_property=True))
        nginx = k8s.Container(
            name="nginx", image="nginxinc/nginx-unprivileged:1.27-alpine",
            env=env({"BEARER_TOKEN": secret_key(f"{NAME}-bearer-token", "token")}),
            ports=[k8s.ContainerPort(container_port=8080, name="http", protocol="TCP")],
            liveness_probe=http_probe("/healthz", "http", delay=15, period=20),
            readiness_probe=http_probe("/healthz", "http", delay=5, period=15),
            resources=resources(cpu=("20m", "500m"), memory=("32Mi", "256Mi")), security_context=RESTRICTED_CONTAINER,
            volume_mounts=[mount("archive", "/srv/media", read_only=True),
                           mount("nginx-conf-template", f"/etc/nginx/templates/{TEMPLATE}", read_only=True,
                                 sub_path=TEMPLATE),
                           mount("nginx-conf-out", "/etc/nginx/conf.d"),
                           mount("nginx-auth", "/etc/nginx/auth", read_only=True), mount("cache", "/tmp")])
        deployment(self, NAME, labels=FLUX, selector=LABELS, strategy=rolling(1, 0), containers=[nginx, ts.container],
                   security_context=k8s.PodSecurityContext(fs_group=101, run_as_non_root=True, run_as_user=101),
                   volumes=[pvc_volume("archive", f"{NAME}-archive", read_only=True),
                            config_volume("nginx-conf-template", f"{NAME}-nginx"), empty_dir("nginx-conf-out"),
                            secret_volume("nginx-auth", f"{NAME}-basic-auth"), ts.serve_volume, empty_dir("cache"),
                            ts.state_volume])
        service(self, NAME, selector=LABELS, type=None, ports=[port("http", 8080, "http", protocol=None)])
        network_policy(self, f"{NAME}-allow-node-probes", pod=LABELS, ingress=[from_cidr(NODE_LAN, 8080)])
