"""AI Mastery Path: the lztechnology.io learning site (Next.js, `lzetam/ai-mastery-path`).

Exposed at learn.lztechnology.io both through a traefik Ingress and its own Cloudflare
tunnel. Stateless (content and users in Supabase); reads Stripe and Supabase keys from
AWS. Pulls its image with both pull-secret generations: the legacy kubectl Job (SOPS
`dockerhub-credentials`) and an ExternalSecret that rewrites that same Secret from AWS.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, http_probe, pull_secrets, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

HOST, PULL = "learn.lztechnology.io", "dockerhub-registry"
LABELS = {"app.kubernetes.io/component": "web", "app.kubernetes.io/instance": "production",
          "app.kubernetes.io/name": "ai-mastery-path", "app.kubernetes.io/part-of": "lztechnology"}
SELECTOR = {"app.kubernetes.io/name": "ai-mastery-path"}
HEADERS = (
    "X-Frame-Options: DENY\nX-Content-Type-Options: nosniff\nX-XSS-Protection: 1; mode=block\n"
    "Strict-Transport-Security: max-age=31536000; includeSubDomains\n"
)
ENV: dict[str, str | k8s.EnvVarSource] = {
    "NODE_ENV": "production", "HOSTNAME": "0.0.0.0",
    "STRIPE_SECRET_KEY": secret_key("stripe-secrets", "secret_key"),
    "STRIPE_WEBHOOK_SECRET": secret_key("stripe-secrets", "webhook_secret"),
    "SUPABASE_SERVICE_ROLE_KEY": secret_key("supabase-secrets", "service_role_key"),
}
HARDENED = k8s.SecurityContext.model_validate({
    "allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": False,
    "runAsNonRoot": True, "runAsUser": 1001})


class AiMasteryPath(AppConstruct):
    """The web Deployment (2 replicas), its Service, Ingress, tunnel and secrets."""

    name = "ai-mastery-path"
    external = (("Secret", "dockerhub-registry"),)  # made at runtime by the legacy pull-secret Job

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        LegacyPullSecret(self, labels=LABELS)
        route = (HOST, "http://ai-mastery-path.ai-mastery-path.svc.cluster.local:80")
        CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="ai-mastery-path", routes=(route,), probes="readiness",
                                                    pull_secret=PULL))
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(labels=LABELS))
        dockerhub_pull_secret(store, "dockerhub-credentials-secret", target="dockerhub-credentials", style="plain",
                              labels=LABELS)
        stripe = {k: f"ai-mastery-path/stripe#{k}" for k in ("secret_key", "webhook_secret")}
        store.secret("stripe-secret", stripe, target="stripe-secrets", labels=LABELS)
        supabase = {"service_role_key": "ai-mastery-path/supabase#service_role_key"}
        store.secret("supabase-secret", supabase, target="supabase-secrets", labels=LABELS)
        service(self, "ai-mastery-path", labels=LABELS, selector=SELECTOR, ports=[port("http", 80, "http")])
        web = k8s.Container(
            name="web", image="lzetam/ai-mastery-path:latest", image_pull_policy="Always", env=env(ENV),
            ports=[k8s.ContainerPort(container_port=3000, name="http")],
            liveness_probe=http_probe("/", "http", failures=3, delay=15, period=10, timeout=5),
            readiness_probe=http_probe("/", "http", failures=3, delay=5, period=5, timeout=3),
            resources=resources(cpu=("50m", "300m"), memory=("128Mi", "256Mi")), security_context=HARDENED)
        surge = k8s.RollingUpdateDeployment(max_surge=1, max_unavailable=0)
        deployment(self, "ai-mastery-path", labels=LABELS, selector=SELECTOR, replicas=2, containers=[web],
                   strategy=k8s.DeploymentStrategy(type="RollingUpdate", rolling_update=surge),
                   image_pull_secrets=pull_secrets(PULL), restart_policy="Always",
                   security_context=k8s.PodSecurityContext(fs_group=1001))
        ingress(self, "ai-mastery-path", hosts=[HOST], service="ai-mastery-path", port=80, labels=LABELS,
                issuer="letsencrypt-prod", tls_secret="ai-mastery-path-tls", ingress_class=None,
                annotations={"kubernetes.io/ingress.class": "traefik",
                             "traefik.ingress.kubernetes.io/custom-response-headers": HEADERS})
