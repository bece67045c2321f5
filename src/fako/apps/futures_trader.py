"""Futures trader: an automated futures strategy trading an IBKR paper account.

Two single-replica Deployments (Recreate): the trader and the IB Gateway it talks to on
`ib-gateway:4004`; a NetworkPolicy lets only the trader reach the gateway. ClusterIP
only, stores nothing. Reads the IBKR paper login (`quantum-trades/futures/ibkr-paper`,
whole secret) and the Docker Hub pull secret from AWS (store `aws-secrets`).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.pods import env, env_from, http_probe, pull_secrets, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.netpol import from_pods, network_policy
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

TRADER = {"app": "futures-trader"}
GATEWAY = {"app": "ib-gateway"}
SECRETS = "futures-trader-secrets"
STRATEGY: dict[str, str | k8s.EnvVarSource] = {
    "FT_IB_GATEWAY_HOST": "ib-gateway", "FT_IB_GATEWAY_PAPER_PORT": "4004", "FT_SESSION_START_ET": "00:00",
    "FT_SESSION_END_ET": "23:59", "FT_STOP_TICKS": "40", "FT_TARGET_TICKS": "40", "FT_MAX_DAILY_LOSS_DOLLARS": "5000",
    "PYTHONUNBUFFERED": "1"}
"""The trader's settings: the gateway, a round-the-clock session, 40-tick stop/target, $5000 daily loss cap."""


class FuturesTrader(AppConstruct):
    """Trader and IB Gateway Deployments, the gateway Service and its ingress policy."""

    name = "futures-trader"

    def build(self) -> None:
        AppNamespace(self, None, {"app.kubernetes.io/managed-by": "flux", "app.kubernetes.io/part-of": self.name})
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets"))
        service(self, "ib-gateway", selector=GATEWAY, type=None, ports=[port("api-paper", 4004, protocol=None)])
        deployment(self, "futures-trader", selector=TRADER, labels=TRADER, strategy="Recreate",
                   image_pull_secrets=pull_secrets("dockerhub-registry"), containers=[k8s.Container(
                       name="futures-trader", image="lzetam/quantum-trades-futures-trader:latest",
                       image_pull_policy="Always", env=env(STRATEGY),
                       env_from=env_from(SECRETS),
                       ports=[k8s.ContainerPort(container_port=8000)],
                       liveness_probe=http_probe("/health", 8000, period=30, timeout=10, failures=4),
                       startup_probe=http_probe("/health", 8000, delay=10, period=10, failures=18),
                       resources=resources(cpu=("100m", "1"), memory=("256Mi", "512Mi")),
                       security_context=k8s.SecurityContext(allow_privilege_escalation=False, run_as_non_root=True,
                                                            run_as_user=1000))])
        deployment(self, "ib-gateway", selector=GATEWAY, labels=GATEWAY, strategy="Recreate", containers=[k8s.Container(
            name="ib-gateway", image="ghcr.io/gnzsnz/ib-gateway:stable", ports=[k8s.ContainerPort(container_port=4004)],
            env=env({"TRADING_MODE": "paper", "READ_ONLY_API": "no", "TWS_USERID": secret_key(SECRETS, "TWS_USERID"),
                     "TWS_PASSWORD": secret_key(SECRETS, "TWS_PASSWORD")}),
            resources=resources(cpu=("250m", "1"), memory=("512Mi", "1Gi")))])
        dockerhub_pull_secret(store, password_key="token")
        store.secret(SECRETS, extract="quantum-trades/futures/ibkr-paper")
        network_policy(self, "ib-gateway-only-from-futures-trader", pod=GATEWAY, ingress=[from_pods(TRADER, 4004)])
