"""Kokoro: text-to-speech (Kokoro model) behind the Wyoming protocol, for Home Assistant voice.

Exposed on NodePort 30210 (Wyoming TCP 10210); keeps its models on a 5Gi NFS claim. No secrets.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, mount, pvc_volume, resources, tcp_probe
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

PORT = 10210
LABELS = {"app": "kokoro"}


class Kokoro(AppConstruct):
    """One CPU pod serving Wyoming TTS."""

    name = "kokoro"

    def build(self) -> None:
        AppNamespace(self, pss=None)
        service(self, "kokoro", selector=LABELS, ports=[port("wyoming", PORT)])
        service(self, "kokoro-nodeport", selector=LABELS, type="NodePort",
                ports=[port(None, PORT, protocol=None, node_port=30210)])
        claim(self, "kokoro-models", "5Gi", access="ReadWriteOnce")
        deployment(
            self, "kokoro", selector=LABELS, volumes=[pvc_volume("kokoro-models", "kokoro-models")],
            containers=[k8s.Container(
                name="kokoro", image="ghcr.io/relvacode/kokoro-wyoming:latest", env=env({"PYTHONUNBUFFERED": "1"}),
                ports=[k8s.ContainerPort(container_port=PORT, protocol="TCP")],
                liveness_probe=tcp_probe(PORT, delay=90, period=30, timeout=10),
                readiness_probe=tcp_probe(PORT, delay=45, period=10, timeout=5),
                resources=resources(cpu=("500m", "2000m"), memory=("1Gi", "3Gi")),
                volume_mounts=[mount("kokoro-models", "/data")])])
