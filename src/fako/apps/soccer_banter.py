"""Soccer Banter: an AI football-chat API (match data from Sportmonks, LLM on Ollama Cloud).

Public at banter.landryzetam.net through its own Cloudflare tunnel (SOPS credentials).
Keeps its state on a 1Gi claim of the default class (local-path), so it runs Recreate;
reads the Sportmonks token and the Ollama key from AWS into `soccer-banter-secrets`.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import empty_dir, env, env_from, http_probe, mount, pull_secrets, pvc_volume, resources
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import RESTRICTED_CONTAINER
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

NAME = {"app.kubernetes.io/name": "soccer-banter"}
PART = {**NAME, "app.kubernetes.io/part-of": "soccer-banter"}
POD = {"app.kubernetes.io/component": "api", **PART}
FLUX = {"app.kubernetes.io/managed-by": "flux", "app.kubernetes.io/part-of": "soccer-banter"}
ROUTE = ("banter.landryzetam.net", "http://soccer-banter.soccer-banter.svc.cluster.local:80")


class SoccerBanter(AppConstruct):
    """The API Deployment on its data claim, its Service, the tunnel and the AWS secrets."""

    name = "soccer-banter"

    def build(self) -> None:
        AppNamespace(self, pss=None, labels=FLUX)
        store = AwsSecretStore(self)
        dockerhub_pull_secret(store)
        keys = {"SPORTMONKS_API_TOKEN": "sportmonks/api#api_key", "OLLAMA_API_KEY": "soccer-banter/ollama#api_key"}
        store.secret("soccer-banter-secrets", keys)
        CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="0811b53c-83d5-411c-981c-7dcbc39c4025", routes=(ROUTE,),
                                                    indent=2, replicas=1, deployment_labels={"app": "cloudflared"}))
        service(self, "soccer-banter", labels=PART, selector=NAME, type=None, ports=[port("http", 80, "http", None)])
        claim(self, "soccer-banter-data", "1Gi", storage_class=None, access="ReadWriteOnce")
        api = k8s.Container(
            name="api", image="lzetam/soccer-banter:20260619a",
            env=env({"OLLAMA_BASE_URL": "https://ollama.com", "OLLAMA_MODEL": "gpt-oss:120b", "DATA_DIR": "/app/data",
                     "ORCHESTRATOR_ENABLED": "true", "OLLAMA_MAX_CONCURRENCY": "4"}),
            env_from=env_from("soccer-banter-secrets"),
            ports=[k8s.ContainerPort(container_port=8000, name="http")],
            liveness_probe=http_probe("/health", "http", delay=15, period=15),
            readiness_probe=http_probe("/ready", "http", delay=5, period=10),
            resources=resources(cpu=("100m", "1"), memory=("256Mi", "512Mi")), security_context=RESTRICTED_CONTAINER,
            volume_mounts=[mount("data", "/app/data"), mount("tmp", "/tmp")])
        deployment(self, "soccer-banter", labels={**POD, **FLUX}, selector=NAME, pod_labels=POD, strategy="Recreate",
                   containers=[api], image_pull_secrets=pull_secrets("dockerhub-registry"),
                   security_context=k8s.PodSecurityContext(fs_group=1000, run_as_non_root=True, run_as_user=1000),
                   volumes=[pvc_volume("data", "soccer-banter-data"), empty_dir("tmp")])
