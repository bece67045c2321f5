"""Gitleaks: six-hourly secret scan of the cluster's git repository, with BFG cleanup.

A CronJob in `security-scanning` clones the repo with a GitHub token, runs gitleaks and,
when secrets are found, rewrites history with BFG (dry-run and push are off). An alpine
init container downloads the BFG jar. Not exposed, stores nothing; reads the GitHub
token from AWS (`gitleaks/github-token`) and an optional, hand-made `slack-webhook`.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import config_volume, empty_dir, env, mount, resources, secret_key
from fako.constructs.rbac import ServiceAccount, ServiceAccountSpec
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import cronjob
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

SCRIPT = "gitleaks-cleanup-script"
BFG = "https://repo1.maven.org/maven2/com/madgag/bfg/1.14.0/bfg-1.14.0.jar"


class Gitleaks(AppConstruct):
    """The scanner CronJob, its script, ServiceAccount and GitHub token."""

    name = "gitleaks"
    namespace = "security-scanning"
    external = (("Secret", "slack-webhook"),)

    def build(self) -> None:
        AppNamespace(self)
        ServiceAccount(self, "sa", ServiceAccountSpec(name="gitleaks"))
        ConfigMap(self, "script", ConfigMapSpec(name=SCRIPT, data={"cleanup.sh": read_file(__file__, "cleanup.sh")}))
        # `setup` downloads the BFG jar into /tools, shared with the scanner.
        setup = f"apk add --no-cache openjdk11-jre curl\ncurl -L {BFG} \\\n  -o /tools/bfg.jar\n"
        cronjob(
            self, "gitleaks-scanner", "0 */6 * * *", concurrency=None, successful=None, failed=None, ttl=None,
            restart_policy="OnFailure", service_account_name="gitleaks",
            init_containers=[k8s.Container(name="setup", image="alpine:3.24", command=["/bin/sh", "-c", setup],
                                           volume_mounts=[mount("tools", "/tools")])],
            containers=[k8s.Container(
                name="gitleaks", image="zricethezav/gitleaks:v8.30.1",
                command=["/bin/sh", "-c", read_file(__file__, "run.sh")],
                env=env({"GITHUB_TOKEN": secret_key("github-credentials", "token"), "DRY_RUN": "false",
                         "AUTO_PUSH": "false", "SLACK_WEBHOOK": secret_key("slack-webhook", "url", optional=True)}),
                resources=resources(cpu=("200m", "500m"), memory=("512Mi", "1Gi")),
                volume_mounts=[mount("scripts", "/scripts"), mount("tools", "/tools"),
                               mount("scan-results", "/tmp/scan-results")])],
            volumes=[config_volume("scripts", SCRIPT, default_mode=0o755), empty_dir("tools"),
                     empty_dir("scan-results")])
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        store.secret("github-token-external-secret", {"token": "gitleaks/github-token#token"},
                     target="github-credentials", template={"data": {"token": "{{ .token }}"}, "type": "Opaque"})
