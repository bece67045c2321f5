"""Langfuse: LLM tracing and evaluation, installed from the upstream Helm chart (1.x).

Exposed at langfuse.fako.landryzetam.net through traefik (`langfuse-web:3000`); keeps
traces in the chart's ClickHouse, Redis and MinIO (S3) on NFS, pinned to thinkpad02,
and its main data in the `langfuse` database of the shared CloudNative-PG cluster.
Reads its credentials (`langfuse/credentials`, `langfuse/minio`) and the Docker Hub pull
secret from AWS; the store's `aws-credentials` Secret was made by hand.
"""

from __future__ import annotations

from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.helm import HelmApp, HelmAppSpec, values_file
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

HOST = "langfuse.fako.landryzetam.net"
CREDENTIALS = ("database_url", "nextauth_secret", "salt", "encryption_key", "postgres_password", "clickhouse_password")


class Langfuse(AppConstruct):
    """The Langfuse chart (values in `files/langfuse/values.yaml`) plus its secrets and Ingress."""

    name = "langfuse"
    databases = ("langfuse",)
    external = (("Secret", "aws-credentials"),)

    def build(self) -> None:
        AppNamespace(self, labels={"app.kubernetes.io/name": "langfuse"})
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store", credentials="external"))
        dockerhub_pull_secret(store)
        store.secret("langfuse-s3", {k: f"langfuse/minio#{k}" for k in ("root-user", "root-password")})
        store.secret("langfuse-secrets", {k: f"langfuse/credentials#{k}" for k in CREDENTIALS})
        HelmApp(self, HelmAppSpec(
            name="langfuse", chart="langfuse", url="https://langfuse.github.io/langfuse-k8s",
            # renovate: datasource=helm depName=langfuse registryUrl=https://langfuse.github.io/langfuse-k8s
            version="1.x", crds=None, timeout="15m", values=values_file(__file__)))
        ingress(self, "langfuse", hosts=[HOST], service="langfuse-web", port=3000, tls_secret="langfuse-tls-cert",
                issuer="letsencrypt-dns01", labels={"app.kubernetes.io/name": "langfuse"},
                annotations={"traefik.ingress.kubernetes.io/router.entrypoints": "web,websecure"})
