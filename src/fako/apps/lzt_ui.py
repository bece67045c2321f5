"""LZ Technology's company website (lzt-ui): a Node.js site with a contact form.

Public at lztechnology.io, www.lztechnology.io and lzt-ui.lztechnology.io through the
`lztechnology-tunnel` Cloudflare tunnel (SOPS credentials, cloudflared's commented sample
config with its hello.example.com route left in), and at the first two through a traefik
Ingress that sets security headers; that Ingress names ClusterIssuer letsencrypt-prod, which
does not exist (CLUSTER.md §7c.1). Lives in namespace `lztechnology`. Calls AWS itself
(us-east-2: mail, and the Twilio secret `lzt-ui/twilio`) with the namespace's SOPS
`aws-credentials` read as env; its AWS store makes no ExternalSecret. Images are pulled
with the legacy kubectl pull-secret Job.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, http_probe, pull_secrets, resources, secret_key
from fako.patterns.aws import AwsSecretStore
from fako.patterns.ingress import LEGACY_TRAEFIK, ingress
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.tunnel import (
    CATCH_ALL_COMMENT,
    HELLO_WORLD_COMMENT,
    CatchAll,
    CloudflareTunnel,
    CloudflareTunnelSpec,
    TunnelRoute,
)
from fako.patterns.workload import deployment, port, rolling, service
from fako.tree import AppConstruct

NAME = "lztechnology-website"
LABELS = {"app": NAME}
HOSTS = ["lztechnology.io", "www.lztechnology.io"]
SITE = f"http://{NAME}:80"
HEADERS = (  # traefik custom-response-headers, one `Name: value` per line
    "X-Frame-Options: DENY", "X-Content-Type-Options: nosniff", "X-XSS-Protection: 1; mode=block",
    "Strict-Transport-Security: max-age=31536000; includeSubDomains",
    "Content-Security-Policy: default-src 'self'; script-src 'self' 'unsafe-inline' cdn.jsdelivr.net "
    "cdnjs.cloudflare.com fonts.googleapis.com; style-src 'self' 'unsafe-inline' cdn.jsdelivr.net cdnjs.cloudflare.com "
    "fonts.googleapis.com; font-src 'self' fonts.googleapis.com fonts.gstatic.com cdnjs.cloudflare.com; img-src 'self' "
    "data:; object-src 'none'; base-uri 'self';")
ENV: dict[str, str | k8s.EnvVarSource] = {
    "APP_ENV": "production", "NODE_ENV": "production", "AWS_REGION": "us-east-2",
    "AWS_ACCESS_KEY_ID": secret_key("aws-credentials", "access-key-id"),
    "AWS_SECRET_ACCESS_KEY": secret_key("aws-credentials", "secret-access-key"),
    "MAIL_FROM_ADDRESS": "noreply@lztechnology.io", "MAIL_FROM_NAME": "LZ Technology",
    "MAIL_TO_ADDRESS": "info@lztechnology.io", "TWILIO_SECRET_NAME": "lzt-ui/twilio"}
TUNNEL = CloudflareTunnelSpec(
    tunnel="lztechnology-tunnel", style="docs", pull_secret="dockerhub-registry",
    routes=(*((host, SITE) for host in (*HOSTS, "lzt-ui.lztechnology.io")),
            TunnelRoute(hostname="hello.example.com", service="hello_world", comment=HELLO_WORLD_COMMENT,
                        blank_before=True)),
    catch_all=CatchAll(comment=CATCH_ALL_COMMENT))


class LztUi(AppConstruct):
    """The website Deployment (2 replicas) with its Service and Ingress, the tunnel, the AWS store
    and the legacy pull-secret Job."""

    name = "lzt-ui"
    namespace = "lztechnology"
    external = (("Secret", "dockerhub-registry"),)  # made at runtime by the legacy pull-secret Job

    def build(self) -> None:
        AppNamespace(self, labels={"name": "lztechnology"})
        AwsSecretStore(self)
        LegacyPullSecret(self)
        CloudflareTunnel(self, TUNNEL)
        service(self, NAME, labels=LABELS, selector=LABELS, ports=[port("http", 80, 8080)])
        website = k8s.Container(
            name="website", image="lzetam/website:latest", image_pull_policy="Always", env=env(ENV),
            ports=[k8s.ContainerPort(container_port=8080, name="http")],
            liveness_probe=http_probe("/", 8080, failures=3, delay=30, period=10, timeout=5),
            readiness_probe=http_probe("/", 8080, failures=3, delay=5, period=5, timeout=3),
            resources=resources(cpu=("25m", "200m"), memory=("64Mi", "256Mi")),
            security_context=k8s.SecurityContext(
                allow_privilege_escalation=False, capabilities=k8s.Capabilities(drop=["ALL"]),
                read_only_root_filesystem=False, run_as_non_root=True, run_as_user=1001))
        deployment(self, NAME, labels=LABELS, selector=LABELS, replicas=2, strategy=rolling(1, 1),
                   containers=[website], image_pull_secrets=pull_secrets("dockerhub-registry"),
                   restart_policy="Always", security_context=k8s.PodSecurityContext(fs_group=1001))
        headers = {"traefik.ingress.kubernetes.io/custom-response-headers": "".join(f"{h}\n" for h in HEADERS)}
        ingress(self, NAME, hosts=HOSTS, service=NAME, port=80, labels=LABELS, issuer="letsencrypt-prod",
                tls_secret="lztechnology-tls", ingress_class=None, annotations={**LEGACY_TRAEFIK, **headers})
