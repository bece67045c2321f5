"""Open WebUI: the "aiwithlandry" chat front end (`open-webui/open-webui`) at ai.lztechnology.io.

Exposed through a traefik Ingress (TLS secret `open-webui-tls-secret`, committed with
SOPS) and its own Cloudflare tunnel (SOPS credentials). Talks to Ollama Cloud and to
GPUStack's OpenAI API; keeps its sqlite database on a 5Gi NFS claim. Reads the GPUStack
URL and key and the Ollama Cloud key from AWS, and `webui-secret` from SOPS.
`webui()` and `gpustack_secrets()` are shared with the older copy, ollama-webui.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import env_from, http_probe, mount, pvc_volume, resources
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.aws import AwsSecretStore
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

HOST = "ai.lztechnology.io"
SETTINGS = read_file(__file__, "settings.env")
API_KEY = "{{ .apiKey }}"


def env_file(text: str) -> dict[str, str]:
    """`KEY=value` lines (a `settings.env` file) as ConfigMap data, in order."""
    return {k: v for k, _, v in (line.partition("=") for line in text.splitlines())}


def gpustack_secrets(store: AwsSecretStore) -> None:
    """The GPUStack base URL (`ollama-endpoints`) and API key (`gpustack-credentials`) as env Secrets."""
    url = "{{ .gpustack_base_url }}"
    store.secret("endpoints-secret", {"gpustack_base_url": "ollama-webui/endpoints#gpustack_base_url"},
                 target="ollama-endpoints",
                 template={"data": {"OPENAI_API_BASE_URL": url, "OPENAI_API_BASE_URLS": url}, "type": "Opaque"})
    store.secret("gpustack-api-secret", {"apiKey": "gpustack/api-key#OPENAI_API_KEYS"}, target="gpustack-credentials",
                 template={"data": {"OPENAI_API_KEY": API_KEY, "OPENAI_API_KEYS": API_KEY}, "type": "Opaque"})


def webui(app: AppConstruct, settings: str, secrets: list[k8s.EnvFromSource], tls_secret: str,
          env: list[k8s.EnvVar] | None = None) -> None:
    """Settings ConfigMap (`settings`: the text of a `settings.env`), Service, 5Gi data claim,
    the UI Deployment (uid 1000, data at /app/backend/data) and its Ingress, all named after `app`."""
    name, labels = app.name, {"app": app.name}
    ConfigMap(app, "settings", ConfigMapSpec(name=f"{name}-configmap", data=env_file(settings)))
    service(app, name, selector=labels, ports=[port(None, 8080)])
    claim(app, f"{name}-data", "5Gi", access="ReadWriteOnce")
    ui = k8s.Container(
        name=name, image="ghcr.io/open-webui/open-webui:0.8.6", env=env,
        env_from=env_from(config_maps=[f"{name}-configmap"]) + secrets,
        ports=[k8s.ContainerPort(container_port=8080, protocol="TCP")],
        liveness_probe=http_probe("/", 8080, delay=30, period=30, timeout=10),
        readiness_probe=http_probe("/", 8080, delay=15, period=10, timeout=5),
        startup_probe=http_probe("/", 8080, failures=12, delay=15, period=5, timeout=3),
        resources=resources(cpu=("200m", "1000m"), memory=("768Mi", "2Gi")),
        volume_mounts=[mount("webui-data", "/app/backend/data")])
    deployment(app, name, selector=labels, containers=[ui], volumes=[pvc_volume("webui-data", f"{name}-data")],
               security_context=k8s.PodSecurityContext(fs_group=1000, run_as_group=1000, run_as_non_root=True,
                                                       run_as_user=1000))
    ingress(app, name, hosts=[HOST], service=name, port=8080, tls_secret=tls_secret)


class OpenWebui(AppConstruct):
    """The web UI on its data claim, with Ingress, tunnel and secrets."""

    name = "open-webui"

    def build(self) -> None:
        AppNamespace(self)
        for secret in ("open-webui-tls-secret", "webui-secret"):
            SopsSecret(self, secret, SopsSecretSpec(name=secret))
        store = AwsSecretStore(self)
        dockerhub_pull_secret(store)
        gpustack_secrets(store)
        store.secret("ollama-cloud-api-secret", {"apiKey": "ollama-webui/ollama-cloud-api-key#api_key"},
                     target="ollama-cloud-credentials",
                     template={"data": {"OLLAMA_API_KEY": API_KEY}, "type": "Opaque"})
        route = (HOST, "http://open-webui.open-webui.svc.cluster.local:8080")
        CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="open-webui-tunnel", routes=(route,), style="docs"))
        secrets = env_from("gpustack-credentials") + env_from(
            "ollama-endpoints", "webui-secret", "ollama-cloud-credentials", optional=True)
        webui(self, SETTINGS, secrets, "open-webui-tls-secret")
