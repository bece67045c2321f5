"""IG inbox uploader: upload API that files Instagram inbox media into Dropbox and S3.

Reachable only on the tailnet as `ig-inbox` (Tailscale userspace sidecar; the public
ig-inbox-api hostname is routed by social-media's tunnel). Keeps no data of its own:
media goes to the social-media S3 bucket and Dropbox, metadata to Supabase. Reads
ig-inbox-uploader/{config,agent-api-token,shortcut-upload-token}, social-media/s3-credentials
and tailscale/ig-inbox-authkey from AWS; `aws-credentials` and the `dockerhub-pull` pull
secret are created by hand in the cluster.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import empty_dir, env_from, http_probe, mount, resources
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.tailscale import TailscaleSidecar, TailscaleSpec
from fako.patterns.workload import deployment, port, rolling, service
from fako.tree import AppConstruct

NAME = "ig-inbox-uploader"
LABELS = {"app": NAME}
CONFIG = "DROPBOX_APP_KEY DROPBOX_APP_SECRET DROPBOX_REFRESH_TOKEN SUPABASE_URL SUPABASE_ANON_KEY GOV_SUPABASE_URL"
S3 = "S3_ENDPOINT S3_PUBLIC_ENDPOINT S3_ACCESS_KEY S3_SECRET_KEY S3_BUCKET S3_REGION"
SECRETS = {  # ExternalSecret (= target Secret) name: (AWS key, properties copied under their own names)
    f"{NAME}-config": (f"{NAME}/config", f"{CONFIG} GOV_SERVICE_ROLE_KEY GOV_AGENT_ID ALLOWED_EMAILS"),
    "social-media-s3": ("social-media/s3-credentials", S3),
    f"{NAME}-agent-token": (f"{NAME}/agent-api-token", "INBOX_API_TOKEN"),
    f"{NAME}-shortcut-token": (f"{NAME}/shortcut-upload-token", "UPLOAD_API_TOKEN"),
}


class IgInboxUploader(AppConstruct):
    """One Deployment (uploader + Tailscale sidecar) behind a ClusterIP Service."""

    name = NAME
    external = (("Secret", "aws-credentials"), ("Secret", "dockerhub-pull"))

    def build(self) -> None:
        AppNamespace(self, pss=None)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(credentials="external"))
        ts = TailscaleSidecar(self, store, TailscaleSpec(hostname="ig-inbox", key="ig-inbox", key_property=True))
        service(self, NAME, selector=LABELS, ports=[port("http", 8080, protocol=None)], type=None)
        app = k8s.Container(
            name=NAME, image="lzetam/ig-inbox-uploader:sha-1c7cc9c9b7cd490b10c9a3647bfb7c2e9997bee3",
            image_pull_policy="Always",
            env_from=env_from(*SECRETS),
            ports=[k8s.ContainerPort(container_port=8080, name="http", protocol="TCP")],
            liveness_probe=http_probe("/healthz", 8080, delay=15, period=10),
            readiness_probe=http_probe("/healthz", 8080, delay=5, period=5),
            resources=resources(cpu=("100m", "1000m"), memory=("256Mi", "4Gi")),
            security_context=k8s.SecurityContext(allow_privilege_escalation=False, read_only_root_filesystem=True,
                                                 run_as_non_root=True, run_as_user=1000),
            volume_mounts=[mount("tmp", "/tmp")])
        tmp = empty_dir("tmp")
        strategy = rolling(0, 1)
        deployment(self, NAME, selector=LABELS, strategy=strategy, containers=[app, ts.container],
                   image_pull_secrets=[{"name": "dockerhub-pull"}], volumes=[ts.serve_volume, tmp, ts.state_volume])
        for name, (key, props) in SECRETS.items():
            template = {"data": {p: f"{{{{ .{p} }}}}" for p in props.split()}, "type": "Opaque"}
            store.secret(name, {p: f"{key}#{p}" for p in props.split()}, template=template)
