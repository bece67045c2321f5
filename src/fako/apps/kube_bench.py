"""kube-bench: nightly K3s CIS benchmark of the control plane, reported to the vault.

The scanner CronJob (02:00) runs aquasec/kube-bench privileged on a control-plane node
(hostPID, read-only host paths) and writes JSON results to a 5Gi NFS claim; the
reporter (02:30) turns the newest result into notes under `Cluster/Security` through the
Obsidian API. Not exposed. Reads the Obsidian API from AWS; the `dockerhub-registry`
pull secret is made by hand. A cluster-wide read-only ClusterRole backs both jobs.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import env, mount, pull_secrets, pvc_volume, resources, secret_key
from fako.constructs.rbac import (
    ClusterRole,
    ClusterRoleBinding,
    RoleBindingSpec,
    RoleSpec,
    ServiceAccount,
    ServiceAccountSpec,
)
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import cronjob
from fako.patterns.namespace import AppNamespace
from fako.patterns.shared_secrets import obsidian_api
from fako.patterns.storage import claim
from fako.tree import AppConstruct

NAME = "kube-bench"
LABELS = {
    "app.kubernetes.io/managed-by": "kustomize",
    "app.kubernetes.io/name": NAME,
    "app.kubernetes.io/part-of": "security",
}
READ = {
    "": ["pods", "nodes", "services", "configmaps", "secrets"],
    "apps": ["deployments", "daemonsets", "replicasets", "statefulsets"],
    "batch": ["jobs", "cronjobs"],
    "networking.k8s.io": ["networkpolicies"],
    "policy": ["podsecuritypolicies"],
    "rbac.authorization.k8s.io": ["roles", "rolebindings", "clusterroles", "clusterrolebindings"],
}
HOST_PATHS = {
    "var-lib-rancher": "/var/lib/rancher",
    "etc-rancher": "/etc/rancher",
    "var-lib-kubelet": "/var/lib/kubelet",
    "etc-cni-netd": "/etc/cni/net.d/",
    "opt-cni-bin": "/opt/cni/bin/",
    "etc-systemd": "/etc/systemd",
    "proc": "/proc",
}
RESULTS = [mount("results-storage", "/results")]
CONTROL_PLANE = [
    k8s.Toleration(effect="NoSchedule", key=f"node-role.kubernetes.io/{role}", operator="Exists")
    for role in ("control-plane", "master")
]


def _host(name: str, path: str) -> k8s.Volume:
    kind = "" if name == "proc" else "DirectoryOrCreate"
    return k8s.Volume(name=name, host_path=k8s.HostPathVolumeSource(path=path, type=kind))


class KubeBench(AppConstruct):
    """Scanner and reporter CronJobs, the results claim, RBAC and the Obsidian secret."""

    name = NAME
    external = (("Secret", "dockerhub-registry"),)

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        ServiceAccount(self, "sa", ServiceAccountSpec(name=NAME, labels=LABELS))
        ClusterRole(
            self,
            "role",
            RoleSpec(
                name=NAME,
                labels=LABELS,
                rules=[
                    k8s.PolicyRule(api_groups=[group], resources=kinds, verbs=["get", "list"])
                    for group, kinds in READ.items()
                ],
            ),
        )
        ClusterRoleBinding(
            self,
            "binding",
            RoleBindingSpec(
                name=NAME,
                labels=LABELS,
                role_ref=k8s.RoleRef(api_group="rbac.authorization.k8s.io", kind="ClusterRole", name=NAME),
                subjects=[k8s.Subject(kind="ServiceAccount", name=NAME, namespace=NAME)],
            ),
        )
        config = {
            "DETAILS_PREFIX": "Kube-Bench-Details",
            "LOG_LEVEL": "INFO",
            "OBSIDIAN_FOLDER": "Cluster/Security",
            "RESULTS_DIR": "/results",
            "SUMMARY_PREFIX": "Kube-Bench-Summary",
        }
        ConfigMap(self, "config", ConfigMapSpec(name="kube-bench-reporter-config", labels=LABELS, data=config))
        claim(self, "kube-bench-results", "5Gi", labels=LABELS)
        cronjob(
            self,
            "kube-bench-reporter",
            "30 2 * * *",
            pod_labels={"app.kubernetes.io/name": "kube-bench-reporter"},
            labels=LABELS,
            ttl=None,
            restart_policy="OnFailure",
            service_account_name=NAME,
            image_pull_secrets=pull_secrets("dockerhub-registry"),
            containers=[
                k8s.Container(
                    name="reporter",
                    image="lzetam/kube-bench-reporter:latest",
                    image_pull_policy="Always",
                    env=env(
                        {
                            "OBSIDIAN_API_URL": secret_key("obsidian-api", "api_url"),
                            "OBSIDIAN_API_KEY": secret_key("obsidian-api", "api_key"),
                        }
                    ),
                    env_from=[
                        k8s.EnvFromSource.model_validate({"configMapRef": {"name": "kube-bench-reporter-config"}})
                    ],
                    resources=resources({"cpu": "50m", "memory": "128Mi"}, {"cpu": "200m", "memory": "256Mi"}),
                    volume_mounts=[mount("results-storage", "/results", read_only=True)],
                )
            ],
            volumes=[pvc_volume("results-storage", "kube-bench-results")],
        )
        cronjob(
            self,
            "kube-bench-scanner",
            "0 2 * * *",
            pod_labels={"app.kubernetes.io/name": NAME},
            labels=LABELS,
            ttl=None,
            restart_policy="OnFailure",
            service_account_name=NAME,
            image_pull_secrets=pull_secrets("dockerhub-registry"),
            host_pid=True,
            node_selector={"kubernetes.io/os": "linux", "node-role.kubernetes.io/control-plane": "true"},
            tolerations=CONTROL_PLANE,
            containers=[
                k8s.Container(
                    name=NAME,
                    image="aquasec/kube-bench:v0.15.6",
                    command=["/bin/sh", "-c", read_file(__file__, "scan.sh")],
                    resources=resources({"cpu": "100m", "memory": "256Mi"}, {"cpu": "500m", "memory": "512Mi"}),
                    security_context=k8s.SecurityContext(privileged=True),
                    volume_mounts=[mount(n, p, read_only=True) for n, p in HOST_PATHS.items()] + RESULTS,
                ),
                k8s.Container(
                    name="results-processor",
                    image="busybox:1.37.0",
                    command=["/bin/sh", "-c", read_file(__file__, "process-results.sh")],
                    resources=resources({"cpu": "50m", "memory": "64Mi"}, {"cpu": "100m", "memory": "128Mi"}),
                    volume_mounts=RESULTS,
                ),
            ],
            volumes=[_host(n, p) for n, p in HOST_PATHS.items()]
            + [pvc_volume("results-storage", "kube-bench-results")],
        )
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(labels=LABELS))
        obsidian_api(store, labels=LABELS)
