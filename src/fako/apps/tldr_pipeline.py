"""TLDR pipeline: newsletter digests harvested from Gmail, enriched by an LLM, filed in the vault.

Three weekday CronJobs (UTC) on one image: `tldr-harvest` (15:00) pulls the TLDR
newsletters through the Google OAuth client and writes them to the vault (Obsidian
token `morning-brief`, AgentMail), `tldr-check` (16:15) alerts Discord when a run went
missing, and `tldr-enrich` (02:00, Tue-Sat) summarises the links with Ollama models
through APISIX. Not exposed, no state beyond a scratch `/tmp`. Every key comes from AWS
into `tldr-pipeline-secrets`; the Docker Hub pull secret is its own ExternalSecret.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import empty_dir, env, env_from, mount, pull_secrets, resources
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import RESTRICTED_CONTAINER, cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

NAME = "tldr-pipeline"
SECRETS = {
    **{f"GOOGLE_{k.upper()}": f"google/tldr-digest-oauth#{k}"
       for k in ("client_id", "client_secret", "refresh_token")},
    "OBSIDIAN_TOKEN": "obsidian/api-clients#morning-brief",
    "AGENTMAIL_API_KEY": "agentmail/api-key",
    "OLLAMA_API_KEY": "/fako/openwebui/ollama-cloud-api-key#api_key",
    "OLLAMA_ENRICH_API_KEY": "ollama/tldr-enricher#api_key",
    "APISIX_KEY": "social-media-content/apisix-gateway-key#api_key",
    "DISCORD_WEBHOOK_SRE": "discord/webhook#sre_alerts",
}
Job = tuple[str, str, list[str] | None, list[str], str, int, int]
JOBS: tuple[Job, ...] = (  # component, `tldr-<job>` (container <job>), command, args, schedule, backoff, deadline (s)
    ("watchdog", "check", ["tldr-check"], [], "15 16 * * 1-5", 1, 600),
    ("enrich", "enrich", ["tldr-enrich"], ["--apply"], "0 2 * * 2-6", 4, 10800),
    ("harvest", "harvest", None, ["--apply"], "0 15 * * 1-5", 1, 3600),
)


class TldrPipeline(AppConstruct):
    """Harvest, check and enrich CronJobs (restricted, non-root) and their two ExternalSecrets."""

    name = NAME

    def build(self) -> None:
        AppNamespace(self, pss=None)
        store = AwsSecretStore(self)
        dockerhub_pull_secret(store, refresh="24h", engine=False)
        store.secret(f"{NAME}-secrets", SECRETS)
        for component, job, command, args, schedule, backoff, deadline in JOBS:
            name = {"app.kubernetes.io/component": component, "app.kubernetes.io/name": NAME}
            container = k8s.Container(
                name=job, image="lzetam/tldr-pipeline:latest", image_pull_policy="Always", command=command, args=args,
                env=env({"HOME": "/tmp", "TLDR_OLLAMA_BASE": "http://apisix.apisix.svc.cluster.local:9080"}),
                env_from=env_from(f"{NAME}-secrets"), resources=resources(cpu=("200m", "1"), memory=("512Mi", "1Gi")),
                security_context=RESTRICTED_CONTAINER, volume_mounts=[mount("tmp", "/tmp")])
            cronjob(self, f"tldr-{job}", schedule, pod_labels=name, ttl=None, time_zone="Etc/UTC",
                    labels={**name, "app.kubernetes.io/managed-by": "flux", "app.kubernetes.io/part-of": NAME},
                    starting_deadline=600, backoff_limit=backoff, active_deadline=deadline, restart_policy="OnFailure",
                    containers=[container], image_pull_secrets=pull_secrets("dockerhub-registry"),
                    security_context=k8s.PodSecurityContext(fs_group=1000, run_as_non_root=True, run_as_user=1000),
                    volumes=[empty_dir("tmp")])
