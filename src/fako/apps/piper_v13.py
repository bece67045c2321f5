"""Piper v1.3: the linuxserver.io Piper TTS image (voice en_US-ryan-high), pinned to aitower.

Exposed on NodePort 30201 (Wyoming TCP 10200; the ClusterIP Service listens on 10201);
keeps its config and voices on a 5Gi NFS claim. No secrets. aitower has left the cluster, so
this app is switched off but modelled.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, mount, pvc_volume, resources, tcp_probe
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

PORT = 10200
LABELS = {"app": "piper-v13", "version": "1.3.0"}


class PiperV13(AppConstruct):
    """One Piper pod on aitower; every object carries the app+version labels."""

    name = "piper-v13"

    def build(self) -> None:
        AppNamespace(self, pss=None, labels=LABELS)
        service(self, "piper-v13", labels=LABELS, selector=LABELS, ports=[port("wyoming", 10201, PORT)])
        service(self, "piper-v13-nodeport", labels=LABELS, selector=LABELS, type="NodePort",
                ports=[port(None, PORT, protocol=None, node_port=30201)])
        claim(self, "piper-v13-data", "5Gi", access="ReadWriteOnce", labels=LABELS)
        piper = k8s.Container(
            name="piper", image="lscr.io/linuxserver/piper:2.2.2-ls109",
            env=env({"PUID": "1000", "PGID": "1000", "TZ": "America/New_York", "PIPER_VOICE": "en_US-ryan-high",
                     "PIPER_LENGTH": "1.0", "PIPER_NOISE": "0.667", "PIPER_NOISEW": "0.333", "PIPER_SPEAKER": "0",
                     "PIPER_PROCS": "4", "STREAMING": "true"}),
            ports=[k8s.ContainerPort(container_port=PORT, protocol="TCP")],
            liveness_probe=tcp_probe(PORT, delay=60, period=30, timeout=10),
            readiness_probe=tcp_probe(PORT, delay=30, period=10, timeout=5),
            startup_probe=tcp_probe(PORT, failures=30, delay=120, period=10),
            resources=resources(cpu=("500m", "1000m"), memory=("1Gi", "2Gi")),
            volume_mounts=[mount("piper-v13-data", "/config")])
        deployment(self, "piper-v13", labels=LABELS, selector=LABELS, containers=[piper],
                   node_selector={"kubernetes.io/hostname": "aitower"},
                   security_context=k8s.PodSecurityContext(fs_group=1000),
                   volumes=[pvc_volume("piper-v13-data", "piper-v13-data")])
