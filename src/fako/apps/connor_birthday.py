"""Connor's birthday: a one-page static site for a 35th-birthday trip (nginx image on GHCR).

Public at 35th.connorzetam.net through its own Cloudflare tunnel (credentials from AWS
`connor-birthday/cloudflare-tunnel`), plus a plain-HTTP traefik Ingress on
connor-birthday.local. Stateless. A kubectl Job builds the GHCR and Docker Hub pull
secrets from two ExternalSecrets (`ghcr-credentials`, `dockerhub-credentials`).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import read_file
from fako.constructs.pods import http_probe, pull_secrets, resources
from fako.patterns.aws import AwsSecretStore
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import rule, script_job, service_account
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

APP = {"app": "connor-birthday"}
CREATOR = "registry-secret-creator"
SECRETS_RULE = rule("", ["secrets"], ["get", "create", "delete"])


class ConnorBirthday(AppConstruct):
    """nginx Deployment + Service + Ingress, tunnel, and the registry-secret Job."""

    name = "connor-birthday"
    external = (("Secret", "ghcr-registry"), ("Secret", "dockerhub-registry"))  # made by the Job

    def build(self) -> None:
        AppNamespace(self, pss=None, labels={"name": "connor-birthday"})
        store = AwsSecretStore(self)
        dockerhub_pull_secret(store, "dockerhub-credentials-secret", target="dockerhub-credentials", style="plain")
        ghcr = {k: f"connor-birthday/ghcr-credentials#{k}" for k in ("username", "password")}
        store.secret("ghcr-credentials-secret", ghcr, target="ghcr-credentials")
        service_account(self, CREATOR, [SECRETS_RULE])
        script_job(self, "create-registry-secrets", script=read_file(__file__, "create-registry-secrets.sh"),
                   image="bitnamilegacy/kubectl:1.33.4", account=CREATOR, container="create-secret", id="registry-job")
        CloudflareTunnel(self, CloudflareTunnelSpec(
            tunnel="connor-birthday", routes=(("35th.connorzetam.net", "http://connor-birthday:80"),), volumes="plain",
            credentials="aws"), store=store)
        service(self, "connor-birthday", selector=APP, ports=[port("http", 80, "http", None)])
        web = k8s.Container(
            name="nginx", image="ghcr.io/lyzetam/connor-birthday-trip:1.0.0", image_pull_policy="Always",
            ports=[k8s.ContainerPort(container_port=80, name="http")],
            liveness_probe=http_probe("/", "http", delay=10, period=10),
            readiness_probe=http_probe("/", "http", delay=5, period=5),
            resources=resources(cpu=("50m", "200m"), memory=("64Mi", "128Mi")))
        deployment(self, "connor-birthday", selector=APP, containers=[web],
                   image_pull_secrets=pull_secrets("ghcr-registry", "dockerhub-registry"))
        ingress(self, "connor-birthday", hosts=["connor-birthday.local"], service="connor-birthday", port=80,
                issuer=None)
