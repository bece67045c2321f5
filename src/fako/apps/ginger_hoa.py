"""Ginger HOA: an AI assistant API for the Ginger Lake Estates homeowners' association.

Public at ginger.lztechnology.io through its own Cloudflare tunnel (SOPS credentials);
answers with Ollama Cloud (`gpt-oss:120b`), keeps its data in Supabase and traces to the
in-cluster Langfuse. Stateless pod (read-only root, /tmp on emptyDir); reads the Ollama,
Supabase, admin and Langfuse keys from AWS into `ginger-hoa-secrets`.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import empty_dir, env, http_probe, mount, pull_secrets, resources, secret_key
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import RESTRICTED_CONTAINER
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

NAME = {"app.kubernetes.io/name": "ginger-hoa"}
PART = {**NAME, "app.kubernetes.io/part-of": "ginger-hoa"}
POD = {"app.kubernetes.io/component": "api", **PART}
FLUX = {"app.kubernetes.io/managed-by": "flux", "app.kubernetes.io/part-of": "ginger-hoa"}
SECRETS = {  # ginger-hoa-secrets: key -> AWS secret#property
    "api_key": "ginger-hoa/ollama#api_key", "supabase_url": "ginger-hoa/supabase#url",
    "supabase_service_key": "ginger-hoa/supabase#service_key", "admin_password": "ginger-hoa/admin#password",
    "langfuse_public_key": "langfuse/agent-keys#public_key", "langfuse_secret_key": "langfuse/agent-keys#secret_key",
}


def _secret(key: str) -> k8s.EnvVarSource:
    return secret_key("ginger-hoa-secrets", key)


class GingerHoa(AppConstruct):
    """The API Deployment, its Service, the tunnel and the AWS secrets."""

    name = "ginger-hoa"

    def build(self) -> None:
        AppNamespace(self, pss=None, labels=FLUX)
        store = AwsSecretStore(self)
        dockerhub_pull_secret(store)
        store.secret("ginger-hoa-secrets", SECRETS)
        route = ("ginger.lztechnology.io", "http://ginger-hoa:8000")
        CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="6e410aba-cf7c-4fc8-beb1-ec74c942f18f", routes=(route,),
                                                    indent=2, replicas=1, deployment_labels={"app": "cloudflared"}))
        service(self, "ginger-hoa", labels=PART, selector=NAME, type=None, ports=[port("http", 8000, "http", None)])
        api = k8s.Container(
            name="api", image="lzetam/ginger-hoa:latest", image_pull_policy="Always",
            env=env({
                "OLLAMA_BASE_URL": "https://ollama.com", "OLLAMA_MODEL": "gpt-oss:120b",
                "OLLAMA_API_KEY": _secret("api_key"), "SUPABASE_URL": _secret("supabase_url"),
                "SUPABASE_SERVICE_KEY": _secret("supabase_service_key"), "ADMIN_PASSWORD": _secret("admin_password"),
                "LANGFUSE_HOST": "http://langfuse-web.langfuse.svc.cluster.local:3000",
                "LANGFUSE_PUBLIC_KEY": _secret("langfuse_public_key"),
                "LANGFUSE_SECRET_KEY": _secret("langfuse_secret_key"), "VISIT_SALT": "ginger-lake-estates-2026",
            }),
            ports=[k8s.ContainerPort(container_port=8000, name="http")],
            liveness_probe=http_probe("/health", "http", delay=15, period=15),
            readiness_probe=http_probe("/ready", "http", delay=5, period=10),
            resources=resources(cpu=("100m", "1"), memory=("256Mi", "512Mi")),
            security_context=RESTRICTED_CONTAINER, volume_mounts=[mount("tmp", "/tmp")])
        deployment(self, "ginger-hoa", labels={**POD, **FLUX}, selector=NAME, pod_labels=POD, containers=[api],
                   image_pull_secrets=pull_secrets("dockerhub-registry"),
                   security_context=k8s.PodSecurityContext(run_as_non_root=True, run_as_user=1000),
                   volumes=[empty_dir("tmp")])
