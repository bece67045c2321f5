"""WhisperX: speech-to-text API (faster-whisper + alignment) on the GPU node.

Exposed at whisperx.landryzetam.net through traefik; keeps models, inputs and outputs on
three NFS claims; reads its Hugging Face token and the Docker Hub pull secret from AWS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, http_probe, mount, pull_secrets, pvc_volume, resources, secret_key
from fako.constructs.service import Service, ServiceSpec
from fako.constructs.workloads import Deployment, DeploymentSpec
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.nodepools import NVIDIA
from fako.patterns.storage import claim
from fako.tree import AppConstruct

HOST = "whisperx.landryzetam.net"
LABELS = {"app": "whisperx-api"}


class Whisperx(AppConstruct):
    """WhisperX API: one GPU pod, Recreate (the GPU and RWX volumes are not shared)."""

    name = "whisperx"

    def build(self) -> None:
        AppNamespace(self)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        Service(
            self,
            "service",
            ServiceSpec(
                name="whisperx-api",
                labels=LABELS,
                selector=LABELS,
                type="ClusterIP",
                ports=[k8s.ServicePort(name="http", port=8000, protocol="TCP", target_port=8000)],
            ),
        )
        for volume, size in (("data", "10Gi"), ("models", "20Gi"), ("output", "10Gi")):
            claim(self, f"whisperx-{volume}", size)
        gpu = NVIDIA.request(1)
        Deployment(
            self,
            "api",
            DeploymentSpec(
                name="whisperx-api",
                labels=LABELS,
                replicas=1,
                selector=k8s.LabelSelector(match_labels=LABELS),
                strategy=k8s.DeploymentStrategy(type="Recreate"),
                template=k8s.PodTemplateSpec(
                    metadata=k8s.ObjectMeta(labels=LABELS),
                    spec=k8s.PodSpec(
                        containers=[
                            k8s.Container(
                                name="whisperx-api",
                                image="lzetam/whisperx:latest",
                                args=["api"],
                                env=env(
                                    {
                                        "WHISPER_MODEL": "distil-medium.en",
                                        "COMPUTE_TYPE": "float32",
                                        "BATCH_SIZE": "4",
                                        "DEVICE": "cuda",
                                        "PRELOAD_MODEL": "false",
                                        "HF_TOKEN": secret_key("huggingface-token", "token"),
                                        "HF_HOME": "/app/models",
                                    }
                                ),
                                ports=[k8s.ContainerPort(container_port=8000, name="http")],
                                liveness_probe=http_probe(
                                    "/health", 8000, initial_delay_seconds=60, period_seconds=30, timeout_seconds=10
                                ),
                                readiness_probe=http_probe(
                                    "/health", 8000, initial_delay_seconds=30, period_seconds=10, timeout_seconds=5
                                ),
                                resources=resources(
                                    requests={"cpu": "500m", "memory": "2Gi"}, limits=gpu.limits(memory="12Gi")
                                ),
                                volume_mounts=[
                                    mount("models-cache", "/app/models"),
                                    mount("data", "/app/data"),
                                    mount("output", "/app/output"),
                                ],
                            )
                        ],
                        image_pull_secrets=pull_secrets("dockerhub-registry"),
                        volumes=[
                            pvc_volume("models-cache", "whisperx-models"),
                            pvc_volume("data", "whisperx-data"),
                            pvc_volume("output", "whisperx-output"),
                        ],
                        **gpu.pod_fields(),
                    ),
                ),
            ),
        )
        dockerhub_pull_secret(store)
        store.secret("huggingface-token-secret", {"token": "huggingface/token#HF_TOKEN"}, target="huggingface-token")
        ingress(
            self,
            "whisperx-api",
            hosts=[HOST],
            service="whisperx-api",
            port=8000,
            tls_secret="whisperx-tls-cert",
            annotations={
                "traefik.ingress.kubernetes.io/router.middlewares": "default-timeout-middleware@kubernetescrd"
            },
        )
