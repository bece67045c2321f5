"""UniFi clients: nightly export of UniFi Protect clips to S3.

A CronJob (midnight) logs into the UniFi console and uploads new clips to an S3 bucket,
using an emptyDir as scratch. Not exposed, stores nothing in the cluster. Reads the
UniFi login and S3 credentials from AWS; its pull secret `dockerhub-registry` is made
by the legacy kubectl Job from an ExternalSecret'd `dockerhub-credentials`.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import empty_dir, env, env_from, mount, pull_secrets, resources
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.legacy_pull import NAME as CREATOR
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule
from fako.tree import AppConstruct

NAME = "unifi-clips-exporter"
KEYS = ("unifi_ip", "unifi_port", "unifi_username", "unifi_password", "aws_region", "s3_bucket", "aws_access_key_id",
        "aws_secret_access_key")
"""Properties of `unifi-clients/credentials`, upper-cased into `unifi-clients-secret`."""


class UnifiClients(AppConstruct):
    """The exporter CronJob, its secrets and the legacy pull-secret Job."""

    name = "unifi-clients"

    def build(self) -> None:
        AppNamespace(self, labels={"name": self.name})
        LegacyPullSecret(self, sops=False, role=False)
        # The pull-secret Job's account gets its rights from this extra Role (patch included).
        grant(self, account=CREATOR, role="docker-secret-manager", binding="docker-secret-creator-binding",
              cluster=False, make_account=False, rules=[rule("", ["secrets"], ["get", "create", "delete", "patch"])])
        exporter = k8s.Container(
            name=NAME, image="lzetam/unifi-clients:latest", image_pull_policy="Always",
            env=env({"UNIFI_VERIFY_SSL": "false", "TMPDIR": "/tmp"}),
            env_from=env_from("unifi-clients-secret"),
            resources=resources(cpu=("50m", "300m"), memory=("128Mi", "512Mi")),
            security_context=k8s.SecurityContext(allow_privilege_escalation=False, read_only_root_filesystem=True),
            volume_mounts=[mount("tmp", "/tmp")])
        cronjob(self, NAME, "0 0 * * *", pod_labels={"app": NAME}, backoff_limit=2, restart_policy="OnFailure",
                image_pull_secrets=pull_secrets("dockerhub-registry"), containers=[exporter],
                security_context=k8s.PodSecurityContext(run_as_group=1000, run_as_non_root=True, run_as_user=1000),
                volumes=[empty_dir("tmp")])
        store = AwsSecretStore(self)
        dockerhub_pull_secret(store, "dockerhub-credentials-secret", target="dockerhub-credentials", style="plain")
        store.secret("unifi-clients-credentials", {k: f"unifi-clients/credentials#{k}" for k in KEYS},
                     target="unifi-clients-secret",
                     template={"data": {k.upper(): f"{{{{ .{k} }}}}" for k in sorted(KEYS)}, "engineVersion": "v2"})
