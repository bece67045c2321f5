"""Umami: privacy-friendly web analytics for the blog.

Exposed at umami.landryzetam.net through traefik (cert from the non-existent issuer
`letsencrypt-prod`, as in git) and routed by the blog's tunnel; stores everything in the
`umami` database of the shared CloudNative-PG cluster, created by a one-shot init Job
(TTL 300 s, so Flux re-runs it). Reads the app-user and superuser passwords
(`postgres/*`) and its app secret (`umami/app-secret`) from AWS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import read_file
from fako.constructs.jobs import Job, JobSpec
from fako.constructs.pods import env, http_probe, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import PG_ADMIN, PG_APP_USER
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {"app.kubernetes.io/component": "analytics", "app.kubernetes.io/instance": "production",
          "app.kubernetes.io/name": "umami", "app.kubernetes.io/part-of": "blog"}
SELECTOR = {"app": "umami"}
DB_URL = "postgresql://app:{{ .password }}@postgres-cluster-rw.postgres.svc.cluster.local:5432/umami"


class Umami(AppConstruct):
    """Umami server (one pod) plus the database init Job; every object carries the blog labels."""

    name = "umami"

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store", labels=LABELS))
        service(self, "umami", labels=LABELS, selector=SELECTOR, ports=[port(None, 3000)])
        deployment(self, "umami", selector=SELECTOR, labels=LABELS, containers=[k8s.Container(
            name="umami", image="ghcr.io/umami-software/umami:3.3.0",
            env=env({"DATABASE_URL": secret_key("umami-database-url", "url"), "DISABLE_TELEMETRY": "1",
                     "APP_SECRET": secret_key("umami-app-secret", "app-secret")}),
            liveness_probe=http_probe("/api/heartbeat", 3000, failures=3, delay=30, period=10, timeout=5),
            readiness_probe=http_probe("/api/heartbeat", 3000, failures=3, delay=10, period=5, timeout=3),
            ports=[k8s.ContainerPort(container_port=3000, protocol="TCP")],
            resources=resources(cpu=("50m", "300m"), memory=("128Mi", "256Mi")))])
        Job(self, "database-init", JobSpec(
            name="umami-database-init", labels=LABELS, ttl_seconds_after_finished=300,
            template=k8s.PodTemplateSpec(spec=k8s.PodSpec(restart_policy="OnFailure", containers=[k8s.Container(
                name="create-database", image="postgres:16-alpine",
                command=["/bin/sh", "-c", read_file(__file__, "create-database.sh")],
                env=env({"POSTGRES_PASSWORD": secret_key("postgres-superuser-secret", "password")}))]))))
        store.secret("postgres-credentials-external-secret", {"password": f"{PG_APP_USER}#password"},
                        labels=LABELS, target="umami-database-url",
                        template={"data": {"url": DB_URL}, "type": "Opaque"})
        store.secret("postgres-superuser-external-secret", {"password": f"{PG_ADMIN}#password"},
                        labels=LABELS, target="postgres-superuser-secret")
        store.secret("umami-app-secret-external", {"app-secret": "umami/app-secret#secret"},
                        labels=LABELS, target="umami-app-secret")
        ingress(self, "umami", hosts=["umami.landryzetam.net"], service="umami", port=3000, tls_secret="umami-tls",
                issuer="letsencrypt-prod", labels=LABELS)
