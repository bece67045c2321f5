"""Zeroed: a debt-payoff app (Next.js frontend + FastAPI backend) at zeroed.landryzetam.net.

Exposed through three traefik Ingresses on the same host: `/api` to the backend (prefix
stripped by the `strip-api-prefix` Middleware), `/health`, `/auth`, `/webhooks` straight
to the backend, and the UI paths to the frontend. Data lives in Supabase and payments go
through Method; the keys come from AWS (`zeroed/*`) into `zeroed-secrets`. Images are
pulled with the legacy kubectl pull-secret Job (SOPS `dockerhub-credentials`).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import config_key, env, http_probe, pull_secrets, resources, secret_key
from fako.constructs.traefik import Middleware, MiddlewareSpec
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.ingress import LEGACY_TRAEFIK, ingress, path
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

HOST = "zeroed.landryzetam.net"
SECRETS = {"supabase_url": "zeroed/supabase#url", "supabase_anon_key": "zeroed/supabase#anon_key",
           "supabase_service_role_key": "zeroed/supabase#service_role_key", "method_api_key": "zeroed/method#api_key"}
TEMPLATE = {  # zeroed-secrets key: AWS value
    "METHOD_API_KEY": "method_api_key", "NEXT_PUBLIC_SUPABASE_ANON_KEY": "supabase_anon_key",
    "NEXT_PUBLIC_SUPABASE_URL": "supabase_url", "SUPABASE_SERVICE_KEY": "supabase_service_role_key",
    "SUPABASE_URL": "supabase_url",
}
COMPONENT_IMAGES = {"backend": "lzetam/zeroed-backend:v1.0.5", "frontend": "lzetam/zeroed-frontend:v1.0.6"}
COMPONENTS = (  # (name, container port, Service port, uid, probe path, liveness/readiness delays, cpu limit)
    ("backend", 8000, 8000, 1000, "/health", (10, 5), "300m"),
    ("frontend", 3000, 80, 1001, "/", (15, 10), "200m"),
)
ENV: dict[str, dict[str, str | k8s.EnvVarSource]] = {
    "backend": {
        **{k: secret_key("zeroed-secrets", k) for k in ("SUPABASE_URL", "SUPABASE_SERVICE_KEY", "METHOD_API_KEY")},
        **{k: config_key("zeroed-config", k) for k in ("METHOD_ENVIRONMENT", "CORS_ORIGINS_STR")},
        "HOST": "0.0.0.0", "PORT": "8000",
    },
    "frontend": {
        "NODE_ENV": "production", "NEXT_PUBLIC_BASE_URL": f"https://{HOST}",
        "NEXT_PUBLIC_API_URL": f"https://{HOST}/api",
        **{k: secret_key("zeroed-secrets", k) for k in ("NEXT_PUBLIC_SUPABASE_URL", "NEXT_PUBLIC_SUPABASE_ANON_KEY")},
    },
}
INGRESSES = (  # (name, Service, port, paths, annotations)
    ("zeroed-api", "backend-service", 8000, ["/api"],
     {**LEGACY_TRAEFIK, "traefik.ingress.kubernetes.io/router.middlewares": "zeroed-strip-api-prefix@kubernetescrd"}),
    ("zeroed-backend-direct", "backend-service", 8000, ["/health", "/auth", "/webhooks"], LEGACY_TRAEFIK),
    ("zeroed-frontend", "frontend-service", 80, ["/", "/dashboard", "/auth/callback"], LEGACY_TRAEFIK),
)


class Zeroed(AppConstruct):
    """Backend and frontend (Service + Deployment each), three Ingresses, a Middleware, secrets."""

    name = "zeroed"
    external = (("Secret", "dockerhub-registry"),)  # made at runtime by the legacy pull-secret Job

    def build(self) -> None:
        AppNamespace(self, labels={"app": "zeroed"})
        LegacyPullSecret(self)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))
        template = {"data": {k: f"{{{{ .{v} }}}}" for k, v in TEMPLATE.items()}, "type": "Opaque"}
        store.secret("zeroed-external-secret", SECRETS, target="zeroed-secrets", template=template)
        ConfigMap(self, "config", ConfigMapSpec(name="zeroed-config", data={
            "CORS_ORIGINS_STR": f"https://{HOST},http://localhost:3000", "LOG_LEVEL": "info",
            "METHOD_ENVIRONMENT": "production"}))
        # Service `<name>-service` + Deployment `zeroed-<name>`, labelled app=zeroed, component=<name>
        for name, port_, svc_port, uid, probe, (live, ready), cpu in COMPONENTS:
            labels = {"app": "zeroed", "component": name}
            service(self, f"{name}-service", labels=labels, selector=labels, ports=[port("http", svc_port, port_)])
            container = k8s.Container(
                name=name, image=COMPONENT_IMAGES[name], image_pull_policy="Always", env=env(ENV[name]),
                ports=[k8s.ContainerPort(container_port=port_, protocol="TCP")],
                liveness_probe=http_probe(probe, port_, failures=3, delay=live, period=30, timeout=5),
                readiness_probe=http_probe(probe, port_, failures=3, delay=ready, period=10, timeout=3),
                resources=resources(cpu=("50m", cpu), memory=("128Mi", "256Mi")))
            deployment(self, f"zeroed-{name}", labels=labels, selector=labels, containers=[container],
                       image_pull_secrets=pull_secrets("dockerhub-registry"), restart_policy="Always",
                       security_context=k8s.PodSecurityContext(run_as_non_root=True, run_as_user=uid))
        Middleware(self, "strip-api-prefix", MiddlewareSpec.model_validate(
            {"name": "strip-api-prefix", "stripPrefix": {"prefixes": ["/api"]}}))
        for name, svc, svc_port, paths, notes in INGRESSES:
            ingress(self, name, hosts=[HOST], paths=[path(svc, svc_port, p) for p in paths], issuer="letsencrypt-dns01",
                    tls_secret="zeroed-tls", ingress_class=None, annotations=notes, labels={"app": "zeroed"})
