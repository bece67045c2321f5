"""Alpha Scribe: scheduled trading-signal scans and news write-ups for quantum-trades.

Five weekday CronJobs in the `quantum-trades` namespace (it has no namespace of its own
and uses quantum-trades' `aws-secrets-store`): premarket, morning and afternoon signal
scans, a news scan (New York time) and an evening evaluation. They call the
quantum-trades services, post to Discord and write to the vault. Not exposed; keeps
its data on a 1Gi NFS claim (pinned to its volume, never pruned). One ExternalSecret
carries every key (Anthropic, Tradier, Supabase, Discord webhooks, S3, Obsidian API).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.external_secrets import ExternalSecret, ExternalSecretSpec
from fako.constructs.pods import env, env_from, mount, pull_secrets, pvc_volume, resources
from fako.constructs.storage import PersistentVolumeClaim, PersistentVolumeClaimSpec
from fako.patterns.aws import remote
from fako.patterns.cron import cronjob
from fako.patterns.shared_secrets import OBSIDIAN_ENV
from fako.tree import AppConstruct

Env = dict[str, str | k8s.EnvVarSource]
APP = {"app": "alpha-scribe"}
DATA: Env = {"DATA_DIR": "/data"}
SIGNALS: Env = {"SIGNALS_URL": "http://signals-service:8002", "MARKET_DATA_URL": "http://market-data-api:8007", **DATA}
AGENTS: Env = {"AGENTS_URL": "http://agents:8006"}
CONTAINER_SECURITY = k8s.SecurityContext.model_validate({
    "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": False,
    "runAsNonRoot": True, "runAsUser": 1000})
ENV_FROM = env_from("alpha-scribe-secrets") + env_from(config_maps=["alpha-scribe-config"])
SECRETS = {
    "ANTHROPIC_API_KEY": "quantum-trades/api-keys#ANTHROPIC_API_KEY", "API_KEY": "alpha-scribe/api#API_KEY",
    **{f"DISCORD_WEBHOOK_{hook.upper()}": f"alpha-scribe/discord#webhooks.{hook}"
       for hook in ("signals", "news", "day_options", "swing_options")},
    "S3_BUCKET": "alpha-scribe/storage#bucket", "SUPABASE_URL": "alpha-scribe/supabase#url",
    "SUPABASE_SERVICE_KEY": "alpha-scribe/supabase#service_role_key", "TRADIER_API_KEY": "alpha-scribe/tradier#api_key",
    "DISCORD_WEBHOOK_SCORECARD": "alpha-scribe/discord#webhooks.scorecard", **OBSIDIAN_ENV,
}
NEWS_ARGS = ["scan-news", "--symbols=AAPL,MSFT,GOOGL,AMZN,META,NVDA,TSLA,AMD,INTC,CRM", "--limit=8",
             "--max-articles=10"]


def _wait_for(name: str, script: str, values: Env | None = None) -> k8s.Container:
    """The busybox init container that waits for a quantum-trades service."""
    return k8s.Container(
        name=name, image="busybox:1.36", image_pull_policy="IfNotPresent",
        command=["sh", "-c", read_file(__file__, script)],
        env=env(values) if values else None, resources=k8s.ResourceRequirements(),
        termination_message_path="/dev/termination-log", termination_message_policy="File")


class AlphaScribe(AppConstruct):
    """Five CronJobs over one image, its config, data claim and secret."""

    name = "alpha-scribe"
    namespace = "quantum-trades"

    def job(self, schedule_name: str, schedule: str, container: str, args: list[str], values: Env,
            init: k8s.Container | None, *, extra: dict[str, str] | None = None, time_zone: str | None = None,
            active_deadline: int | None = None) -> None:
        """CronJob `alpha-scribe-<schedule_name>`: one `python -m app.main <args> -v` run of the image."""
        labels = {**APP, "schedule": schedule_name, **(extra or {})}
        cronjob(
            self, f"alpha-scribe-{schedule_name}", schedule, labels=labels, job_labels=labels, pod_labels=labels,
            starting_deadline=300, suspend=False, time_zone=time_zone, backoff_limit=2, completions=1, parallelism=1,
            active_deadline=active_deadline, image_pull_secrets=pull_secrets("dockerhub-registry"),
            init_containers=[init] if init else None,
            containers=[k8s.Container(
                name=container, image="lzetam/alpha-scribe:latest", image_pull_policy="Always",
                command=["python", "-m", "app.main", *args, "-v"], env=env(values), env_from=ENV_FROM,
                resources=resources(cpu=("100m", "500m"), memory=("256Mi", "512Mi")),
                security_context=CONTAINER_SECURITY, volume_mounts=[mount("data", "/data")])],
            volumes=[pvc_volume("data", "alpha-scribe-data")],
        )

    def build(self) -> None:
        config = {"SCAN_LIMIT": "10", "SCAN_MIN_SCORE": "0.5", "SCAN_PROFILE": "content"}
        ConfigMap(self, "config", ConfigMapSpec(name="alpha-scribe-config", labels=APP, data=config))
        PersistentVolumeClaim(self, "data", PersistentVolumeClaimSpec.model_validate({
            "name": "alpha-scribe-data", "labels": APP,
            "annotations": {"kustomize.toolkit.fluxcd.io/prune": "disabled"},
            "accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": "1Gi"}},
            "storageClassName": "nfs-csi-v2", "volumeMode": "Filesystem",
            "volumeName": "pvc-0207b23c-3b0d-4c59-a098-2a8d316bdf81"}))
        signals = _wait_for("check-signals-service", "check-signals.sh")
        for name, schedule, score, profile in (("afternoon", "0 19 * * 1-5", "0.55", "momentum"),
                                               ("morning", "15 14 * * 1-5", "0.6", "content"),
                                               ("premarket", "30 13 * * 1-5", "0.5", "content")):
            args = ["scan", "--limit=10", f"--min-score={score}", f"--profile={profile}"]
            self.job(name, schedule, "scanner", args, SIGNALS, signals)
        self.job("evaluate", "30 21 * * 1-5", "evaluator", ["evaluate"], DATA, None,
                 extra={"signal-type": "evaluation"}, active_deadline=600)
        self.job("news", "0 12,16,21 * * 1-5", "news-scanner", NEWS_ARGS,
                 {"QUANTUM_TRADES_URL": "http://backend-service:8000", **SIGNALS, **AGENTS},
                 _wait_for("check-backend-service", "check-backend.sh", AGENTS), time_zone="America/New_York")
        ExternalSecret(self, "secrets", ExternalSecretSpec.model_validate({
            "name": "alpha-scribe-secrets", "labels": APP, "refreshInterval": "1h",
            "secretStoreRef": {"kind": "SecretStore", "name": "aws-secrets-store"},
            "data": [{"remoteRef": remote(ref), "secretKey": key} for key, ref in SECRETS.items()],
            "target": {"creationPolicy": "Owner", "deletionPolicy": "Retain", "name": "alpha-scribe-secrets",
                       "template": {"engineVersion": "v2", "mergePolicy": "Replace", "type": "Opaque"}}}))
