"""Social media: the S3 gateway (versitygw) that serves the social pipeline's media from the NAS.

versitygw exposes the UniFi NAS share `SocialMedia` (a static 2Ti NFS volume) as S3 at
s3.landryzetam.net. Its Cloudflare tunnel also fronts ig-inbox-api (ig-inbox-uploader),
vault-api (the Obsidian REST API on mm1) and llm (APISIX); the config's comments explain
each route. Reads the S3 root credentials and the tunnel credentials from AWS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import read_file
from fako.constructs.pods import env, mount, pvc_volume, resources, secret_key, tcp_probe
from fako.constructs.storage import PersistentVolume, PersistentVolumeSpec
from fako.patterns.aws import AwsSecretStore
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

PART = {"app.kubernetes.io/part-of": "social-media"}
NAME = {"app.kubernetes.io/name": "versitygw"}
S3_KEYS = ("S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_ENDPOINT", "S3_BUCKET", "S3_REGION")
SHARE = "/volume/535b39d4-5df9-48cf-9971-da0c32603790/.srv/.unifi-drive/SocialMedia/.data"
ROUTES = (
    ("s3.landryzetam.net", "http://versitygw:7070"),
    ("ig-inbox-api.landryzetam.net", "http://ig-inbox-uploader.ig-inbox-uploader.svc.cluster.local:8080"),
    ("vault-api.landryzetam.net", "https://obsidian-api.landryzetam.net:27124"),
    ("llm.landryzetam.net", "http://apisix.apisix.svc.cluster.local:9080"),
)


class SocialMedia(AppConstruct):
    """versitygw on the static NAS volume, its Service, the S3 secret and the tunnel."""

    name = "social-media"

    def build(self) -> None:
        AppNamespace(self, pss=None, labels=PART)
        store = AwsSecretStore(self)
        store.secret("social-media-s3", {k: f"social-media/s3-credentials#{k}" for k in S3_KEYS},
                     template={"data": {k: f"{{{{ .{k} }}}}" for k in sorted(S3_KEYS)}, "type": "Opaque"})
        CloudflareTunnel(self, CloudflareTunnelSpec(
            tunnel="44793c06-3641-408a-b36b-4b75aea14158", routes=ROUTES,
            config=read_file(__file__, "cloudflared.yaml"), credentials="aws",
            deployment_labels={"app": "cloudflared", **PART}), store=store)
        PersistentVolume(self, "pv", PersistentVolumeSpec.model_validate({
            "name": "social-media-storage", "labels": {"app.kubernetes.io/name": "social-media-storage"},
            "accessModes": ["ReadWriteMany"], "capacity": {"storage": "2Ti"},
            "csi": {"driver": "nfs.csi.k8s.io", "volumeAttributes": {"server": "unas.landryzetam.net", "share": SHARE},
                    "volumeHandle": "social-media-storage"},
            "mountOptions": ["nfsvers=3", "nolock", "hard", "timeo=600", "retrans=2"],
            "persistentVolumeReclaimPolicy": "Retain", "storageClassName": ""}))
        claim(self, "social-media-storage", "2Ti", storage_class="", volume_name="social-media-storage")
        service(self, "versitygw", labels={**NAME, **PART}, selector=NAME, ports=[port("s3", 7070)])
        gateway = k8s.Container(
            name="versitygw", image="ghcr.io/versity/versitygw:v1.7.0",
            args=["--port", ":7070", "posix", "--sidecar", "/meta", "--disable-copy-file-range", "/gwroot"],
            env=env({"ROOT_ACCESS_KEY": secret_key("social-media-s3", "S3_ACCESS_KEY"),
                     "ROOT_SECRET_KEY": secret_key("social-media-s3", "S3_SECRET_KEY"), "VGW_REGION": "us-east-1"}),
            ports=[k8s.ContainerPort(container_port=7070, name="s3")],
            liveness_probe=tcp_probe(7070, delay=15, period=20), readiness_probe=tcp_probe(7070, delay=5, period=10),
            resources=resources(cpu=("100m", "1"), memory=("128Mi", "1Gi")),
            volume_mounts=[mount("storage", "/gwroot", sub_path="buckets"), mount("storage", "/meta", sub_path="meta")])
        pod = {"app.kubernetes.io/component": "s3-gateway", **NAME, **PART}
        deployment(
            self, "versitygw", labels=pod, selector=NAME, pod_labels=pod, strategy="Recreate", containers=[gateway],
            security_context=k8s.PodSecurityContext(fs_group=988, run_as_group=988, run_as_non_root=True,
                                                    run_as_user=977),
            volumes=[pvc_volume("storage", "social-media-storage")])
