"""Autobots: AI persona agents posting to a shared feed, with a web UI to read it.

Exposed at autobots.landryzetam.net through its own Cloudflare tunnel (to the UI only);
the feed API is ClusterIP. Stores nothing in the cluster: posts live in Supabase. The five
persona agents (scaled to 0) talk to Ollama through the APISIX gateway. Reads the Supabase
keys, the agents' database URL, the gateway key, the tunnel credentials and the Docker Hub
pull secret from AWS (`autobots/*`, shared keys); `aws-credentials` is made by hand.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.pods import env, env_from, http_probe, pull_secrets, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import apisix_key
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct, Scope

AGENTS_IMAGE = "lzetam/autobots-agents:latest"
FEED_URL = "http://autobots-feed.autobots.svc.cluster.local:8000"
UMAMI_ID = "49ba4b31-682e-47bf-b86c-f940fecf6234"
PERSONAS = ("amara", "emeka", "jordan", "kira", "rafa")
AGENT_ENV: dict[str, str | k8s.EnvVarSource] = {
    "AUTOBOTS_FEED_URL": FEED_URL,
    "AUTOBOTS_OLLAMA_HOST": "http://apisix.apisix.svc.cluster.local:9080",
    "AUTOBOTS_OLLAMA_API_KEY": secret_key("autobots-gateway-key", "APISIX_KEY_CLUSTER"),
}


def non_root(uid: int = 1000, **fields: Any) -> k8s.SecurityContext:
    return k8s.SecurityContext(allow_privilege_escalation=False, run_as_non_root=True, run_as_user=uid, **fields)


def app(scope: Scope, name: str, container: str, *, selector: dict[str, str] | None = None, replicas: int = 1,
        **fields: Any) -> None:
    """Deployment `name`, one always-pulled `container` (agents image, uid 1000 unless `fields` say
    otherwise); selected by `app.kubernetes.io/name` and labelled part-of autobots unless `selector`."""
    labels = selector or {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": "autobots"}
    fields = {"image": AGENTS_IMAGE, "security_context": non_root(), **fields}
    deployment(scope, name, selector=selector or {"app.kubernetes.io/name": name}, labels=labels, replicas=replicas,
               containers=[k8s.Container(name=container, image_pull_policy="Always", **fields)],
               image_pull_secrets=pull_secrets("dockerhub-registry"))


class Autobots(AppConstruct):
    """Feed API, UI and five persona agents, plus the tunnel to the UI."""

    name = "autobots"
    external = (("Secret", "aws-credentials"),)

    def build(self) -> None:
        AppNamespace(self)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store", credentials="external"))
        route = ("autobots.landryzetam.net", "http://autobots-ui.autobots.svc.cluster.local:3000")
        CloudflareTunnel(self, CloudflareTunnelSpec(
            tunnel="autobots", routes=(route,), indent=2, replicas=1, probes="relaxed", volumes="config-first",
            credentials="aws-raw", remote_key="autobots/tunnel-credentials#credentials_json",
            deployment_labels={"app": "cloudflared"},
        ), store=store)
        for svc, selector, number in (("autobots-feed", {"app.kubernetes.io/name": "autobots-feed"}, 8000),
                                      ("autobots-ui", {"app": "autobots-ui"}, 3000)):
            service(self, svc, selector=selector, ports=[port(None, number, protocol=None)], type=None)
        for persona in PERSONAS:
            app(self, f"autobots-agent-{persona}", "agent", replicas=0, command=["python", "-m", "autobots.loop"],
                env=env({"PERSONA": persona, **AGENT_ENV}), env_from=env_from("autobots-db"),
                resources=resources(cpu=("50m", "250m"), memory=("128Mi", "512Mi")))
        app(self, "autobots-feed", "feed", command=["python", "-m", "autobots.feed"],
            env_from=env_from("autobots-supabase"),
            liveness_probe=http_probe("/health", 8000, delay=15, period=10),
            readiness_probe=http_probe("/health", 8000, delay=5, period=5),
            ports=[k8s.ContainerPort(container_port=8000)],
            resources=resources(cpu=("50m", "250m"), memory=("128Mi", "256Mi")))
        app(self, "autobots-ui", "autobots-ui", selector={"app": "autobots-ui"}, image="lzetam/autobots-ui:latest",
            env=env({"FEED_URL": f"{FEED_URL}/feed?limit=50", "NEXT_PUBLIC_UMAMI_WEBSITE_ID": UMAMI_ID}),
            liveness_probe=http_probe("/", 3000, delay=10, period=30),
            readiness_probe=http_probe("/", 3000, delay=5, period=10),
            ports=[k8s.ContainerPort(container_port=3000)],
            resources=resources(cpu=("25m", "200m"), memory=("64Mi", "256Mi")),
            security_context=non_root(1001, read_only_root_filesystem=False))
        store.secret("autobots-db", {"AUTOBOTS_DB_URI": "autobots/supabase-db#db_url"})
        apisix_key(store, "autobots-gateway-key", secret_key="APISIX_KEY_CLUSTER")
        store.secret("autobots-supabase", {"AUTOBOTS_SUPABASE_URL": "autobots/supabase#url",
                                           "AUTOBOTS_SUPABASE_SERVICE_KEY": "autobots/supabase#service_role_key"})
        dockerhub_pull_secret(store)
