"""Whisper (CPU): speech-to-text on CPU with speaches (faster-whisper, int8), an OpenAI-style API.

Exposed on NodePort 30801 (HTTP 8000) and in-cluster at whisper-cpu:8000. Four replicas
share one 10Gi nfs-csi-v2 claim holding the Hugging Face model cache, filled by the
`model-downloader` init container (faster-distil-whisper-large-v3). Switched off. Its
SOPS `dockerhub-credentials` is committed but nothing reads it.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import env, http_probe, mount, pvc_volume, resources
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, rolling, service
from fako.tree import AppConstruct

SPEACHES_IMAGE = "ghcr.io/speaches-ai/speaches@sha256:21e3df06d842fb7802ab470dd77c25f0e8c0d22950e8d8c6ae886e851af53ef8"
LABELS = {"app": "whisper-cpu"}
HF_HOME = "/home/ubuntu/.cache/huggingface"
MODELS = [mount("whisper-models", f"{HF_HOME}/hub")]


class WhisperCpu(AppConstruct):
    """Four CPU pods (one replaced at a time) on the shared model claim, a ClusterIP and a NodePort Service."""

    name = "whisper-cpu"

    def build(self) -> None:
        AppNamespace(self)
        SopsSecret(self, "dockerhub-credentials", SopsSecretSpec(name="dockerhub-credentials"))
        ConfigMap(self, "config", ConfigMapSpec(name="whisper-cpu-configmap", data={"PLACEHOLDER": "unused"}))
        service(self, "whisper-cpu", selector=LABELS, ports=[port("http", 8000)])
        service(self, "whisper-cpu-nodeport", selector=LABELS, type="NodePort",
                ports=[port("http", 8000, node_port=30801)])
        claim(self, "whisper-cpu-models", "10Gi", access="ReadWriteOnce")
        whisper = k8s.Container(
            name="whisper", image=SPEACHES_IMAGE, volume_mounts=MODELS,
            env=env({"WHISPER__INFERENCE_DEVICE": "cpu", "WHISPER__COMPUTE_TYPE": "int8", "HF_HOME": HF_HOME,
                     "STT_MODEL_TTL": "600"}),
            ports=[k8s.ContainerPort(container_port=8000, protocol="TCP")],
            liveness_probe=http_probe("/health", 8000, delay=60, period=30, timeout=10),
            readiness_probe=http_probe("/health", 8000, delay=30, period=10, timeout=5),
            resources=resources(cpu=("100m", "2000m"), memory=("256Mi", "2Gi")))
        downloader = k8s.Container(
            name="model-downloader", image=SPEACHES_IMAGE, volume_mounts=MODELS, env=env({"HF_HOME": HF_HOME}),
            command=["/bin/sh", "-c", read_file(__file__, "model-downloader.sh")],
            resources=resources(cpu=("100m", "500m"), memory=("256Mi", "1Gi")))
        deployment(self, "whisper-cpu", selector=LABELS, replicas=4, strategy=rolling(1, 1), containers=[whisper],
                   init_containers=[downloader], volumes=[pvc_volume("whisper-models", "whisper-cpu-models")],
                   security_context=k8s.PodSecurityContext(fs_group=1000, run_as_group=1000, run_as_user=1000))
