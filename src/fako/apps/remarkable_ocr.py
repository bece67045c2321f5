"""reMarkable OCR: daily sync of reMarkable tablet notes into the Obsidian vault.

A CronJob (07:00 UTC) pulls new notebooks from the reMarkable cloud, OCRs the
handwriting with MyScript and writes Markdown under `remarkable-notes/` through
vault-gateway. Not exposed; keeps its sync state on a 64Mi local-path claim; reads
MyScript keys, the reMarkable device token, the Obsidian API key and the Docker Hub pull
secret from AWS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, mount, pull_secrets, pvc_volume, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import RESTRICTED_CONTAINER, cronjob, restricted_pod
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import RESTRICTED, AppNamespace
from fako.patterns.netpol import DNS, HTTPS, VAULT_GATEWAY, network_policy
from fako.patterns.shared_secrets import obsidian_api
from fako.patterns.storage import claim
from fako.tree import AppConstruct

LABELS = {"app.kubernetes.io/component": "sync", "app.kubernetes.io/instance": "production",
          "app.kubernetes.io/name": "remarkable-ocr", "app.kubernetes.io/part-of": "remarkable"}
APP = {"app": "remarkable-ocr"}
ENV: dict[str, str | k8s.EnvVarSource] = {
    "MYSCRIPT_APP_KEY": secret_key("myscript-api", "app_key"),
    "MYSCRIPT_HMAC_KEY": secret_key("myscript-api", "hmac_key"),
    "RMAPI_DEVICETOKEN": secret_key("remarkable-cloud-token", "devicetoken"),
    "OBSIDIAN_API_URL": "http://vault-gateway.vault-gateway.svc.cluster.local:8080",
    "OBSIDIAN_API_KEY": secret_key("obsidian-api", "api_key"), "NOTES_ROOT": "remarkable-notes",
}


class RemarkableOcr(AppConstruct):
    """One CronJob with its state claim, secrets and egress policy, all labelled alike."""

    name = "remarkable-ocr"

    def build(self) -> None:
        AppNamespace(self, RESTRICTED, {**LABELS, "vault-access": "true"})
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(labels=LABELS))
        claim(self, "remarkable-ocr-state", "64Mi", storage_class="local-path", access="ReadWriteOnce", labels=LABELS)
        sync = k8s.Container(name="sync", image="lzetam/remarkable-ocr:0.1.3", env=env(ENV),
                             resources=resources(cpu=("50m", "1"), memory=("128Mi", "512Mi")),
                             security_context=RESTRICTED_CONTAINER, volume_mounts=[mount("state", "/state")])
        cronjob(self, "remarkable-ocr", "0 7 * * *", labels={**APP, **LABELS}, pod_labels=APP, time_zone="UTC",
                starting_deadline=600, backoff_limit=1, automount_service_account_token=False,
                security_context=restricted_pod(fs_group=1000), image_pull_secrets=pull_secrets("dockerhub-secret"),
                containers=[sync], volumes=[pvc_volume("state", "remarkable-ocr-state")])
        dockerhub_pull_secret(store, "dockerhub-secret", style="pretty", labels=LABELS)
        store.secret("myscript-api", {k: f"myscript/api#{k}" for k in ("app_key", "hmac_key")}, labels=LABELS)
        obsidian_api(store, labels=LABELS)
        store.secret("remarkable-cloud-token", {"devicetoken": "remarkable/cloud-token#devicetoken"},
                        labels=LABELS)
        network_policy(self, "remarkable-ocr", id="netpol", pod=APP, labels=LABELS, egress=[DNS, VAULT_GATEWAY, HTTPS])
