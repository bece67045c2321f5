"""audio-workflows: the nightly Argo pipeline that turns voice recordings into Obsidian notes.

A CronWorkflow (03:00 America/Chicago) runs the `audio-processing-pipeline` DAG: download new
.m4a files from the sftp-server app, transcribe them with WhisperX (`lzetam/audio-transcriber`),
then publish raw transcripts, summaries and a daily diary entry to the Obsidian vault (Python
scripts from ConfigMaps). Not exposed. Stores audio (50Gi) and transcripts (10Gi) on NFS;
reads `sftp-server/credentials`, `gpustack/summarizer`, `/fako/audio-workflows/diary-prompt`,
`obsidian/api` and Docker Hub credentials from AWS (SOPS `aws-credentials`); the legacy Job
builds the `dockerhub-registry` pull secret. The runner may list PVCs/pods in `sftp-server`.
A PrometheusRule alerts on long-running, failed or missing runs.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.argo import CronWorkflow, CronWorkflowSpec, WorkflowTemplate, WorkflowTemplateSpec
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.monitoring import PrometheusRule, PrometheusRuleSpec
from fako.constructs.pods import env, resources, secret_key
from fako.patterns.aws import AwsSecretStore
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule, service_account
from fako.patterns.shared_secrets import obsidian_api
from fako.patterns.storage import claim
from fako.tree import AppConstruct

NS, RUNNER = "audio-workflows", "audio-workflow-runner"
PYTHON_IMAGE = "python:3.14-slim"
TRANSCRIBER_IMAGE = "lzetam/audio-transcriber:latest"
EnvMap = dict[str, str | k8s.EnvVarSource]
COMMON = {"LOG_LEVEL": "INFO", "MAX_RETRIES": "3", "RETRY_DELAY": "10", "STATE_DIR": "/data/state",
          "INPUT_DIR": "/data/transcriptions"}
CONFIGS: dict[str, dict[str, str]] = {  # ConfigMaps read with envFrom by the step of the same name
    "audio-transcriber-config": {
        "AUDIO_EXTENSIONS": ".m4a", "BATCH_SIZE": "0", "CONCURRENT_CHUNKS": "8", "INPUT_DIR": "/data/audio",
        "LOG_LEVEL": "INFO", "MAX_FILE_SIZE_MB": "10000", "MAX_RETRIES": "3", "OUTPUT_DIR": "/data/transcriptions",
        "OUTPUT_FORMAT": "json", "RETRY_DELAY": "10", "SKIP_PROCESSED": "true", "WHISPER_LANGUAGE": "auto",
        "WHISPER_MODEL": "Systran/faster-distil-whisper-large-v3", "WHISPER_TIMEOUT": "7200",
    },
    "daily-diary-config": {**COMMON, "MAX_TRANSCRIPT_CHARS": "15000", "OBSIDIAN_FOLDER": "Landry/daily-life",
                           "SKIP_PROCESSED": "false", "USE_TIMESTAMP_FILTER": "true"},
    "transcript-publisher-config": {**COMMON, "FILE_PREFIX": "Transcript", "OBSIDIAN_FOLDER": "transcripts/argo/raw",
                                    "SKIP_PROCESSED": "true", "USE_TIMESTAMP_FILTER": "false"},
    "transcript-summarizer-config": {
        **COMMON, "OBSIDIAN_FOLDER": "transcripts/argo/summary", "SKIP_PROCESSED": "false",
        "SUMMARIZER_API_KEY": "not-required", "SUMMARIZER_MODEL": "qwen3:8b",
        "SUMMARIZER_BASE_URL": "http://ollama-gpu.ollama.svc.cluster.local:11434/v1", "USE_TIMESTAMP_FILTER": "true",
        "SUMMARY_PROMPT": read_file(__file__, "summary-prompt.txt"),
    },
}
OBSIDIAN: EnvMap = {"OBSIDIAN_API_URL": secret_key("obsidian-api", "api_url"),
                    "OBSIDIAN_API_KEY": secret_key("obsidian-api", "api_key")}
SUMMARIZER: EnvMap = {f"SUMMARIZER_{k.upper()}": secret_key("summarizer-credentials", f"summarizer_{k}")
                      for k in ("base_url", "api_key", "model")}
START = {"WORKFLOW_START_TIME": "{{workflow.creationTimestamp}}"}
SCRIPTS = (  # python steps: (template, script, ConfigMap volume, cpu, memory, env beyond the Obsidian key)
    ("transcript-publisher", "publisher.py", "publisher-script", ("50m", "200m"), ("128Mi", "256Mi"),
     {"USE_TIMESTAMP_FILTER": "false"}),
    ("transcript-summarizer", "summarizer.py", "summarizer-script", ("100m", "500m"), ("256Mi", "1Gi"),
     {**SUMMARIZER, "USE_TIMESTAMP_FILTER": "true", **START}),
    ("daily-diary", "daily-diary.py", "diary-script", ("50m", "200m"), ("128Mi", "512Mi"),
     {**SUMMARIZER, "DIARY_PROMPT": secret_key("diary-prompt", "DIARY_PROMPT"), "USE_TIMESTAMP_FILTER": "true",
      **START}),
)
TASKS = (("publish", "transcript-publisher"), ("summarize", "transcript-summarizer"), ("diary", "daily-diary"))
SEL = f'namespace="{NS}"'  # PromQL matcher of this namespace's Argo metrics
OK = f'argo_workflow_count{{{SEL}, status="Succeeded"}}'
WORKFLOW = "Workflow {{ $labels.workflow }}"
ALERTS = (  # (alert, summary, description, expr, for, severity)
    ("AudioWorkflowRunningTooLong", "Audio workflow running too long",
     f"{WORKFLOW} has been running for more than 2 hours",
     f'sum by (workflow) (\n  argo_workflow_status_phase{{{SEL}, phase="Running"}} == 1\n) > 0\n'
     f"and\ntime() - argo_workflow_start_time{{{SEL}}} > 7200\n", "5m", "warning"),
    ("AudioWorkflowFailed", "Audio workflow failed", f"{WORKFLOW} has failed",
     f'sum by (workflow) (\n  increase(argo_workflow_count{{{SEL}, status="Failed"}}[15m])\n) > 0\n', "1m", "critical"),
    ("AudioWorkflowNotRunning", "No successful audio workflows in 36 hours",
     "The nightly audio processing workflow may not be running",
     f"sum(increase({OK}[36h])) == 0\nor absent({OK})\n", "5m", "warning"),
    ("AudioWorkflowStepFailures", "Multiple workflow step failures",
     f"{WORKFLOW} has had multiple step failures in the last hour",
     f'sum by (workflow) (\n  increase(argo_workflows_pods_count{{{SEL}, phase="Failed"}}[1h])\n) > 3\n',
     "5m", "warning"),
)
SLO = {
    "audio_workflow:success_rate:ratio_1d":
        f"sum(increase({OK}[1d]))\n/\nsum(increase(argo_workflow_count{{{SEL}}}[1d]))\n",
    "audio_workflow:duration:avg_1d": f'avg(argo_workflow_duration_seconds{{{SEL}, status="Succeeded"}})\n',
}


def _step(name: str, image: str, command: list[str], variables: EnvMap, cpu: tuple[str, str], memory: tuple[str, str],
          mounts: list[dict[str, Any]], backoff: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """One container template of the DAG, retried 3 times with exponential `backoff`."""
    container = {"command": command, "env": [v.model_dump(by_alias=True, exclude_none=True) for v in env(variables)],
                 "image": image, "resources": resources(cpu=cpu, memory=memory).model_dump(exclude_none=True),
                 "volumeMounts": mounts, **extra}
    return {"container": container, "name": name, "retryStrategy": {"backoff": backoff, "limit": 3}}


class AudioWorkflows(AppConstruct):
    """Argo CronWorkflow + WorkflowTemplate, their configs, RBAC, secrets and alerts."""

    name = NS

    def build(self) -> None:
        AppNamespace(self)
        store = AwsSecretStore(self)
        argo = ["workflows", "workflowtemplates", "cronworkflows", "workflowtaskresults"]
        service_account(self, RUNNER, [
            rule("", ["pods", "pods/log"], ["get", "list", "watch", "create", "delete"]),
            rule("", ["secrets"], ["get"]),
            rule("argoproj.io", argo, ["get", "list", "create", "update", "patch", "delete", "watch"]),
        ])
        LegacyPullSecret(self, sops=False)
        # the runner may list the sftp-server app's PVCs and pods
        access, sftp = "audio-workflow-pvc-access", "sftp-server"
        rules = [rule("", ["persistentvolumeclaims"], ["get", "list"]), rule("", ["pods"], ["get", "list"])]
        grant(self, account=RUNNER, role=access, rules=rules, cluster=False, make_account=False, namespace=sftp)
        for name, data in CONFIGS.items():
            ConfigMap(self, name, ConfigMapSpec(name=name, data=data))
        for name, script, *_ in sorted(SCRIPTS, key=lambda row: row[0]):  # script ConfigMaps, by name
            data = {script: read_file(__file__, script)}
            ConfigMap(self, f"{name}-script", ConfigMapSpec(name=f"{name}-script", data=data))
        claim(self, "audio-raw", "50Gi")
        claim(self, "transcriptions", "10Gi")
        self._workflows()
        store.secret("diary-prompt-secret", {"DIARY_PROMPT": "/fako/audio-workflows/diary-prompt#prompt"},
                     target="diary-prompt")
        dockerhub_pull_secret(store, "dockerhub-credentials-secret", target="dockerhub-credentials", style="plain")
        obsidian_api(store)
        for name, key, props in (("sftp-credentials", "sftp-server/credentials", ("username", "password")),
                                 ("summarizer-credentials", "gpustack/summarizer",
                                  ("summarizer_base_url", "summarizer_api_key", "summarizer_model"))):
            store.secret(f"{name}-secret", {k: f"{key}#{k}" for k in props}, target=name,
                         template={"data": {k: f"{{{{ .{k} }}}}" for k in props}, "engineVersion": "v2"})
        PrometheusRule(self, "alerts", PrometheusRuleSpec.model_validate({
            "name": "audio-workflow-alerts", "labels": {"release": "kube-prometheus-stack"},
            "groups": [
                {"name": "audio-workflow.rules", "rules": [
                    {"alert": a, "annotations": {"description": d, "summary": s}, "expr": e, "for": f,
                     "labels": {"severity": sev}} for a, s, d, e, f, sev in ALERTS]},
                {"name": "audio-workflow.slo", "rules": [{"expr": e, "record": r} for r, e in SLO.items()]},
            ],
        }))

    def _workflows(self) -> None:
        """The DAG template (download → transcribe → publish/summarize/diary) and its nightly CronWorkflow."""
        tasks: list[dict[str, Any]] = [
            {"name": "download", "template": "sftp-downloader"},
            {"continueOn": {"failed": True}, "dependencies": ["download"], "name": "transcribe",
             "template": "audio-transcriber"},
            *({"dependencies": ["transcribe"], "name": n, "template": t} for n, t in TASKS),
        ]
        transcripts_ro = {"mountPath": "/data/transcriptions", "name": "transcriptions", "readOnly": True}
        templates = [
            {"dag": {"tasks": tasks}, "name": "audio-pipeline"},
            _step("sftp-downloader", PYTHON_IMAGE, ["python", "-u", "-c", read_file(__file__, "sftp-downloader.py")], {
                "SFTP_HOST": "sftp-server.sftp-server.svc.cluster.local", "SFTP_PORT": "22",
                "SFTP_REMOTE_PATH": "audio/Voice Recordings",
                "SFTP_USERNAME": secret_key("sftp-credentials", "username"),
                "SFTP_PASSWORD": secret_key("sftp-credentials", "password"), "OUTPUT_DIR": "/data",
            }, ("100m", "500m"), ("256Mi", "512Mi"), [{"mountPath": "/data", "name": "audio-raw"}],
                {"duration": "1m", "factor": 2, "maxDuration": "10m"}),
            _step("audio-transcriber", TRANSCRIBER_IMAGE, ["python", "-m", "src.main"], {
                "WHISPER_API_TYPE": "whisperx",
                "WHISPER_BASE_URL": "http://whisperx-api.whisperx.svc.cluster.local:8000",
                "WHISPER_API_KEY": "not-required", "WHISPERX_ALIGN": "true", "WHISPERX_DIARIZE": "true",
                "WHISPERX_MIN_SPEAKERS": "2",
            }, ("100m", "500m"), ("256Mi", "1Gi"), [
                {"mountPath": "/data/audio", "name": "audio-raw", "readOnly": True},
                {"mountPath": "/data/transcriptions", "name": "transcriptions"},
            ], {"duration": "2m", "factor": 2, "maxDuration": "45m"},
                envFrom=[{"configMapRef": {"name": "audio-transcriber-config"}}], imagePullPolicy="Always"),
            *(_step(name, PYTHON_IMAGE, ["python", f"/scripts/{script}"], {**OBSIDIAN, **variables}, cpu, memory,
                    [{"mountPath": "/scripts", "name": volume}, transcripts_ro], {"duration": "30s", "factor": 2},
                    envFrom=[{"configMapRef": {"name": f"{name}-config"}}])
              for name, script, volume, cpu, memory, variables in SCRIPTS),
        ]
        volumes = [{"name": n, "persistentVolumeClaim": {"claimName": n}} for n in ("audio-raw", "transcriptions")]
        volumes += [{"configMap": {"name": f"{name}-script"}, "name": volume} for name, _, volume, *_ in SCRIPTS]
        WorkflowTemplate(self, "pipeline", WorkflowTemplateSpec.model_validate({
            "name": "audio-processing-pipeline", "activeDeadlineSeconds": 172800, "entrypoint": "audio-pipeline",
            "imagePullSecrets": [{"name": "dockerhub-registry"}], "serviceAccountName": RUNNER,
            "templates": templates, "ttlStrategy": {"secondsAfterCompletion": 86400}, "volumes": volumes,
        }))
        CronWorkflow(self, "nightly", CronWorkflowSpec.model_validate({
            "name": "nightly-audio-processing", "concurrencyPolicy": "Forbid", "failedJobsHistoryLimit": 3,
            "schedule": "0 3 * * *", "startingDeadlineSeconds": 600, "successfulJobsHistoryLimit": 7,
            "timezone": "America/Chicago",
            "workflowSpec": {"workflowTemplateRef": {"name": "audio-processing-pipeline"}},
        }))
