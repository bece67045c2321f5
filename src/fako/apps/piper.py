"""Piper: text-to-speech (rhasspy wyoming-piper, voice en_US-ryan-medium) for Home Assistant voice.

Exposed on NodePort 30200 (Wyoming TCP 10200); keeps voices on a 15Gi NFS claim, fetched
from Hugging Face by the `voice-init` init container; a busybox `voice-manager` sidecar
logs what is present. Scales 1-6 on CPU/memory (HPA). Reads only the Docker Hub pull
secret from AWS (SOPS `aws-credentials`).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import env, mount, pvc_volume, resources, tcp_probe
from fako.constructs.scheduling import HorizontalPodAutoscaler, HorizontalPodAutoscalerSpec
from fako.patterns.aws import AwsSecretStore
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

PORT = 10200
LABELS = {"app": "piper"}
DATA = [mount("piper-data", "/data")]


def _busybox(
    name: str, script: str, command: list[str], args: list[str], cpu: tuple[str, str], memory: tuple[str, str]
) -> k8s.Container:
    """A busybox helper container running `script` with requests/limits (request, limit) pairs."""
    return k8s.Container(
        name=name,
        image="busybox:1.38.0",
        command=command,
        args=[*args, script],
        resources=resources(requests={"cpu": cpu[0], "memory": memory[0]}, limits={"cpu": cpu[1], "memory": memory[1]}),
        volume_mounts=DATA,
    )


def _utilization(resource: str, percent: int) -> k8s.MetricSpec:
    return k8s.MetricSpec.model_validate(
        {
            "type": "Resource",
            "resource": {"name": resource, "target": {"averageUtilization": percent, "type": "Utilization"}},
        }
    )


class Piper(AppConstruct):
    """Wyoming Piper TTS, autoscaled."""

    name = "piper"

    def build(self) -> None:
        AppNamespace(self)
        store = AwsSecretStore(self)
        ConfigMap(self, "config", ConfigMapSpec(name="piper-configmap", data={"DEFAULT_VOICE": "en_US-ryan-medium"}))
        service(self, "piper", id="service", selector=LABELS, ports=[port(None, PORT)])
        service(
            self,
            "piper-nodeport",
            selector=LABELS,
            type="NodePort",
            ports=[port(None, PORT, protocol=None, node_port=30200)],
        )
        claim(self, "piper-data", "15Gi", access="ReadWriteOnce")
        deployment(
            self,
            "piper",
            selector=LABELS,
            containers=[
                k8s.Container(
                    name="piper",
                    image="rhasspy/wyoming-piper:2.2.2",
                    args=[
                        "--voice",
                        "en_US-ryan-medium",
                        "--uri",
                        f"tcp://0.0.0.0:{PORT}",
                        "--data-dir",
                        "/data",
                        "--download-dir",
                        "/data",
                        "--update-voices",
                        "--debug",
                    ],
                    env=env({"OMP_NUM_THREADS": "4"}),
                    ports=[k8s.ContainerPort(container_port=PORT, protocol="TCP")],
                    liveness_probe=tcp_probe(PORT, initial_delay_seconds=30, period_seconds=30),
                    readiness_probe=tcp_probe(PORT, initial_delay_seconds=10, period_seconds=10),
                    startup_probe=tcp_probe(PORT, failure_threshold=30, initial_delay_seconds=120, period_seconds=10),
                    resources=resources(
                        requests={"cpu": "500m", "memory": "128Mi"}, limits={"cpu": "4000m", "memory": "512Mi"}
                    ),
                    volume_mounts=DATA,
                ),
                _busybox(
                    "voice-manager",
                    read_file(__file__, "voice-manager.sh"),
                    ["/bin/sh"],
                    ["-c"],
                    ("10m", "50m"),
                    ("32Mi", "64Mi"),
                ),
            ],
            init_containers=[
                _busybox(
                    "voice-init",
                    read_file(__file__, "voice-init.sh"),
                    ["/bin/sh", "-c"],
                    [],
                    ("50m", "100m"),
                    ("64Mi", "128Mi"),
                )
            ],
            security_context=k8s.PodSecurityContext(
                fs_group=1000, run_as_group=1000, run_as_non_root=True, run_as_user=1000
            ),
            volumes=[pvc_volume("piper-data", "piper-data")],
        )
        HorizontalPodAutoscaler(
            self,
            "hpa",
            HorizontalPodAutoscalerSpec(
                name="piper-hpa",
                min_replicas=1,
                max_replicas=6,
                scale_target_ref=k8s.CrossVersionObjectReference(
                    api_version="apps/v1", kind="Deployment", name="piper"
                ),
                metrics=[_utilization("cpu", 60), _utilization("memory", 65)],
                behavior=k8s.HorizontalPodAutoscalerBehavior.model_validate(
                    {"scaleDown": {"stabilizationWindowSeconds": 300}, "scaleUp": {"stabilizationWindowSeconds": 30}}
                ),
            ),
        )
        dockerhub_pull_secret(store)
