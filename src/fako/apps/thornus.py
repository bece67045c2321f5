"""Thornus: a SaaS platform (Next.js frontend + FastAPI backend) on Supabase.

Exposed at thornus.landryzetam.net through traefik (frontend at `/`, backend at `/api`,
`/docs`, `/webhooks`, `/health`, `/ready`); stores nothing in the cluster (data in
Supabase); calls ollama and n8n in-cluster. Its API keys (Supabase, Anthropic, Stripe,
Resend, Cloudflare, DigitalOcean, n8n) are in `thornus-secrets`, made by hand.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import config_key, env, http_probe, pull_secrets, resources, secret_key
from fako.patterns.ingress import LEGACY_TRAEFIK, ingress, path
from fako.patterns.namespace import AppNamespace
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

HOST = "thornus.landryzetam.net"
SECRETS = "thornus-secrets"
API = "thornus-backend-service"
CONFIG = {
    "ENVIRONMENT": "production", "LOG_LEVEL": "INFO",
    "CORS_ORIGINS": '["https://thornus.landryzetam.net","https://platform.thornus.io"]',
    "OLLAMA_BASE_URL": "http://ollama-service.ollama.svc.cluster.local:11434", "OLLAMA_MODEL": "llama3.2:3b",
    "N8N_API_URL": "http://n8n-service.n8n.svc.cluster.local:5678", "THORNUS_BASE_URL": f"https://{HOST}",
}
BACKEND_SECRETS = ("SUPABASE_URL", "SUPABASE_ANON_KEY", "SUPABASE_SERVICE_ROLE_KEY", "ANTHROPIC_API_KEY", "N8N_API_KEY",
                   "STRIPE_API_KEY", "STRIPE_WEBHOOK_SECRET", "RESEND_API_KEY", "CLOUDFLARE_API_TOKEN",
                   "DIGITALOCEAN_API_TOKEN")


def component(app: AppConstruct, name: str, port_: int, service_port: int, replicas: int,
              container: k8s.Container) -> None:
    """One tier: Deployment `thornus-<name>` + Service `thornus-<name>-service`."""
    labels = {"app": "thornus", "component": name}
    service(app, f"thornus-{name}-service", labels=labels, selector=labels, ports=[port("http", service_port, port_)])
    deployment(app, f"thornus-{name}", selector=labels, labels=labels, replicas=replicas, containers=[container],
               image_pull_secrets=pull_secrets("dockerhub-registry"), restart_policy="Always")


class Thornus(AppConstruct):
    """Backend (1 replica, config from the ConfigMap) and frontend (2 replicas) behind one Ingress."""

    name = "thornus"
    external = (("Secret", SECRETS),)

    def build(self) -> None:
        AppNamespace(self)
        ConfigMap(self, "config", ConfigMapSpec(name="thornus-config", labels={"app": "thornus"}, data=CONFIG))
        component(self, "backend", 8000, 8000, 1, k8s.Container(
            name="backend", image="lzetam/thornus-backend:latest", image_pull_policy="Always",
            env=env({**{k: config_key("thornus-config", k) for k in CONFIG},
                     **{k: secret_key(SECRETS, k) for k in BACKEND_SECRETS}, "HOST": "0.0.0.0", "PORT": "8000"}),
            liveness_probe=http_probe("/health", 8000, failures=3, period=30, timeout=15),
            readiness_probe=http_probe("/ready", 8000, failures=5, period=10, timeout=10),
            startup_probe=http_probe("/health", 8000, failures=18, delay=10, period=10, timeout=15),
            ports=[k8s.ContainerPort(container_port=8000, protocol="TCP")],
            resources=resources(cpu=("100m", "500m"), memory=("256Mi", "512Mi"))))
        component(self, "frontend", 3000, 80, 2, k8s.Container(
            name="frontend", image="lzetam/thornus-frontend:latest", image_pull_policy="Always",
            env=env({"NODE_ENV": "production", "NEXT_PUBLIC_API_URL": "", "INTERNAL_API_URL": f"http://{API}:8000",
                     "NEXT_PUBLIC_SUPABASE_URL": secret_key(SECRETS, "SUPABASE_URL"),
                     "NEXT_PUBLIC_SUPABASE_ANON_KEY": secret_key(SECRETS, "SUPABASE_ANON_KEY")}),
            liveness_probe=http_probe("/", 3000, failures=3, delay=15, period=30, timeout=5),
            readiness_probe=http_probe("/", 3000, failures=3, delay=10, period=10, timeout=3),
            ports=[k8s.ContainerPort(container_port=3000, protocol="TCP")],
            resources=resources(cpu=("50m", "300m"), memory=("128Mi", "256Mi"))))
        ingress(
            self, "thornus", hosts=[HOST], tls_secret="thornus-tls", issuer="letsencrypt-dns01", ingress_class=None,
            labels={"app": "thornus"},
            paths=[path("thornus-frontend-service", 80), path(API, 8000, "/api"), path(API, 8000, "/health", "Exact"),
                   path(API, 8000, "/ready", "Exact"), path(API, 8000, "/docs"), path(API, 8000, "/webhooks")],
            annotations=LEGACY_TRAEFIK)
