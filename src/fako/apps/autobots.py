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
from fako.constructs.pods import env, http_probe, pull_secrets, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import apisix_key
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct, Scope

AGENTS_IMAGE = "lzetam/autobots-agents:latest"
FEED_URL = "http://autobots-feed.autobots.svc.cluster.local:8000"
PERSONAS = ("amara", "emeka", "jordan", "kira", "rafa")


def non_root(uid: int = 1000, **fields: Any) -> k8s.SecurityContext:
    return k8s.SecurityContext(allow_privilege_escalation=False, run_as_non_root=True, run_as_user=uid, **fields)


def env_from(secret: str) -> list[k8s.EnvFromSource]:
    return [k8s.EnvFromSource(secret_ref=k8s.SecretEnvSource(name=secret))]


def python_app(scope: Scope, app: str, name: str, *, replicas: int, **container: Any) -> None:
    """Deployment `autobots-<app>`: container `name` (other fields in `container`) on the agents image."""
    selector = {"app.kubernetes.io/name": f"autobots-{app}"}
    deployment(
        scope,
        f"autobots-{app}",
        selector=selector,
        labels={**selector, "app.kubernetes.io/part-of": "autobots"},
        replicas=replicas,
        containers=[
            k8s.Container(
                name=name, image=AGENTS_IMAGE, image_pull_policy="Always", security_context=non_root(), **container
            )
        ],
        image_pull_secrets=pull_secrets("dockerhub-registry"),
    )


class Autobots(AppConstruct):
    """Feed API, UI and five persona agents, plus the tunnel to the UI."""

    name = "autobots"
    external = (("Secret", "aws-credentials"),)

    def build(self) -> None:
        AppNamespace(self)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store", credentials="external"))
        CloudflareTunnel(
            self,
            CloudflareTunnelSpec(
                tunnel="autobots",
                routes=(("autobots.landryzetam.net", "http://autobots-ui.autobots.svc.cluster.local:3000"),),
                indent=2,
                replicas=1,
                probes="relaxed",
                volumes="config-first",
                credentials="aws-raw",
                remote_key="autobots/tunnel-credentials#credentials_json",
            ),
            store=store,
        )
        service(
            self,
            "autobots-feed",
            selector={"app.kubernetes.io/name": "autobots-feed"},
            ports=[port(None, 8000, protocol=None)],
            type=None,
            id="feed-service",
        )
        service(self, "autobots-ui", selector={"app": "autobots-ui"}, ports=[port(None, 3000, protocol=None)], type=None,
                id="ui-service")
        for persona in PERSONAS:
            python_app(
                self,
                f"agent-{persona}",
                "agent",
                replicas=0,
                command=["python", "-m", "autobots.loop"],
                env=env({
                    "PERSONA": persona,
                    "AUTOBOTS_FEED_URL": FEED_URL,
                    "AUTOBOTS_OLLAMA_HOST": "http://apisix.apisix.svc.cluster.local:9080",
                    "AUTOBOTS_OLLAMA_API_KEY": secret_key("autobots-gateway-key", "APISIX_KEY_CLUSTER"),
                }),
                env_from=env_from("autobots-db"),
                resources=resources(
                    requests={"cpu": "50m", "memory": "128Mi"}, limits={"cpu": "250m", "memory": "512Mi"}
                ),
            )
        python_app(
            self,
            "feed",
            "feed",
            replicas=1,
            command=["python", "-m", "autobots.feed"],
            env_from=env_from("autobots-supabase"),
            liveness_probe=http_probe("/health", 8000, initial_delay_seconds=15, period_seconds=10),
            readiness_probe=http_probe("/health", 8000, initial_delay_seconds=5, period_seconds=5),
            ports=[k8s.ContainerPort(container_port=8000)],
            resources=resources(requests={"cpu": "50m", "memory": "128Mi"}, limits={"cpu": "250m", "memory": "256Mi"}),
        )
        deployment(
            self,
            "autobots-ui",
            selector={"app": "autobots-ui"},
            labels={"app": "autobots-ui"},
            containers=[
                k8s.Container(
                    name="autobots-ui",
                    image="lzetam/autobots-ui:latest",
                    image_pull_policy="Always",
                    env=env({
                        "FEED_URL": f"{FEED_URL}/feed?limit=50",
                        "NEXT_PUBLIC_UMAMI_WEBSITE_ID": "49ba4b31-682e-47bf-b86c-f940fecf6234",
                    }),
                    liveness_probe=http_probe("/", 3000, initial_delay_seconds=10, period_seconds=30),
                    readiness_probe=http_probe("/", 3000, initial_delay_seconds=5, period_seconds=10),
                    ports=[k8s.ContainerPort(container_port=3000)],
                    resources=resources(
                        requests={"cpu": "25m", "memory": "64Mi"}, limits={"cpu": "200m", "memory": "256Mi"}
                    ),
                    security_context=non_root(1001, read_only_root_filesystem=False),
                )
            ],
            image_pull_secrets=pull_secrets("dockerhub-registry"),
        )
        store.secret("autobots-db", {"AUTOBOTS_DB_URI": "autobots/supabase-db#db_url"})
        apisix_key(store, "autobots-gateway-key", secret_key="APISIX_KEY_CLUSTER")
        store.secret(
            "autobots-supabase",
            {
                "AUTOBOTS_SUPABASE_URL": "autobots/supabase#url",
                "AUTOBOTS_SUPABASE_SERVICE_KEY": "autobots/supabase#service_role_key",
            },
        )
        dockerhub_pull_secret(store)
