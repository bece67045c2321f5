"""openWakeWord: wake-word detection ("hey jarvis") over the Wyoming protocol, for Home Assistant voice.

Exposed on NodePort 30400 (Wyoming TCP 10400) and in-cluster at openwakeword:10400; keeps
its models on a 5Gi nfs-csi-v2 claim. No secrets. Switched off (the blackbox probe
`openwakeword-tcp-probe` in monitoring still targets it).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import env, mount, pvc_volume, resources, tcp_probe
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

PORT = 10400
URI = f"tcp://0.0.0.0:{PORT}"
LABELS = {"app": "openwakeword"}
CONFIG = {"CHUNK_SIZE": "640", "SAMPLE_RATE": "16000", "WAKE_WORDS": "hey_jarvis", "WYOMING_URI": URI}
"""`openwakeword-configmap`: kept as the cluster has it; the pod does not read it."""


class Openwakeword(AppConstruct):
    """Two CPU pods preloading `hey_jarvis`, a ClusterIP and a NodePort Service."""

    name = "openwakeword"

    def build(self) -> None:
        AppNamespace(self)
        ConfigMap(self, "config", ConfigMapSpec(name="openwakeword-configmap", data=CONFIG))
        service(self, "openwakeword", selector=LABELS, ports=[port("wyoming", PORT)])
        service(self, "openwakeword-nodeport", selector=LABELS, type="NodePort",
                ports=[port(None, PORT, protocol=None, node_port=30400)])
        claim(self, "openwakeword-models", "5Gi", access="ReadWriteOnce")
        deployment(
            self, "openwakeword", selector=LABELS, replicas=2,
            security_context=k8s.PodSecurityContext(fs_group=1000, run_as_group=1000, run_as_non_root=True,
                                                    run_as_user=1000),
            volumes=[pvc_volume("openwakeword-models", "openwakeword-models")],
            containers=[k8s.Container(
                name="openwakeword", image="rhasspy/wyoming-openwakeword:2.1.0",
                args=["--uri", URI, "--preload-model", "hey_jarvis"], env=env({"WYOMING_OPENWAKEWORD_URI": URI}),
                ports=[k8s.ContainerPort(container_port=PORT, protocol="TCP")],
                startup_probe=tcp_probe(PORT, delay=5, period=5, timeout=3, failures=8),
                liveness_probe=tcp_probe(PORT, delay=30, period=20, timeout=5, failures=3),
                readiness_probe=tcp_probe(PORT, delay=10, period=5, timeout=3, failures=2),
                resources=resources(cpu=("50m", "500m"), memory=("128Mi", "512Mi")),
                volume_mounts=[mount("openwakeword-models", "/data")])])
