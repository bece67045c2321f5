"""voice-ingest: uploads voice recordings, transcribes them (WhisperX), summarizes them (Ollama)
and writes the result as a note into the Obsidian vault.

A stdlib-only Python server (`server.py` from a ConfigMap, on python:3.14-slim) exposed on
NodePort 30080 (HTTP 8080, bearer-token API). Keeps uploads, processed files and state on
three NFS claims. Reads its API token (`voice-ingest/credentials`) and the Obsidian REST
API (`obsidian/api`) from AWS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import config_key, config_volume, env, http_probe, mount, pvc_volume, resources, secret_key
from fako.patterns.aws import AwsSecretStore
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import obsidian_api
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {"app": "voice-ingest"}
CONFIG, SCRIPT, OBSIDIAN = "voice-ingest-config", "voice-ingest-server-script", "obsidian-credentials"
VOLUMES = {"uploads": ("voice-uploads-pvc", "50Gi"), "processed": ("voice-processed-pvc", "50Gi"),
           "state": ("voice-state-pvc", "1Gi")}
"""Pod volume (mounted at /data/<name>) → (claim, size)."""


class VoiceIngest(AppConstruct):
    """One server pod; everything labelled `app: voice-ingest`."""

    name = "voice-ingest"

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        store = AwsSecretStore(self)
        ConfigMap(self, "config", ConfigMapSpec(name=CONFIG, data={"obsidian_folder": "Voice-Journals",
                                                                   "ollama_model": "llama3.2:3b"}))
        ConfigMap(self, "script", ConfigMapSpec(name=SCRIPT, data={"server.py": read_file(__file__, "server.py")}))
        service(self, "voice-ingest", labels=LABELS, selector=LABELS, ports=[port("http", 8080)])
        service(self, "voice-ingest-nodeport", labels=LABELS, selector=LABELS, type="NodePort",
                ports=[port("http", 8080, node_port=30080)])
        for pvc, size in VOLUMES.values():
            claim(self, pvc, size, labels=LABELS)
        deployment(
            self, "voice-ingest", labels=LABELS, selector=LABELS,
            volumes=[config_volume("server-script", SCRIPT),
                     *(pvc_volume(v, pvc) for v, (pvc, _) in VOLUMES.items())],
            containers=[k8s.Container(
                name="voice-ingest", image="python:3.14-slim", command=["python", "/app/server.py"],
                env=env({
                    "PORT": "8080", "WHISPERX_URL": "http://whisperx-api.whisperx.svc.cluster.local:8000",
                    "OLLAMA_URL": "http://ollama-gpu.ollama.svc.cluster.local:11434",
                    "OLLAMA_MODEL": config_key(CONFIG, "ollama_model"),
                    "OBSIDIAN_API_URL": secret_key(OBSIDIAN, "api_url", optional=True),
                    "OBSIDIAN_API_KEY": secret_key(OBSIDIAN, "api_key", optional=True),
                    "OBSIDIAN_FOLDER": config_key(CONFIG, "obsidian_folder"),
                    "API_TOKEN": secret_key("voice-ingest-credentials", "api_token"),
                    "UPLOAD_DIR": "/data/uploads", "PROCESSED_DIR": "/data/processed", "STATE_DIR": "/data/state"}),
                ports=[k8s.ContainerPort(container_port=8080, name="http")],
                liveness_probe=http_probe("/health", 8080, delay=10, period=30),
                readiness_probe=http_probe("/health", 8080, delay=5, period=10),
                resources=resources(cpu=("25m", "300m"), memory=("64Mi", "256Mi")),
                volume_mounts=[mount("server-script", "/app"), *(mount(v, f"/data/{v}") for v in VOLUMES)])])
        obsidian_api(store, "obsidian-credentials-secret", target=OBSIDIAN)
        store.secret("voice-ingest-credentials-secret", {"api_token": "voice-ingest/credentials#api_token"},
                     target="voice-ingest-credentials",
                     template={"data": {"api_token": "{{ .api_token }}"}, "engineVersion": "v2"})
