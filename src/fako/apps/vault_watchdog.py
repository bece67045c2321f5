"""Vault watchdog: alerts when an Obsidian vault area stops receiving writes.

A CronJob (08:00 and 20:00 New York) runs a stdlib Python checker against the vault
through vault-gateway and fails when an area's newest dated file is older than its limit
(`areas.json`). Not exposed, stores nothing; reads the Obsidian API key from AWS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import config_volume, env, mount, resources, secret_key
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import RESTRICTED_CONTAINER, cronjob, restricted_pod
from fako.patterns.namespace import RESTRICTED, AppNamespace
from fako.patterns.netpol import DNS, HTTPS, VAULT_GATEWAY, network_policy
from fako.patterns.shared_secrets import obsidian_api
from fako.tree import AppConstruct

LABELS = {"app": "vault-watchdog"}
GATEWAY = "http://vault-gateway.vault-gateway.svc.cluster.local:8080"
NON_ROOT = restricted_pod(1000)


class VaultWatchdog(AppConstruct):
    """One CronJob, its script and area list, and an egress policy to the gateway."""

    name = "vault-watchdog"

    def build(self) -> None:
        AppNamespace(self, RESTRICTED, {"name": self.name, "purpose": "observability", "vault-access": "true"})
        areas = {"areas.json": read_file(__file__, "areas.json"), "unmonitored.txt": "remarkable-notes\nvoice\n"}
        ConfigMap(self, "areas", ConfigMapSpec(name="vault-watchdog", data=areas))
        script = {"check.py": read_file(__file__, "check.py")}
        ConfigMap(self, "script", ConfigMapSpec(name="vault-watchdog-script", data=script))
        check = k8s.Container(
            name="check", image="python:3.12-alpine3.21", image_pull_policy="IfNotPresent",
            command=["python3", "/script/check.py"],
            env=env({"OBSIDIAN_API_URL": GATEWAY, "OBSIDIAN_API_KEY": secret_key("obsidian-api", "api_key"),
                     "AREAS_CONFIG": "/config/areas.json"}),
            resources=resources(cpu=("50m", "500m"), memory=("64Mi", "256Mi")), security_context=RESTRICTED_CONTAINER,
            volume_mounts=[mount("script", "/script", read_only=True), mount("config", "/config", read_only=True)])
        cronjob(self, "vault-watchdog", "0 8,20 * * *", labels=LABELS, pod_labels=LABELS, failed=5, ttl=172800,
                time_zone="America/New_York", starting_deadline=3600, backoff_limit=0, active_deadline=900,
                automount_service_account_token=False, security_context=NON_ROOT, containers=[check],
                volumes=[config_volume("script", "vault-watchdog-script"), config_volume("config", "vault-watchdog")])
        obsidian_api(AwsSecretStore(self), "obsidian-api", style="plain")
        network_policy(self, "vault-watchdog-egress", egress=[DNS, VAULT_GATEWAY, HTTPS])
