"""WhisperX: speech-to-text API (faster-whisper + alignment) on the GPU node.

Exposed at whisperx.landryzetam.net through traefik; keeps models, inputs and outputs on
three NFS claims; reads its Hugging Face token and the Docker Hub pull secret from AWS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, http_probe, mount, pull_secrets, pvc_volume, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.nodepools import NVIDIA
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {"app": "whisperx-api"}
VOLUMES = (("models-cache", "whisperx-models", "/app/models"), ("data", "whisperx-data", "/app/data"),
           ("output", "whisperx-output", "/app/output"))
"""(pod volume, claim, mount path)."""


class Whisperx(AppConstruct):
    """WhisperX API: one GPU pod, Recreate (the GPU and RWX volumes are not shared)."""

    name = "whisperx"

    def build(self) -> None:
        AppNamespace(self)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        service(self, "whisperx-api", labels=LABELS, selector=LABELS, ports=[port("http", 8000)])
        for volume, size in (("data", "10Gi"), ("models", "20Gi"), ("output", "10Gi")):
            claim(self, f"whisperx-{volume}", size)
        gpu = NVIDIA.request(1)
        deployment(
            self, "whisperx-api", labels=LABELS, selector=LABELS, strategy="Recreate", **gpu.pod_fields(),
            image_pull_secrets=pull_secrets("dockerhub-registry"), volumes=[pvc_volume(v, c) for v, c, _ in VOLUMES],
            containers=[k8s.Container(
                name="whisperx-api", image="lzetam/whisperx:latest", args=["api"],
                env=env({"WHISPER_MODEL": "distil-medium.en", "COMPUTE_TYPE": "float32", "BATCH_SIZE": "4",
                         "DEVICE": "cuda", "PRELOAD_MODEL": "false",
                         "HF_TOKEN": secret_key("huggingface-token", "token"), "HF_HOME": "/app/models"}),
                ports=[k8s.ContainerPort(container_port=8000, name="http")],
                liveness_probe=http_probe("/health", 8000, delay=60, period=30, timeout=10),
                readiness_probe=http_probe("/health", 8000, delay=30, period=10, timeout=5),
                resources=resources(requests={"cpu": "500m", "memory": "2Gi"}, limits=gpu.limits(memory="12Gi")),
                volume_mounts=[mount(v, path) for v, _, path in VOLUMES])])
        dockerhub_pull_secret(store)
        store.secret("huggingface-token-secret", {"token": "huggingface/token#HF_TOKEN"}, target="huggingface-token")
        timeout = {"traefik.ingress.kubernetes.io/router.middlewares": "default-timeout-middleware@kubernetescrd"}
        ingress(self, "whisperx-api", hosts=["whisperx.landryzetam.net"], service="whisperx-api", port=8000,
                tls_secret="whisperx-tls-cert", annotations=timeout)
