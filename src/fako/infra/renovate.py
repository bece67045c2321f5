"""Renovate: the in-cluster dependency bot, hourly against lyzetam/fako-cluster.

CronJob `renovate-cronjob` (renovate/renovate:39) reads its GitHub token and host rules
from two SOPS Secrets plus ConfigMap `renovate-configmap`; it pulls with
`dockerhub-registry`, which the legacy Job `create-docker-registry-secret` builds from
the SOPS `dockerhub-credentials` (script verbatim in files/). Nothing exposed or stored.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import env_from, pull_secrets
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.cron import cronjob
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule, script_job
from fako.tree import AppConstruct

SA = "docker-secret-creator"


class Renovate(AppConstruct):
    """Renovate."""

    name = "renovate"
    default_layer = "infrastructure-controllers"
    external = (("Secret", "dockerhub-registry"),)  # made by the legacy Job below, not rendered

    def build(self) -> None:
        AppNamespace(self, pss=None)
        for secret in ("dockerhub-credentials", "renovate-container-env", "renovate-host-rules"):
            SopsSecret(self, secret, SopsSecretSpec(name=secret))
        ConfigMap(
            self,
            "config",
            ConfigMapSpec(
                name="renovate-configmap",
                data={
                    "RENOVATE_AUTODISCOVER": "false",
                    "RENOVATE_GIT_AUTHOR": "LZ Renovate Bot <bot@renovateapp.com>",
                    "RENOVATE_PLATFORM": "github",
                },
            ),
        )
        cronjob(
            self,
            "renovate-cronjob",
            "@hourly",
            successful=None,
            failed=None,
            ttl=None,
            image_pull_secrets=pull_secrets("dockerhub-registry"),
            containers=[
                k8s.Container(
                    name="renovate",
                    image="renovate/renovate:39",
                    image_pull_policy="IfNotPresent",
                    args=["lyzetam/fako-cluster"],
                    env_from=env_from("renovate-container-env")
                    + env_from("renovate-host-rules", optional=True)
                    + env_from(config_maps=["renovate-configmap"]),
                )
            ],
        )
        grant(self, account=SA, role=SA, cluster=False, rules=[rule("", ["secrets"], ["get", "create", "delete"])])
        script_job(
            self,
            "create-docker-registry-secret",
            script=read_file(__file__, "create-docker-registry-secret.sh"),
            image="bitnamilegacy/kubectl:1.33.4",
            account=SA,
            container="create-secret",
        )
