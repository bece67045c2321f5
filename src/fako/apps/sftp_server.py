"""sftp-server: OpenSSH SFTP endpoint the n8n audio workflows use to fetch and drop files.

ClusterIP only (`sftp-server:22`); serves the UniFi journal recordings read-only (static
volume `unifi-journals-pv`, made outside this app) and two 100Gi NFS claims for compressed
audio and transcripts; host keys persist on a 100Mi claim. The login comes from AWS
(`sftp-server/credentials`); the Docker Hub pull secret is kept but unused.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import read_file
from fako.constructs.pods import env, mount, pvc_volume, resources, secret_key, tcp_probe
from fako.patterns.aws import AwsSecretStore
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {"app": "sftp-server"}
USER_HOME = "/home/n8nuser"


class SftpServer(AppConstruct):
    """One atmoz/sftp pod whose start script creates the user and sshd config."""

    name = "sftp-server"

    def build(self) -> None:
        AppNamespace(self, labels={"name": self.ns})
        store = AwsSecretStore(self)
        service(self, "sftp-server", labels=LABELS, selector=LABELS, ports=[port("ssh", 22)])
        claim(self, "audio-compressed-pvc", "100Gi", labels={**LABELS, "purpose": "audio-compression"})
        claim(self, "audio-transcript-pvc", "100Gi", labels={**LABELS, "purpose": "audio-transcripts"})
        claim(self, "sftp-host-keys", "100Mi", access="ReadWriteOnce", labels=LABELS)
        claim(self, "unifi-journals", "500Gi", access="ReadOnlyMany", storage_class="", labels=LABELS,
              volume_name="unifi-journals-pv")
        volumes = {"unifi-audio": "unifi-journals", "compressed-audio": "audio-compressed-pvc",
                   "transcript-audio": "audio-transcript-pvc", "host-keys": "sftp-host-keys"}
        deployment(
            self, "sftp-server", selector=LABELS, labels=LABELS, security_context={"fsGroup": 1001},
            containers=[k8s.Container(
                name="sftp", image="atmoz/sftp:alpine", command=["/bin/sh", "-c", read_file(__file__, "start.sh")],
                env=env({"SFTP_USERS": secret_key("sftp-credentials", "username"),
                         "SFTP_PASSWORD": secret_key("sftp-credentials", "password")}),
                liveness_probe=tcp_probe(22, failures=3, delay=30, period=10, timeout=5),
                readiness_probe=tcp_probe(22, failures=3, delay=10, period=5, timeout=3),
                ports=[k8s.ContainerPort(container_port=22, name="ssh", protocol="TCP")],
                resources=resources(cpu=("25m", "200m"), memory=("64Mi", "128Mi")),
                volume_mounts=[mount("unifi-audio", f"{USER_HOME}/audio", read_only=True),
                               mount("compressed-audio", f"{USER_HOME}/compressed", read_only=False),
                               mount("transcript-audio", f"{USER_HOME}/transcript", read_only=False),
                               mount("host-keys", "/etc/ssh/keys")])],
            volumes=[pvc_volume(n, c) for n, c in volumes.items()],
        )
        dockerhub_pull_secret(store)
        store.secret(
            "sftp-credentials-secret",
            {"username": "sftp-server/credentials#username", "password": "sftp-server/credentials#password"},
            target="sftp-credentials", refresh=None,
            template={"data": {"password": "{{ .password }}", "username": "{{ .username }}"}, "engineVersion": "v2"})
