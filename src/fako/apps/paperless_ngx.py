"""Paperless-ngx: document archive with OCR.

Exposed at paperless.landryzetam.net through traefik; data, media and exports on NFS
claims, metadata in the `paperless` database of the shared CloudNative-PG_HOST cluster, task
queue in an in-namespace Redis. Documents arrive through an SMB share on the scanner Pi
(static PV `paperless-rpi-consume`, SOPS-encrypted in the owner's repository because its
`source` is secret). Reads its secret key, admin login, the app-user password and the
SMB login from AWS (`paperless-ngx/*`, `postgres/app-user`).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import read_file
from fako.constructs.pods import env, exec_probe, http_probe, mount, pull_secrets, pvc_volume, resources, secret_key
from fako.constructs.sops import SopsObject, SopsObjectSpec
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import PG_HOST, postgres_credentials
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

ROOT = "/usr/src/paperless"
CONSUME = "paperless-rpi-consume"
VOLUMES = {"data": "paperless-data", "media": "paperless-media", "consume": CONSUME, "export": "paperless-export"}
"""Pod volume `paperless-<key>` (mounted at ROOT/<key>) → claim; `consume` is the Pi's SMB share."""
APP = {k: secret_key("paperless-secrets", k.lower().replace("_", "-"))
       for k in ("SECRET_KEY", "ADMIN_USER", "ADMIN_PASSWORD")}
SETTINGS: dict[str, str | k8s.EnvVarSource] = {
    "REDIS": "redis://redis:6379", "DBENGINE": "postgresql", "DBHOST": PG_HOST,
    "DBPORT": "5432", "DBNAME": "paperless", "DBUSER": "app", "DBPASS": secret_key("app-user-secret", "password"),
    "SECRET_KEY": APP["SECRET_KEY"], "URL": "https://paperless.landryzetam.net", "TIME_ZONE": "America/New_York",
    "OCR_LANGUAGE": "eng", "ADMIN_USER": APP["ADMIN_USER"], "ADMIN_PASSWORD": APP["ADMIN_PASSWORD"],
    "DATA_DIR": f"{ROOT}/data", "MEDIA_ROOT": f"{ROOT}/media", "CONSUMPTION_DIR": f"{ROOT}/consume",
    "EXPORT_DIR": f"{ROOT}/export",
    "TASK_WORKERS": "2", "THREADS_PER_WORKER": "1", "WEBSERVER_WORKERS": "2",
    "CONSUMER_POLLING": "10", "CONSUMER_POLLING_DELAY": "15", "CONSUMER_POLLING_RETRY_COUNT": "10",
    "CONSUMER_INOTIFY_DELAY": "5",
    "FILENAME_FORMAT": "{{ created_year }}/{{ correspondent }}/{{ created }}_{{ title }}",
    "CONSUMER_RECURSIVE": "true", "CONSUMER_SUBDIRS_AS_TAGS": "true", "OCR_DESKEW": "true", "OCR_ROTATE_PAGES": "true"}
"""The `PAPERLESS_*` environment, in the cluster's order."""


class PaperlessNgx(AppConstruct):
    """Paperless web+workers in one pod (waits for the SMB mount first) and a Redis pod."""

    name = "paperless-ngx"
    databases = ("paperless",)

    def build(self) -> None:
        AppNamespace(self, labels={"name": self.ns})
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(keys="env"))
        service(self, "paperless-ngx", selector={"app": "paperless-ngx"}, ports=[port("http", 8000)])
        service(self, "redis", selector={"app": "redis"}, ports=[port("redis", 6379)])
        for name, size in (("consume", "10Gi"), ("data", "10Gi"), ("export", "10Gi"), ("media", "50Gi")):
            claim(self, f"paperless-{name}", size, access="ReadWriteMany" if name == "consume" else "ReadWriteOnce")
        # The SMB share (PV `source`) is private: the owner keeps the PV and its claim encrypted, one per SOPS file.
        for kind, suffix in (("PersistentVolume", "pv"), ("PersistentVolumeClaim", "pvc")):
            SopsObject(self, f"rpi-consume-{suffix}", SopsObjectSpec(
                name=CONSUME, kind=kind, api_version="v1", namespaced=suffix == "pvc",
                file=f"paperless-ngx/{CONSUME}-{suffix}.sops.yaml"))
        deployment(
            self, "paperless-ngx", selector={"app": "paperless-ngx"},
            image_pull_secrets=pull_secrets("dockerhub-registry"),
            security_context={"fsGroup": 1000, "runAsGroup": 1000, "runAsUser": 1000},
            volumes=[pvc_volume(f"paperless-{v}", c) for v, c in VOLUMES.items()],
            init_containers=[k8s.Container(
                name="wait-for-smb-mount", image="busybox:1.37", volume_mounts=[mount("paperless-consume", "/consume")],
                command=["/bin/sh", "-c", read_file(__file__, "wait-for-smb-mount.sh")])],
            containers=[k8s.Container(
                name="paperless-ngx", image="ghcr.io/paperless-ngx/paperless-ngx:2.20.15",
                env=env({f"PAPERLESS_{k}": v for k, v in SETTINGS.items()}),
                ports=[k8s.ContainerPort(container_port=8000, protocol="TCP")],
                liveness_probe=http_probe("/", 8000, delay=60, period=30, timeout=10, failures=5),
                readiness_probe=http_probe("/", 8000, delay=30, period=10, timeout=5, failures=3),
                resources=resources(cpu=("100m", "2000m"), memory=("256Mi", "2Gi")),
                volume_mounts=[mount(f"paperless-{v}", f"{ROOT}/{v}") for v in VOLUMES])])
        deployment(self, "redis", selector={"app": "redis"}, containers=[k8s.Container(
            name="redis", image="redis:7-alpine", ports=[k8s.ContainerPort(container_port=6379, protocol="TCP")],
            liveness_probe=exec_probe(["redis-cli", "ping"], delay=10, period=10),
            readiness_probe=exec_probe(["redis-cli", "ping"], delay=5, period=5),
            resources=resources(cpu=("50m", "200m"), memory=("64Mi", "256Mi")))])
        store.secret("paperless-secrets-external-secret", target="paperless-secrets",
                     data={k: f"paperless-ngx/secrets#{k}" for k in ("secret-key", "admin-user", "admin-password")})
        postgres_credentials(store, "postgres-credentials-external-secret", target="app-user-secret", basic_auth=True)
        store.secret("smb-credentials", {k: f"paperless-ngx/smb-credentials#{k}" for k in ("username", "password")})
        ingress(self, "paperless-ngx", hosts=["paperless.landryzetam.net"], service="paperless-ngx", port=8000,
                tls_secret="paperless-tls-cert", issuer="letsencrypt-dns01")
