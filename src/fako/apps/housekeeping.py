"""Housekeeping: hourly cleanup of Succeeded/Failed pods in every namespace.

A CronJob runs kubectl with a cluster-wide ServiceAccount (list/get/delete pods, list
namespaces) and a bash script from a ConfigMap. Not exposed, stores nothing; its AWS
store only feeds the Docker Hub pull secret.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs import rbac
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import mount
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cron import cronjob
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

NAME = "housekeeping"


class Housekeeping(AppConstruct):
    """ServiceAccount with cluster pod-deletion rights, the script and its CronJob."""

    name = NAME

    def build(self) -> None:
        AppNamespace(self, labels={"name": NAME})
        rbac.ServiceAccount(self, "sa", rbac.ServiceAccountSpec(name=NAME))
        rbac.ClusterRole(self, "role", rbac.RoleSpec(name=NAME, rules=[
            k8s.PolicyRule(api_groups=[""], resources=["pods"], verbs=["list", "get", "delete"]),
            k8s.PolicyRule(api_groups=[""], resources=["namespaces"], verbs=["list", "get"])]))
        rbac.ClusterRoleBinding(self, "binding", rbac.RoleBindingSpec(
            name=NAME, role_ref=k8s.RoleRef(api_group="rbac.authorization.k8s.io", kind="ClusterRole", name=NAME),
            subjects=[k8s.Subject(kind="ServiceAccount", name=NAME, namespace=NAME)]))
        script = {"cleanup.sh": read_file(__file__, "cleanup.sh")}
        ConfigMap(self, "script", ConfigMapSpec(name="housekeeping-script", data=script))
        cronjob(
            self, NAME, "0 * * * *", pod_labels={"app": NAME}, ttl=3600, restart_policy="OnFailure",
            service_account_name=NAME,
            containers=[k8s.Container(
                name=NAME, image="bitnamilegacy/kubectl:1.33.4",
                command=["/bin/bash", "-c", read_file(__file__, "run.sh")],
                volume_mounts=[mount("scripts", "/scripts", read_only=True)])],
            volumes=[k8s.Volume(name="scripts",
                                config_map=k8s.ConfigMapVolumeSource(default_mode=493, name="housekeeping-script"))],
        )
        dockerhub_pull_secret(AwsSecretStore(self))
