"""Renovate: the in-cluster dependency bot, hourly against lyzetam/fako-cluster.

CronJob `renovate-cronjob` (the `renovate/renovate` image below) reads its GitHub token
and host rules from two SOPS Secrets plus ConfigMap `renovate-configmap`; it pulls with
`dockerhub-registry`, which the legacy Job `create-docker-registry-secret` builds from
the SOPS `dockerhub-credentials` (script verbatim in files/). Nothing exposed or stored.

Its configuration is split as Renovate splits it. This unit holds the self-hosted (global)
options only, which a repository's config cannot set: the platform, no autodiscovery (the
repository is the one argument), the commit author, the token. What the bot does to the
repository (managers, the image and chart conventions of the Python, grouping, ignored
trees) is the root `renovate.json`, read from the repository on every run, the same file
a local `renovate --platform=local` reads (tests/test_renovate.py). The ConfigMap sets no
option of that file, so nothing here overrides it. The file is written for this bot's
major, 39 (`fileMatch`, `baseBranches`); Renovate 41 and later migrate those keys in
memory, so the file keeps working when Renovate's own PR bumps the image.
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
