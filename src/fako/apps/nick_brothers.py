"""Nick Brothers (nnb): an agent backend with its Next.js dashboard and a public website.

The API is public at nnb-api.landryzetam.net through the `nick-brothers` Cloudflare
tunnel (credentials read from AWS) and, like the dashboard (nnb.landryzetam.net) and the
website (nnb-site.landryzetam.net), through a traefik Ingress with a DNS-01 certificate.
A CronJob ticks the backend's agent scheduler every 15 minutes. The backend works on
Supabase and calls OpenAI, Anthropic, Twilio and Nylas; it keeps nothing in the cluster.
Keys and the Docker Hub pull secret come from AWS; the store's `aws-credentials` Secret
was made by hand. Switched off in the cluster.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, env_from, http_probe, pull_secrets, resources, secret_key
from fako.constructs.scheduling import PodDisruptionBudget, PodDisruptionBudgetSpec
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.ingress import LEGACY_TRAEFIK, ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import OPENAI_API_KEY
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec, OriginRequest, ProbeTimings, TunnelRoute
from fako.patterns.workload import deployment, port, rolling, service
from fako.tree import AppConstruct

NAME = "nick-brothers"
LABELS = {"app.kubernetes.io/instance": "production", "app.kubernetes.io/name": NAME,
          "app.kubernetes.io/part-of": NAME}
SECRETS = {  # nick-brothers-secrets, read whole by the backend
    "SUPABASE_URL": "fieldready/supabase#url", "SUPABASE_SERVICE_KEY": "fieldready/supabase#service_role_key",
    "OPENAI_API_KEY": OPENAI_API_KEY, "TWILIO_ACCOUNT_SID": "twilio/account-sid",
    "TWILIO_AUTH_TOKEN": "twilio/auth-token", "ANTHROPIC_API_KEY": "family-manager-bot/anthropic#api_key",
    "NYLAS_API_KEY": "nylas/api-key", "NYLAS_GRANT_ID": "nylas/grant-id",
    "DASHBOARD_API_KEY": "nick-brothers/dashboard-api-key"}
SITES = (  # Deployment = Service: port, Ingress `nick-brothers-<ingress>`, host, TLS secret
    ("backend", 8000, "api", "nnb-api.landryzetam.net", "nnb-api-landryzetam-tls"),
    ("dashboard", 3000, "dashboard", "nnb.landryzetam.net", "nnb-dashboard-tls"),
    ("website", 3000, "website", "nnb-site.landryzetam.net", "nnb-site-tls"))
ONE_AT_A_TIME = rolling(0, 1)
API = "http://backend.nick-brothers.svc.cluster.local:8000"
CORS = ("http://localhost:3000", "https://nick-brothers-demo.pages.dev", "https://nnb.landryzetam.net",
        "https://nnb-site.landryzetam.net")
TUNNEL = CloudflareTunnelSpec(
    tunnel=NAME, routes=(TunnelRoute(hostname="nnb-api.landryzetam.net", service=API, origin_request=OriginRequest(
        connect_timeout="30s", no_tls_verify=False, keep_alive_timeout="90s",
        http_host_header="nnb-api.landryzetam.net")),),
    replicas=1, strategy=ONE_AT_A_TIME, revision_history_limit=3, requests={"cpu": "10m"}, probes="readiness",
    liveness=ProbeTimings(failures="default"), readiness=ProbeTimings(failures="default"), labels=LABELS,
    deployment_labels={"app": "cloudflared"}, credentials="aws-string",
    remote_key=f"{NAME}/cloudflare-tunnel#credentials")


class NickBrothers(AppConstruct):
    """The backend (two replicas, with a disruption budget), dashboard and website Deployments,
    their Services and Ingresses, the scheduler CronJob, the tunnel and the AWS secrets."""

    name = NAME
    external = (("Secret", "aws-credentials"),)

    def site(self, name: str, rollout: str, container: k8s.Container, *, replicas: int = 1,
             strategy: k8s.DeploymentStrategy = ONE_AT_A_TIME, grace_s: int | None = None) -> None:
        """Deployment `name` (pods `app: <name>`, last rolled out at `rollout`) running `container` as
        uid 1000, pulled with `dockerhub-secret`; `grace_s` is the pod's termination grace period."""
        deployment(self, name, labels={"app": name, **LABELS}, selector={"app": name}, replicas=replicas,
                   pod_annotations={"rollout/timestamp": rollout}, strategy=strategy, revision_history_limit=3,
                   containers=[container], image_pull_secrets=pull_secrets("dockerhub-secret"),
                   security_context=k8s.PodSecurityContext(run_as_non_root=True, run_as_user=1000),
                   termination_grace_period_seconds=grace_s)

    def build(self) -> None:
        AppNamespace(self, pss=None, labels=LABELS)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(credentials="external", labels=LABELS))
        dockerhub_pull_secret(store, "dockerhub-secret", style="pretty", labels=LABELS)
        store.secret(f"{NAME}-secrets", SECRETS, labels=LABELS)
        CloudflareTunnel(self, TUNNEL, store=store)
        for name, number, short, host, tls in SITES:
            service(self, name, labels=LABELS, selector={"app": name}, ports=[port("http", number, protocol=None)])
            ingress(self, f"{NAME}-{short}", hosts=[host], service=name, port=number, labels=LABELS,
                    issuer="letsencrypt-dns01", tls_secret=tls, ingress_class=None, annotations=LEGACY_TRAEFIK)

        health = "/health"
        self.site("backend", "2026-02-11T20:00:00Z", k8s.Container(
            name="backend", image="lzetam/nick-brothers-backend:latest", image_pull_policy="Always",
            env=env({"TENANT_ID": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "CORS_ORIGINS": ",".join(CORS),
                     "LOG_LEVEL": "INFO"}), env_from=env_from(f"{NAME}-secrets"),
            lifecycle=k8s.Lifecycle(pre_stop=k8s.LifecycleHandler(exec=k8s.ExecAction(command=["sleep", "5"]))),
            ports=[k8s.ContainerPort(container_port=8000)],
            liveness_probe=http_probe(health, 8000, failures=3, period=30, timeout=5),
            readiness_probe=http_probe(health, 8000, failures=2, period=5, timeout=5),
            startup_probe=http_probe(health, 8000, failures=30, period=5, timeout=3),
            resources=resources(cpu=("100m", "500m"), memory=("256Mi", "512Mi"))),
            replicas=2, strategy=rolling(1, 0), grace_s=30)
        self.site("dashboard", "2026-02-10T16:42:44Z", k8s.Container(
            name="dashboard", image="lzetam/nick-brothers-dashboard:latest", image_pull_policy="Always",
            env=env({"NEXT_PUBLIC_API_URL": "https://nnb-api.landryzetam.net",
                     "NEXT_PUBLIC_API_KEY": secret_key(f"{NAME}-secrets", "DASHBOARD_API_KEY")}),
            ports=[k8s.ContainerPort(container_port=3000)], liveness_probe=http_probe("/", 3000, delay=10, period=30),
            readiness_probe=http_probe("/", 3000, delay=5, period=10),
            resources=resources(cpu=("25m", "200m"), memory=("64Mi", "256Mi"))))
        self.site("website", "2026-02-10T12:45:33Z", k8s.Container(
            name="website", image="lzetam/nick-brothers-site:latest", image_pull_policy="Always",
            ports=[k8s.ContainerPort(container_port=3000)], liveness_probe=http_probe("/", 3000, delay=20, period=30),
            readiness_probe=http_probe("/", 3000, delay=10, period=10),
            resources=resources(cpu=("15m", "150m"), memory=("48Mi", "192Mi"))))
        PodDisruptionBudget(self, "backend-pdb", PodDisruptionBudgetSpec(
            name="backend-pdb", labels=LABELS, min_available=1,
            selector=k8s.LabelSelector(match_labels={"app": "backend"})))
        tick = k8s.Container(name="scheduler-tick", image="curlimages/curl:8.20.0",
                             command=["curl", "-s", "-X", "POST", f"{API}/scheduler/tick"],
                             resources=resources(cpu=("50m", "100m"), memory=("32Mi", "64Mi")))
        cronjob(self, "agent-scheduler", "*/15 * * * *", labels=LABELS, ttl=None, backoff_limit=1, active_deadline=300,
                containers=[tick])
