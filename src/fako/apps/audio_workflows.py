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
from fako.constructs.rbac import Role, RoleBinding, RoleBindingSpec, RoleSpec
from fako.patterns.aws import AwsSecretStore
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.legacy_pull import LegacyPullSecret, service_account
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import obsidian_api
from fako.patterns.storage import claim
from fako.tree import AppConstruct

NS = "audio-workflows"
RUNNER = "audio-workflow-runner"
PYTHON = "python:3.14-slim"
COMMON = {
    "LOG_LEVEL": "INFO",
    "MAX_RETRIES": "3",
    "RETRY_DELAY": "10",
    "STATE_DIR": "/data/state",
    "INPUT_DIR": "/data/transcriptions",
}
OBSIDIAN = {
    "OBSIDIAN_API_URL": secret_key("obsidian-api", "api_url"),
    "OBSIDIAN_API_KEY": secret_key("obsidian-api", "api_key"),
}
SUMMARIZER = {
    f"SUMMARIZER_{k.upper()}": secret_key("summarizer-credentials", f"summarizer_{k}")
    for k in ("base_url", "api_key", "model")
}
START = {"WORKFLOW_START_TIME": "{{workflow.creationTimestamp}}"}
TRANSCRIPTS_RO = {"mountPath": "/data/transcriptions", "name": "transcriptions", "readOnly": True}


def _rule(verbs: list[str], resources_: list[str], group: str = "") -> k8s.PolicyRule:
    return k8s.PolicyRule(api_groups=[group], resources=resources_, verbs=verbs)


def _dump(values: list[k8s.EnvVar]) -> list[dict[str, Any]]:
    return [v.model_dump(by_alias=True, exclude_none=True) for v in values]


def _step(
    name: str,
    image: str,
    command: list[str],
    variables: dict[str, str | k8s.EnvVarSource],
    cpu: tuple[str, str],
    memory: tuple[str, str],
    mounts: list[dict[str, Any]],
    backoff: dict[str, Any],
    config: str | None = None,
    pull: str | None = None,
) -> dict[str, Any]:
    """One container template of the DAG, retried 3 times with exponential `backoff`."""
    container: dict[str, Any] = {
        "command": command,
        "env": _dump(env(variables)),
        "image": image,
        "resources": resources(
            requests={"cpu": cpu[0], "memory": memory[0]}, limits={"cpu": cpu[1], "memory": memory[1]}
        ).model_dump(exclude_none=True),
        "volumeMounts": mounts,
    }
    if config:
        container["envFrom"] = [{"configMapRef": {"name": config}}]
    if pull:
        container["imagePullPolicy"] = pull
    return {"container": container, "name": name, "retryStrategy": {"backoff": backoff, "limit": 3}}


def _script_step(
    name: str,
    script: str,
    volume: str,
    variables: dict[str, str | k8s.EnvVarSource],
    cpu: tuple[str, str],
    memory: tuple[str, str],
) -> dict[str, Any]:
    """A publisher/summarizer/diary step: `python /scripts/<script>` with its config and script ConfigMaps."""
    return _step(
        name,
        PYTHON,
        ["python", f"/scripts/{script}"],
        variables,
        cpu,
        memory,
        [{"mountPath": "/scripts", "name": volume}, TRANSCRIPTS_RO],
        {"duration": "30s", "factor": 2},
        config=f"{name}-config",
    )


class AudioWorkflows(AppConstruct):
    """Argo CronWorkflow + WorkflowTemplate, their configs, RBAC, secrets and alerts."""

    name = NS

    def build(self) -> None:
        AppNamespace(self)
        store = AwsSecretStore(self)
        service_account(
            self,
            RUNNER,
            [
                _rule(["get", "list", "watch", "create", "delete"], ["pods", "pods/log"]),
                _rule(["get"], ["secrets"]),
                _rule(
                    ["get", "list", "create", "update", "patch", "delete", "watch"],
                    ["workflows", "workflowtemplates", "cronworkflows", "workflowtaskresults"],
                    "argoproj.io",
                ),
            ],
        )
        LegacyPullSecret(self, sops=False)
        self._sftp_access()
        configs: dict[str, dict[str, str]] = {
            "audio-transcriber-config": {
                "AUDIO_EXTENSIONS": ".m4a",
                "BATCH_SIZE": "0",
                "CONCURRENT_CHUNKS": "8",
                "INPUT_DIR": "/data/audio",
                "LOG_LEVEL": "INFO",
                "MAX_FILE_SIZE_MB": "10000",
                "MAX_RETRIES": "3",
                "OUTPUT_DIR": "/data/transcriptions",
                "OUTPUT_FORMAT": "json",
                "RETRY_DELAY": "10",
                "SKIP_PROCESSED": "true",
                "WHISPER_LANGUAGE": "auto",
                "WHISPER_MODEL": "Systran/faster-distil-whisper-large-v3",
                "WHISPER_TIMEOUT": "7200",
            },
            "daily-diary-config": {
                **COMMON,
                "MAX_TRANSCRIPT_CHARS": "15000",
                "OBSIDIAN_FOLDER": "Landry/daily-life",
                "SKIP_PROCESSED": "false",
                "USE_TIMESTAMP_FILTER": "true",
            },
            "transcript-publisher-config": {
                **COMMON,
                "FILE_PREFIX": "Transcript",
                "OBSIDIAN_FOLDER": "transcripts/argo/raw",
                "SKIP_PROCESSED": "true",
                "USE_TIMESTAMP_FILTER": "false",
            },
            "transcript-summarizer-config": {
                **COMMON,
                "OBSIDIAN_FOLDER": "transcripts/argo/summary",
                "SKIP_PROCESSED": "false",
                "SUMMARIZER_API_KEY": "not-required",
                "SUMMARIZER_BASE_URL": "http://ollama-gpu.ollama.svc.cluster.local:11434/v1",
                "SUMMARIZER_MODEL": "qwen3:8b",
                "SUMMARY_PROMPT": read_file(__file__, "summary-prompt.txt"),
                "USE_TIMESTAMP_FILTER": "true",
            },
        }
        for name, data in configs.items():
            ConfigMap(self, name, ConfigMapSpec(name=name, data=data))
        for name, script in (
            ("daily-diary-script", "daily-diary.py"),
            ("transcript-publisher-script", "publisher.py"),
            ("transcript-summarizer-script", "summarizer.py"),
        ):
            ConfigMap(self, name, ConfigMapSpec(name=name, data={script: read_file(__file__, script)}))
        claim(self, "audio-raw", "50Gi")
        claim(self, "transcriptions", "10Gi")
        self._workflows()
        store.secret(
            "diary-prompt-secret", {"DIARY_PROMPT": "/fako/audio-workflows/diary-prompt#prompt"}, target="diary-prompt"
        )
        dockerhub_pull_secret(store, "dockerhub-credentials-secret", target="dockerhub-credentials", style="plain")
        obsidian_api(store)
        store.secret(
            "sftp-credentials-secret",
            {k: f"sftp-server/credentials#{k}" for k in ("username", "password")},
            target="sftp-credentials",
            template={"data": {"password": "{{ .password }}", "username": "{{ .username }}"}, "engineVersion": "v2"},
        )
        keys = ("summarizer_base_url", "summarizer_api_key", "summarizer_model")
        store.secret(
            "summarizer-credentials-secret",
            {k: f"gpustack/summarizer#{k}" for k in keys},
            target="summarizer-credentials",
            template={"data": {k: f"{{{{ .{k} }}}}" for k in sorted(keys)}, "engineVersion": "v2"},
        )
        self._alerts()

    def _sftp_access(self) -> None:
        """Role + RoleBinding in `sftp-server` letting the runner list its PVCs and pods."""
        name = "audio-workflow-pvc-access"
        Role(
            self,
            "pvc-access-role",
            RoleSpec(
                name=name,
                namespace="sftp-server",
                rules=[_rule(["get", "list"], ["persistentvolumeclaims"]), _rule(["get", "list"], ["pods"])],
            ),
        )
        RoleBinding(
            self,
            "pvc-access-binding",
            RoleBindingSpec(
                name=name,
                namespace="sftp-server",
                role_ref=k8s.RoleRef(api_group="rbac.authorization.k8s.io", kind="Role", name=name),
                subjects=[k8s.Subject(kind="ServiceAccount", name=RUNNER, namespace=NS)],
            ),
        )

    def _workflows(self) -> None:
        """The DAG template and the nightly CronWorkflow that runs it."""
        transcribe = "transcribe"
        tasks = [
            {"name": "download", "template": "sftp-downloader"},
            {
                "continueOn": {"failed": True},
                "dependencies": ["download"],
                "name": transcribe,
                "template": "audio-transcriber",
            },
        ]
        tasks += [
            {"dependencies": [transcribe], "name": n, "template": t}
            for n, t in (
                ("publish", "transcript-publisher"),
                ("summarize", "transcript-summarizer"),
                ("diary", "daily-diary"),
            )
        ]
        templates = [
            {"dag": {"tasks": tasks}, "name": "audio-pipeline"},
            _step(
                "sftp-downloader",
                PYTHON,
                ["python", "-u", "-c", read_file(__file__, "sftp-downloader.py")],
                {
                    "SFTP_HOST": "sftp-server.sftp-server.svc.cluster.local",
                    "SFTP_PORT": "22",
                    "SFTP_REMOTE_PATH": "audio/Voice Recordings",
                    "SFTP_USERNAME": secret_key("sftp-credentials", "username"),
                    "SFTP_PASSWORD": secret_key("sftp-credentials", "password"),
                    "OUTPUT_DIR": "/data",
                },
                ("100m", "500m"),
                ("256Mi", "512Mi"),
                [{"mountPath": "/data", "name": "audio-raw"}],
                {"duration": "1m", "factor": 2, "maxDuration": "10m"},
            ),
            _step(
                "audio-transcriber",
                "lzetam/audio-transcriber:latest",
                ["python", "-m", "src.main"],
                {
                    "WHISPER_API_TYPE": "whisperx",
                    "WHISPER_BASE_URL": "http://whisperx-api.whisperx.svc.cluster.local:8000",
                    "WHISPER_API_KEY": "not-required",
                    "WHISPERX_ALIGN": "true",
                    "WHISPERX_DIARIZE": "true",
                    "WHISPERX_MIN_SPEAKERS": "2",
                },
                ("100m", "500m"),
                ("256Mi", "1Gi"),
                [
                    {"mountPath": "/data/audio", "name": "audio-raw", "readOnly": True},
                    {"mountPath": "/data/transcriptions", "name": "transcriptions"},
                ],
                {"duration": "2m", "factor": 2, "maxDuration": "45m"},
                config="audio-transcriber-config",
                pull="Always",
            ),
            _script_step(
                "transcript-publisher",
                "publisher.py",
                "publisher-script",
                {**OBSIDIAN, "USE_TIMESTAMP_FILTER": "false"},
                ("50m", "200m"),
                ("128Mi", "256Mi"),
            ),
            _script_step(
                "transcript-summarizer",
                "summarizer.py",
                "summarizer-script",
                {**OBSIDIAN, **SUMMARIZER, "USE_TIMESTAMP_FILTER": "true", **START},
                ("100m", "500m"),
                ("256Mi", "1Gi"),
            ),
            _script_step(
                "daily-diary",
                "daily-diary.py",
                "diary-script",
                {
                    **OBSIDIAN,
                    **SUMMARIZER,
                    "DIARY_PROMPT": secret_key("diary-prompt", "DIARY_PROMPT"),
                    "USE_TIMESTAMP_FILTER": "true",
                    **START,
                },
                ("50m", "200m"),
                ("128Mi", "512Mi"),
            ),
        ]
        volumes = [{"name": n, "persistentVolumeClaim": {"claimName": n}} for n in ("audio-raw", "transcriptions")]
        volumes += [
            {"configMap": {"name": cm}, "name": v}
            for cm, v in (
                ("transcript-publisher-script", "publisher-script"),
                ("transcript-summarizer-script", "summarizer-script"),
                ("daily-diary-script", "diary-script"),
            )
        ]
        WorkflowTemplate(
            self,
            "pipeline",
            WorkflowTemplateSpec.model_validate(
                {
                    "name": "audio-processing-pipeline",
                    "activeDeadlineSeconds": 172800,
                    "entrypoint": "audio-pipeline",
                    "imagePullSecrets": [{"name": "dockerhub-registry"}],
                    "serviceAccountName": RUNNER,
                    "templates": templates,
                    "ttlStrategy": {"secondsAfterCompletion": 86400},
                    "volumes": volumes,
                }
            ),
        )
        CronWorkflow(
            self,
            "nightly",
            CronWorkflowSpec.model_validate(
                {
                    "name": "nightly-audio-processing",
                    "concurrencyPolicy": "Forbid",
                    "failedJobsHistoryLimit": 3,
                    "schedule": "0 3 * * *",
                    "startingDeadlineSeconds": 600,
                    "successfulJobsHistoryLimit": 7,
                    "timezone": "America/Chicago",
                    "workflowSpec": {"workflowTemplateRef": {"name": "audio-processing-pipeline"}},
                }
            ),
        )

    def _alerts(self) -> None:
        """Alerts on the Argo workflow metrics, plus two SLO recording rules."""
        ns = f'namespace="{NS}"'
        ok = f'argo_workflow_count{{{ns}, status="Succeeded"}}'

        def alert(name: str, summary: str, description: str, expr: str, for_: str, severity: str) -> dict[str, Any]:
            return {
                "alert": name,
                "annotations": {"description": description, "summary": summary},
                "expr": expr,
                "for": for_,
                "labels": {"severity": severity},
            }

        def by_workflow(inner: str, op: str) -> str:
            return f"sum by (workflow) (\n  {inner}\n) {op}\n"

        rules = [
            alert(
                "AudioWorkflowRunningTooLong",
                "Audio workflow running too long",
                "Workflow {{ $labels.workflow }} has been running for more than 2 hours",
                by_workflow(f'argo_workflow_status_phase{{{ns}, phase="Running"}} == 1', "> 0")
                + f"and\ntime() - argo_workflow_start_time{{{ns}}} > 7200\n",
                "5m",
                "warning",
            ),
            alert(
                "AudioWorkflowFailed",
                "Audio workflow failed",
                "Workflow {{ $labels.workflow }} has failed",
                by_workflow(f'increase(argo_workflow_count{{{ns}, status="Failed"}}[15m])', "> 0"),
                "1m",
                "critical",
            ),
            alert(
                "AudioWorkflowNotRunning",
                "No successful audio workflows in 36 hours",
                "The nightly audio processing workflow may not be running",
                f"sum(increase({ok}[36h])) == 0\nor absent({ok})\n",
                "5m",
                "warning",
            ),
            alert(
                "AudioWorkflowStepFailures",
                "Multiple workflow step failures",
                "Workflow {{ $labels.workflow }} has had multiple step failures in the last hour",
                by_workflow(f'increase(argo_workflows_pods_count{{{ns}, phase="Failed"}}[1h])', "> 3"),
                "5m",
                "warning",
            ),
        ]
        slo = [
            {
                "expr": f"sum(increase({ok}[1d]))\n/\nsum(increase(argo_workflow_count{{{ns}}}[1d]))\n",
                "record": "audio_workflow:success_rate:ratio_1d",
            },
            {
                "expr": f'avg(argo_workflow_duration_seconds{{{ns}, status="Succeeded"}})\n',
                "record": "audio_workflow:duration:avg_1d",
            },
        ]
        PrometheusRule(
            self,
            "alerts",
            PrometheusRuleSpec.model_validate(
                {
                    "name": "audio-workflow-alerts",
                    "labels": {"release": "kube-prometheus-stack"},
                    "groups": [
                        {"name": "audio-workflow.rules", "rules": rules},
                        {"name": "audio-workflow.slo", "rules": slo},
                    ],
                }
            ),
        )
