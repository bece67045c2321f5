"""Housekeeping: hourly cleanup of Succeeded/Failed pods in every namespace.

A CronJob runs kubectl with a cluster-wide ServiceAccount (list/get/delete pods, list
namespaces) and a bash script from a ConfigMap. Not exposed, stores nothing; its AWS
store only feeds the Docker Hub pull secret.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import config_volume, mount
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule
from fako.tree import AppConstruct

NAME = "housekeeping"


class Housekeeping(AppConstruct):
    """ServiceAccount with cluster pod-deletion rights, the script and its CronJob."""

    name = NAME

    def build(self) -> None:
        AppNamespace(self, labels={"name": NAME})
        grant(self, account=NAME, role=NAME,
              rules=[rule("", ["pods"], ["list", "get", "delete"]), rule("", ["namespaces"], ["list", "get"])])
        script = {"cleanup.sh": read_file(__file__, "cleanup.sh")}
        ConfigMap(self, "script", ConfigMapSpec(name="housekeeping-script", data=script))
        cronjob(
            self, NAME, "0 * * * *", pod_labels={"app": NAME}, ttl=3600, restart_policy="OnFailure",
            service_account_name=NAME,
            containers=[k8s.Container(
                name=NAME, image="bitnamilegacy/kubectl:1.33.4",
                command=["/bin/bash", "-c", read_file(__file__, "run.sh")],
                volume_mounts=[mount("scripts", "/scripts", read_only=True)])],
            volumes=[config_volume("scripts", "housekeeping-script", default_mode=493)],
        )
        dockerhub_pull_secret(AwsSecretStore(self))
