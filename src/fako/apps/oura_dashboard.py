"""Oura dashboard: a Streamlit dashboard of the Oura Ring data, behind Keycloak sign-in.

Public at oura-health.landryzetam.net through the `oura-health` Cloudflare tunnel (SOPS
credentials) and a traefik Ingress without TLS, both to an oauth2-proxy (Keycloak OIDC,
realm `master`) in front of the dashboard. The dashboard reads the Postgres credentials
and Oura token from AWS itself (boto3, with the namespace's AWS credentials re-templated
as env through the local secret store) and the bootstrap `app` database of the shared
CNPG cluster, which no app declares; the proxy's client and cookie secrets come from AWS.
Nothing is kept (scratch `/data`). Switched off in the cluster.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import empty_dir, env, env_from, http_probe, mount, resources, secret_key
from fako.patterns.aws import AwsSecretStore
from fako.patterns.ingress import ingress
from fako.patterns.local_store import LocalSecretStore
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import PG_APP_USER, PG_HOST
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec, TunnelLayout
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

NAME, HOST = "oura-dashboard", "oura-health.landryzetam.net"
PROXY = "oauth2-proxy"
OIDC = "https://auth.landryzetam.net/realms/master"
CONFIG = {  # oura-dashboard-config, read with envFrom
    "API_TIMEOUT": "30", "AWS_DEFAULT_REGION": "us-east-1", "COLLECTION_INTERVAL": "3600", "DATABASE_HOST": PG_HOST,
    "DATABASE_NAME": "app", "DATABASE_PORT": "5432", "DAYS_TO_BACKFILL": "7", "LOG_LEVEL": "INFO", "MAX_RETRIES": "3",
    "OURA_SECRETS_NAME": "oura/api-credentials", "POSTGRES_SECRETS_NAME": PG_APP_USER, "RETRY_DELAY": "5",
    "RUN_ONCE": "false", "STORAGE_BACKEND": "postgres"}
PROXY_ARGS = [
    "--provider=keycloak-oidc", "--email-domain=*", f"--upstream=http://{NAME}:8501", "--http-address=0.0.0.0:4180",
    "--reverse-proxy=true", "--skip-provider-button=true", "--cookie-secure=true", f"--cookie-domain={HOST}",
    "--whitelist-domain=.landryzetam.net", "--cookie-refresh=1h", "--cookie-expire=24h",
    "--ssl-insecure-skip-verify=true", "--insecure-oidc-allow-unverified-email=true", "--insecure-oidc-skip-nonce=true",
    "--skip-jwt-bearer-tokens=true", "--skip-auth-regex=^/.well-known/acme-challenge/",
    "--oidc-extra-audience=master-realm", "--oidc-extra-audience=account", "--skip-oidc-discovery=true",
    "--oidc-email-claim=email", "--oidc-groups-claim=groups"]
PROXY_KEYS = ("client-id", "client-secret", "cookie-secret")  # oauth2-proxy-secrets, from oura-dashboard/oauth2-proxy
PROXY_ENV: dict[str, str | k8s.EnvVarSource] = {  # discovery is off: every endpoint is spelled out
    **{f"OAUTH2_PROXY_{k.upper().replace('-', '_')}": secret_key(f"{PROXY}-secrets", k) for k in PROXY_KEYS},
    "OAUTH2_PROXY_OIDC_ISSUER_URL": OIDC, "OAUTH2_PROXY_REDIRECT_URL": f"https://{HOST}/oauth2/callback",
    **{f"OAUTH2_PROXY_{k}_URL": f"{OIDC}/protocol/openid-connect/{p}"
       for k, p in (("LOGIN", "auth"), ("REDEEM", "token"), ("OIDC_JWKS", "certs"))}}


class OuraDashboard(AppConstruct):
    """The dashboard and oauth2-proxy Deployments with their Services, the Ingress, the tunnel, the
    dashboard's config, and the AWS and local secret stores."""

    name = NAME

    def build(self) -> None:
        AppNamespace(self, pss=None)
        LocalSecretStore(self)
        store = AwsSecretStore(self)
        store.secret(f"{PROXY}-secrets", {k: f"{NAME}/{PROXY}#{k}" for k in PROXY_KEYS})
        ConfigMap(self, "config", ConfigMapSpec(name=f"{NAME}-config", data=CONFIG))
        CloudflareTunnel(self, CloudflareTunnelSpec(tunnel="oura-health", routes=((HOST, f"http://{PROXY}:4180"),),
                                                    style=TunnelLayout(blank_before_ingress=True), resources="large"))
        for app, number in ((PROXY, 4180), (NAME, 8501)):
            service(self, app, selector={"app": app}, ports=[port("http", number)])
        ingress(self, NAME, hosts=[HOST], service=PROXY, port=4180, issuer=None)
        proxy = k8s.Container(
            name=PROXY, image="quay.io/oauth2-proxy/oauth2-proxy:v7.11.0", args=PROXY_ARGS, env=env(PROXY_ENV),
            ports=[k8s.ContainerPort(container_port=4180, name="http")],
            liveness_probe=http_probe("/ping", 4180, delay=10, period=10),
            readiness_probe=http_probe("/ping", 4180, delay=5, period=5),
            resources=resources(cpu=("10m", "100m"), memory=("32Mi", "128Mi")))
        deployment(self, PROXY, selector={"app": PROXY}, containers=[proxy])
        health = "/_stcore/health"
        dashboard = k8s.Container(
            name=NAME, image="lzetam/oura-dashboard:latest",
            env_from=env_from("aws-credentials-env", config_maps=[f"{NAME}-config"]),
            ports=[k8s.ContainerPort(container_port=8501, name="http", protocol="TCP")],
            liveness_probe=http_probe(health, 8501, failures=3, delay=30, period=30, timeout=10),
            readiness_probe=http_probe(health, 8501, failures=3, delay=30, period=10, timeout=5),
            resources=resources(cpu=("100m", "500m"), memory=("256Mi", "512Mi")),
            volume_mounts=[mount("data", "/data")])
        deployment(self, NAME, selector={"app": NAME}, containers=[dashboard], service_account_name=NAME,
                   security_context={"fsGroup": 1000, "runAsGroup": 1000, "runAsNonRoot": True, "runAsUser": 1000},
                   volumes=[empty_dir("data")])
