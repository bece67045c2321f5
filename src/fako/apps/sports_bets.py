"""Sports bets: World Cup betting slips, predictions and a scoreboard, published as static pages.

Public at sports-bets.landryzetam.net through its own Cloudflare tunnel (SOPS
credentials) to an unprivileged nginx serving the pages from a 1Gi claim of the default
class (local-path, so the web pod runs Recreate). Four CronJobs, all suspended in the
cluster, work on Sportmonks data and Kalshi markets: the slip generator, predictions and
scoreboard write the pages; an AI agent (Ollama Cloud) runs under a stake governor
(`GOV_*`). Reads the Sportmonks, Kalshi, Ollama (soccer-banter's key) and Supabase
credentials and the Docker Hub pull secret from AWS.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.pods import empty_dir, env, env_from, http_probe, mount, pull_secrets, pvc_volume, resources
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import RESTRICTED_CONTAINER, cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.storage import claim
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

NAME, WEB = "sports-bets", "sports-bets-web"
FLUX = {"app.kubernetes.io/managed-by": "flux", "app.kubernetes.io/part-of": NAME}
SELECTOR = {"app.kubernetes.io/name": WEB}
AGENT_IMAGE = "lzetam/sports-bets:latest"
SECRETS = {  # sports-bets-secrets, read whole by every CronJob
    "SPORTMONKS_API_KEY": "sportmonks/api#api_key", "SPORTMONKS_API_URL": "sportmonks/api#api_url",
    "KALSHI_API_KEY_ID": "kalshi/api#api_key_id", "KALSHI_PRIVATE_KEY": "kalshi/api#private_key",
    "OLLAMA_API_KEY": "soccer-banter/ollama#api_key", "SUPABASE_URL": "sports-bets/supabase#url",
    "SUPABASE_SERVICE_KEY": "sports-bets/supabase#service_role_key", "GOV_AGENT_ID": "sports-bets/supabase#agent_id",
    "GOV_BUDGET_CATEGORY": "sports-bets/supabase#budget_category"}
HOME: dict[str, str | k8s.EnvVarSource] = {"HOME": "/tmp"}
PAGE = {"resources": resources(cpu=("100m", "1"), memory=("256Mi", "512Mi")),
        "volume_mounts": [mount("data", "/data"), mount("tmp", "/tmp")]}
"""The resources and mounts of the CronJobs that write pages onto the claim."""


class SportsBets(AppConstruct):
    """The nginx Deployment on the pages claim with its Service, four suspended CronJobs, the
    tunnel and the AWS secrets."""

    name = NAME

    def job(self, name: str, schedule: str, component: str, deadlines: tuple[int, int], kept: int,
            volumes: list[k8s.Volume], **container: Any) -> None:
        """CronJob `sports-bets-<name>` (suspended, labelled `component`; starting and active `deadlines`)
        running container `name` with the app's secrets as uid 1000; `container` holds its other fields."""
        labels = {"app.kubernetes.io/component": component, "app.kubernetes.io/name": NAME}
        cronjob(self, f"{NAME}-{name}", schedule, labels={**labels, **FLUX}, pod_labels=labels, successful=kept,
                ttl=None, starting_deadline=deadlines[0], suspend=True, backoff_limit=1, active_deadline=deadlines[1],
                restart_policy="OnFailure", image_pull_secrets=pull_secrets("dockerhub-registry"), containers=[
                    k8s.Container(name=name, image_pull_policy="Always", env_from=env_from(f"{NAME}-secrets"),
                                  security_context=RESTRICTED_CONTAINER, **container)],
                security_context=k8s.PodSecurityContext(fs_group=1000, run_as_non_root=True, run_as_user=1000),
                volumes=volumes)

    def build(self) -> None:
        AppNamespace(self, pss=None, labels=FLUX)
        store = AwsSecretStore(self)
        dockerhub_pull_secret(store)
        store.secret(f"{NAME}-secrets", SECRETS)
        claim(self, f"{NAME}-data", "1Gi", storage_class=None, access="ReadWriteOnce")
        CloudflareTunnel(self, CloudflareTunnelSpec(
            tunnel="acd05480-f578-4b74-bc15-61d01982a3f5", indent=2, replicas=1,
            routes=(("sports-bets.landryzetam.net", f"http://{WEB}.{NAME}.svc.cluster.local:80"),),
            deployment_labels={"app": "cloudflared"}))
        service(self, WEB, labels=SELECTOR, selector=SELECTOR, type=None, ports=[port("http", 80, "http", None)])
        nginx = k8s.Container(
            name="nginx", image="nginxinc/nginx-unprivileged:1.31-alpine",
            ports=[k8s.ContainerPort(container_port=8080, name="http")],
            readiness_probe=http_probe("/", "http", delay=5, period=15),
            resources=resources(cpu=("10m", "100m"), memory=("24Mi", "64Mi")), security_context=RESTRICTED_CONTAINER,
            volume_mounts=[mount("data", "/usr/share/nginx/html", read_only=True), mount("cache", "/tmp")])
        pod = {"app.kubernetes.io/component": "web", **SELECTOR}
        deployment(self, WEB, labels={**pod, **FLUX}, selector=SELECTOR, pod_labels=pod, strategy="Recreate",
                   containers=[nginx], volumes=[pvc_volume("data", f"{NAME}-data"), empty_dir("cache")],
                   security_context=k8s.PodSecurityContext(fs_group=101, run_as_non_root=True, run_as_user=101))

        data = [pvc_volume("data", f"{NAME}-data"), empty_dir("tmp")]
        self.job("agent", "0 */2 * * *", "ai-agent", (600, 2700), 3, [empty_dir("tmp")], image=AGENT_IMAGE,
                 command=["sports-bets-agent"], env=env({"GOV_MAX_STAKE_CENTS": "200", **HOME}),
                 resources=resources(cpu=("200m", "1"), memory=("512Mi", "1Gi")), volume_mounts=[mount("tmp", "/tmp")])
        self.job("generate", "0 */2 * * *", "generator", (600, 900), 3, data, image="lzetam/sports-bets-v1:latest",
                 args=["run", "--tournament", "world-cup", "--stake", "5", "--out-dir", "/data"], **PAGE,
                 env=env({"SPORTSBETS_KALSHI_AUTO_OPEN": "false", "SPORTSBETS_KALSHI_DAILY_BUDGET": "35",
                          "SPORTSBETS_KALSHI_MAX_STAKE_PER_SLIP": "2"}))
        for page, schedule, active in (("predictions", "15 */2 * * *", 600), ("scoreboard", "30 */2 * * *", 300)):
            self.job(page, schedule, page, (300, active), 2, data, image=AGENT_IMAGE, command=[f"sports-bets-{page}"],
                     args=["--out", f"/data/{page}.html"], env=env(HOME), **PAGE)
