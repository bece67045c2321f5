"""kube-bench: nightly K3s CIS benchmark of the control plane, reported to the vault.

The scanner CronJob (02:00) runs aquasec/kube-bench privileged on a control-plane node
(hostPID, read-only host paths) and writes JSON results to a 5Gi NFS claim; the
reporter (02:30) turns the newest result into notes under `Cluster/Security` through the
Obsidian API. Not exposed. Reads the Obsidian API from AWS; the `dockerhub-registry`
pull secret is made by hand. A cluster-wide read-only ClusterRole backs both jobs.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.pods import env, env_from, mount, pull_secrets, pvc_volume, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import cronjob
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import grant, rule
from fako.patterns.shared_secrets import obsidian_api
from fako.patterns.storage import claim
from fako.tree import AppConstruct

NAME = "kube-bench"
LABELS = {"app.kubernetes.io/managed-by": "kustomize", "app.kubernetes.io/name": NAME,
          "app.kubernetes.io/part-of": "security"}
READ = {  # get/list on everything the CIS checks look at
    "": ["pods", "nodes", "services", "configmaps", "secrets"],
    "apps": ["deployments", "daemonsets", "replicasets", "statefulsets"],
    "batch": ["jobs", "cronjobs"],
    "networking.k8s.io": ["networkpolicies"],
    "policy": ["podsecuritypolicies"],
    "rbac.authorization.k8s.io": ["roles", "rolebindings", "clusterroles", "clusterrolebindings"],
}
HOST_PATHS = {  # mounted read-only into the scanner
    "var-lib-rancher": "/var/lib/rancher", "etc-rancher": "/etc/rancher", "var-lib-kubelet": "/var/lib/kubelet",
    "etc-cni-netd": "/etc/cni/net.d/", "opt-cni-bin": "/opt/cni/bin/", "etc-systemd": "/etc/systemd", "proc": "/proc",
}
REPORTER_CONFIG = {
    "DETAILS_PREFIX": "Kube-Bench-Details", "LOG_LEVEL": "INFO", "OBSIDIAN_FOLDER": "Cluster/Security",
    "RESULTS_DIR": "/results", "SUMMARY_PREFIX": "Kube-Bench-Summary",
}
RESULTS = [mount("results-storage", "/results")]
CONTROL_PLANE = [k8s.Toleration(effect="NoSchedule", key=f"node-role.kubernetes.io/{role}", operator="Exists")
                 for role in ("control-plane", "master")]


def _host(name: str, path: str) -> k8s.Volume:
    """A hostPath volume (DirectoryOrCreate, but untyped for /proc)."""
    kind = "" if name == "proc" else "DirectoryOrCreate"
    return k8s.Volume(name=name, host_path=k8s.HostPathVolumeSource(path=path, type=kind))


def _sh(name: str, script: str, *, image: str, **fields: Any) -> k8s.Container:
    """A container running `files/kube_bench/<script>` with /bin/sh."""
    return k8s.Container(name=name, image=image, command=["/bin/sh", "-c", read_file(__file__, script)], **fields)


class KubeBench(AppConstruct):
    """Scanner and reporter CronJobs, the results claim, RBAC and the Obsidian secret."""

    name = NAME
    external = (("Secret", "dockerhub-registry"),)

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        grant(self, account=NAME, role=NAME, labels=LABELS,
              rules=[rule(group, kinds, ["get", "list"]) for group, kinds in READ.items()])
        ConfigMap(self, "config", ConfigMapSpec(name="kube-bench-reporter-config", labels=LABELS, data=REPORTER_CONFIG))
        claim(self, "kube-bench-results", "5Gi", labels=LABELS)
        jobs: dict[str, Any] = {  # both CronJobs: no TTL, retried in place, the cluster-reader account
            "labels": LABELS, "ttl": None, "restart_policy": "OnFailure", "service_account_name": NAME,
            "image_pull_secrets": pull_secrets("dockerhub-registry"),
        }
        results = pvc_volume("results-storage", "kube-bench-results")
        reporter = k8s.Container(
            name="reporter", image="lzetam/kube-bench-reporter:latest", image_pull_policy="Always",
            env=env({"OBSIDIAN_API_URL": secret_key("obsidian-api", "api_url"),
                     "OBSIDIAN_API_KEY": secret_key("obsidian-api", "api_key")}),
            env_from=env_from(config_maps=["kube-bench-reporter-config"]),
            resources=resources(cpu=("50m", "200m"), memory=("128Mi", "256Mi")),
            volume_mounts=[mount("results-storage", "/results", read_only=True)])
        cronjob(self, "kube-bench-reporter", "30 2 * * *", pod_labels={"app.kubernetes.io/name": "kube-bench-reporter"},
                containers=[reporter], volumes=[results], **jobs)
        scanner = _sh(NAME, "scan.sh", image="aquasec/kube-bench:v0.15.6",
                      resources=resources(cpu=("100m", "500m"), memory=("256Mi", "512Mi")),
                      security_context=k8s.SecurityContext(privileged=True),
                      volume_mounts=[mount(n, p, read_only=True) for n, p in HOST_PATHS.items()] + RESULTS)
        processor = _sh("results-processor", "process-results.sh", image="busybox:1.37.0", volume_mounts=RESULTS,
                        resources=resources(cpu=("50m", "100m"), memory=("64Mi", "128Mi")))
        cronjob(self, "kube-bench-scanner", "0 2 * * *", pod_labels={"app.kubernetes.io/name": NAME}, host_pid=True,
                node_selector={"kubernetes.io/os": "linux", "node-role.kubernetes.io/control-plane": "true"},
                tolerations=CONTROL_PLANE, containers=[scanner, processor],
                volumes=[_host(n, p) for n, p in HOST_PATHS.items()] + [results], **jobs)
        obsidian_api(AwsSecretStore(self, spec=AwsSecretStoreSpec(labels=LABELS)), labels=LABELS)
