"""Social media: the S3 gateway (versitygw) that serves the social pipeline's media from the NAS.

versitygw exposes the UniFi NAS share `SocialMedia` (a static 2Ti NFS volume) as S3 at
s3.landryzetam.net. Its Cloudflare tunnel also fronts ig-inbox-api (ig-inbox-uploader),
vault-api (the Obsidian REST API on mm1) and llm (APISIX); the config's comments explain
each route. Reads the S3 root credentials and the tunnel credentials from AWS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, mount, pvc_volume, resources, secret_key, tcp_probe
from fako.constructs.storage import PersistentVolume, PersistentVolumeSpec
from fako.patterns.aws import AwsSecretStore
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.tunnel import (
    CatchAll,
    CloudflareTunnel,
    CloudflareTunnelSpec,
    OriginRequest,
    TunnelLayout,
    TunnelRoute,
)
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

PART = {"app.kubernetes.io/part-of": "social-media"}
NAME = {"app.kubernetes.io/name": "versitygw"}
S3_KEYS = ("S3_ACCESS_KEY", "S3_SECRET_KEY", "S3_ENDPOINT", "S3_BUCKET", "S3_REGION")
SHARE = "/volume/535b39d4-5df9-48cf-9971-da0c32603790/.srv/.unifi-drive/SocialMedia/.data"
UUID_NOTE = """\
Referenced by UUID, not name: the credentials file pins this ID, and a
renamed tunnel would silently stop matching."""
S3_TIMEOUT = """\
Media objects are large and Instagram reads them slowly; the default
30s would cut long reel transfers off mid-stream."""
INBOX = """\
Public edge for the cloud agent's inbox read API. The agent endpoints are
protected by a bearer token; the Tailscale-private UI remains unreachable
through this hostname because there is no route back to the Tailscale sidecar."""
VAULT = """\
Public edge for obsidian-vault-api, so the cloud agent can file article
notes into the vault. The origin runs on mm1 — outside the
cluster but on the same LAN — so cloudflared reaches it by the existing
private DNS name. Three controls survive this exposure:
  1. mm1's OBSIDIAN_API_ALLOWED_NETWORKS still only admits the cluster
     node and client VLANs. Traffic arrives SNAT'd as a cluster node, so the
     allowlist is untouched — the internet cannot reach the origin directly.
  2. The agent holds the `morning-brief` client key, scoped read+write to
     Reading/TLDR/** and nothing else. Verified 2026-08-05: in-scope PUT
     204, Health/ PUT 403.
  3. Every request is audit-logged on mm1 with client, path, and source.
noTLSVerify because the origin serves a self-signed cert; Cloudflare
terminates the real TLS at the edge."""
VAULT_NO_TLS_VERIFY = """\
The Obsidian Local REST API serves its own self-signed certificate, and
this is the only https:// origin in the tunnel. Without this, cloudflared
rejects it with "x509: certificate signed by unknown authority" and every
request 502s.

It worked for a week without this line only because the running pod was on
an older cloudflared. Deploying the apisix route on 2026-08-11 restarted
cloudflared onto 2025.11.1, which verifies the origin certificate — and both
tldr-pipeline CronJobs failed that afternoon. Nothing was down; an unrelated
deploy changed the image under a route that depended on the old behaviour.

The hop this skips verification on is cluster -> private LAN host. It is not
the public hop, which Cloudflare still terminates normally, and the origin
is independently protected: bearer token, a key scoped to Reading/TLDR/**,
and OBSIDIAN_API_ALLOWED_NETWORKS limiting the source to 10.85.30.0/24.
The stricter alternative is caPool with the origin certificate mounted into
cloudflared; worth doing if this origin ever carries anything broader."""
LLM = """\
APISIX AI gateway — the LLM front door for the Mac Studio fleet, so
workloads OUTSIDE the cluster (the social pipeline runs on a Hostinger
VPS) can reach local models and fall back to Ollama Cloud on 429/5xx.

This is the only reason the gateway is on the internet at all, so it is
NOT open: every route behind it requires APISIX key-auth, and the
social consumer is additionally rate-limited to 600 requests/hour so a
runaway agent loop cannot saturate a fleet the whole homelab shares."""
ROUTES = (
    TunnelRoute(hostname="s3.landryzetam.net", service="http://versitygw:7070", origin_request=OriginRequest(
        connect_timeout="30s", no_happy_eyeballs=True, comments={"connect_timeout": S3_TIMEOUT})),
    TunnelRoute(hostname="ig-inbox-api.landryzetam.net",
                service="http://ig-inbox-uploader.ig-inbox-uploader.svc.cluster.local:8080", comment=INBOX),
    TunnelRoute(hostname="vault-api.landryzetam.net", service="https://obsidian-api.landryzetam.net:27124",
                comment=VAULT,
                origin_request=OriginRequest(no_tls_verify=True, comments={"no_tls_verify": VAULT_NO_TLS_VERIFY})),
    TunnelRoute(hostname="llm.landryzetam.net", service="http://apisix.apisix.svc.cluster.local:9080", comment=LLM,
                origin_request=OriginRequest(no_tls_verify=True)),
)
"""The tunnel's routes; each comment is written above its route in the cloudflared config."""


class SocialMedia(AppConstruct):
    """versitygw on the static NAS volume, its Service, the S3 secret and the tunnel."""

    name = "social-media"

    def build(self) -> None:
        AppNamespace(self, pss=None, labels=PART)
        store = AwsSecretStore(self)
        store.secret("social-media-s3", {k: f"social-media/s3-credentials#{k}" for k in S3_KEYS},
                     template={"data": {k: f"{{{{ .{k} }}}}" for k in sorted(S3_KEYS)}, "type": "Opaque"})
        CloudflareTunnel(self, CloudflareTunnelSpec(
            tunnel="44793c06-3641-408a-b36b-4b75aea14158", routes=ROUTES, indent=2,
            style=TunnelLayout(header=UUID_NOTE, blank_before_metrics=True, blank_before_ingress=True),
            catch_all=CatchAll(comment="Anything that did not match above is not part of this service."),
            credentials="aws",
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
