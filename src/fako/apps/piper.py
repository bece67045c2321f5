"""Piper: text-to-speech (rhasspy wyoming-piper, voice en_US-ryan-medium) for Home Assistant voice.

Exposed on NodePort 30200 (Wyoming TCP 10200); keeps voices on a 15Gi NFS claim, fetched
from Hugging Face by the `voice-init` init container; a busybox `voice-manager` sidecar
logs what is present. Scales 1-6 on CPU/memory (HPA). Reads only the Docker Hub pull
secret from AWS (SOPS `aws-credentials`).
"""

from __future__ import annotations

from typing import Any

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
ARGS = ["--voice", "en_US-ryan-medium", "--uri", f"tcp://0.0.0.0:{PORT}", "--data-dir", "/data", "--download-dir",
        "/data", "--update-voices", "--debug"]


def _busybox(name: str, cpu: tuple[str, str], memory: tuple[str, str], **fields: Any) -> k8s.Container:
    """A busybox helper on the voices volume; `fields` hold its command and args."""
    return k8s.Container(name=name, image="busybox:1.38.0", resources=resources(cpu=cpu, memory=memory),
                         volume_mounts=DATA, **fields)


def _utilization(resource: str, percent: int) -> k8s.MetricSpec:
    target = {"averageUtilization": percent, "type": "Utilization"}
    return k8s.MetricSpec.model_validate({"type": "Resource", "resource": {"name": resource, "target": target}})


class Piper(AppConstruct):
    """Wyoming Piper TTS, autoscaled."""

    name = "piper"

    def build(self) -> None:
        AppNamespace(self)
        store = AwsSecretStore(self)
        ConfigMap(self, "config", ConfigMapSpec(name="piper-configmap", data={"DEFAULT_VOICE": "en_US-ryan-medium"}))
        service(self, "piper", selector=LABELS, ports=[port(None, PORT)])
        service(self, "piper-nodeport", selector=LABELS, type="NodePort",
                ports=[port(None, PORT, protocol=None, node_port=30200)])
        claim(self, "piper-data", "15Gi", access="ReadWriteOnce")
        piper = k8s.Container(
            name="piper", image="rhasspy/wyoming-piper:2.2.2", args=ARGS, env=env({"OMP_NUM_THREADS": "4"}),
            ports=[k8s.ContainerPort(container_port=PORT, protocol="TCP")],
            liveness_probe=tcp_probe(PORT, delay=30, period=30), readiness_probe=tcp_probe(PORT, delay=10, period=10),
            startup_probe=tcp_probe(PORT, failures=30, delay=120, period=10),
            resources=resources(cpu=("500m", "4000m"), memory=("128Mi", "512Mi")), volume_mounts=DATA)
        deployment(
            self, "piper", selector=LABELS,
            containers=[piper, _busybox("voice-manager", ("10m", "50m"), ("32Mi", "64Mi"), command=["/bin/sh"],
                                        args=["-c", read_file(__file__, "voice-manager.sh")])],
            init_containers=[_busybox("voice-init", ("50m", "100m"), ("64Mi", "128Mi"), command=["/bin/sh", "-c"],
                                      args=[read_file(__file__, "voice-init.sh")])],
            security_context=k8s.PodSecurityContext(fs_group=1000, run_as_group=1000, run_as_non_root=True,
                                                    run_as_user=1000),
            volumes=[pvc_volume("piper-data", "piper-data")])
        scale = {"scaleDown": {"stabilizationWindowSeconds": 300}, "scaleUp": {"stabilizationWindowSeconds": 30}}
        HorizontalPodAutoscaler(self, "hpa", HorizontalPodAutoscalerSpec(
            name="piper-hpa", min_replicas=1, max_replicas=6,
            scale_target_ref=k8s.CrossVersionObjectReference(api_version="apps/v1", kind="Deployment", name="piper"),
            metrics=[_utilization("cpu", 60), _utilization("memory", 65)],
            behavior=k8s.HorizontalPodAutoscalerBehavior.model_validate(scale)))
        dockerhub_pull_secret(store)
