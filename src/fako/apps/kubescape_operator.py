"""Kubescape: cluster security scanning (the upstream kubescape-operator chart, 1.x).

Not exposed. Runs in namespace `kubescape`: the chart scans configurations against the
NSA, MITRE and CIS frameworks on a schedule, scans images for CVEs (kubevuln), learns
network policies from the node agent's eBPF observations and exports Prometheus
metrics; its storage lives on nfs-csi-v2 claims the chart makes. The eBPF node agent
runs only on the amd64 workers. Besides the chart: a nightly reporter CronJob writing
summaries into the Obsidian vault, the Grafana dashboard, alert rules and the exporter's
ServiceMonitor. Reads obsidian/api from AWS; the reporter's Docker Hub pull secret is
made by the legacy kubectl Job from SOPS `dockerhub-credentials`.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.monitoring import PrometheusRule, PrometheusRuleSpec, ServiceMonitor, ServiceMonitorSpec
from fako.constructs.pods import env, env_from, pull_secrets, resources, secret_key
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.cron import cronjob
from fako.patterns.helm import HelmApp, HelmAppSpec
from fako.patterns.legacy_pull import LegacyPullSecret
from fako.patterns.namespace import AppNamespace
from fako.patterns.nodepools import CONTROL_PLANE, X86, avoid_hosts
from fako.patterns.rbac import grant, rule
from fako.patterns.shared_secrets import obsidian_api
from fako.tree import AppConstruct

LABELS = {"app.kubernetes.io/managed-by": "kustomize", "app.kubernetes.io/name": "kubescape-operator",
          "app.kubernetes.io/part-of": "security"}
REPORTER = "kubescape-reporter"
FRAMEWORKS = {"nsa": "0 */6 * * *", "mitre": "0 */6 * * *", "cis-v1.23-t1.0.1": "0 2 * * *"}
"""Framework scanned by the operator -> its cron schedule."""
DASHBOARD = "kubescape-vulnerabilities.json"
REPORTS = {"DETAILS_PREFIX": "Kubescape-Details", "FRAMEWORKS": ",".join(FRAMEWORKS), "LOG_LEVEL": "INFO",
           "OBSIDIAN_FOLDER": "Cluster/Security", "SUMMARY_PREFIX": "Kubescape-Summary"}
SPDX = ["configurationscansummaries", "vulnerabilitymanifestsummaries", "workloadconfigurationscans",
        "workloadconfigurationscansummaries"]
ALERTS = (  # (alert, expr, for, severity, summary, description)
    ("KubescapeVulnReportingDown", "absent(kubescape_vulnerabilities_total_cluster_critical)", "30m", "critical",
     "Kubescape vulnerability reporting is down",
     "kubescape_vulnerabilities_total_cluster_critical has been absent for 30m. The cluster is NOT CVE-free —"
     " the scanner or prometheus-exporter is broken and reporting has silently gone to zero. Check the kubescape"
     " namespace."),
    ("KubescapePrometheusExporterDown", 'up{job="prometheus-exporter", namespace="kubescape"} == 0', "15m",
     "warning", "Kubescape prometheus-exporter is not scrapeable",
     "Prometheus cannot scrape the kubescape exporter ({{ $labels.instance }}). Vulnerability metrics are stale."),
    ("KubescapeRelevantCriticalCVEsHigh", "kubescape_vulnerabilities_relevant_cluster_critical > 100", "1h",
     "warning", "{{ $value }} runtime-relevant critical CVEs in the cluster",
     "Kubescape reports {{ $value }} relevant (loaded-at-runtime) critical CVEs. See the \"Kubescape"
     " Vulnerabilities\" Grafana dashboard for the per-namespace breakdown and prioritize remediation."),
)


def _component(requests: tuple[str, str, str], limits: tuple[str, str, str]) -> dict[str, Any]:
    """A chart component's values: its `resources`, (cpu, memory, ephemeral-storage) requests and limits."""
    keys = ("cpu", "memory", "ephemeral-storage")
    return {"resources": {"limits": dict(zip(keys, limits, strict=True)),
                          "requests": dict(zip(keys, requests, strict=True))}}


VALUES: dict[str, Any] = {
    "capabilities": {"continuousScan": "enable", "networkPolicyService": "enable", "prometheusExporter": "enable"},
    "kubescapeCloud": {"enabled": False}, "networkPolicy": {"enabled": True, "scanInterval": "15m"},
    "prometheus": {"enabled": True}, "storage": {"enabled": True},
    "operator": _component(("100m", "256Mi", "1Gi"), ("500m", "512Mi", "2Gi")),
    "gateway": _component(("100m", "256Mi", "1Gi"), ("300m", "512Mi", "2Gi")),
    "kubevuln": _component(("100m", "512Mi", "5Gi"), ("1", "2Gi", "15Gi")),
    # The eBPF agent is x86-only (BTF): amd64 nodes, never the arm64 control plane or the (retired) Jetson.
    # `image.tag` is the chart's quay.io/kubescape/node-agent image; the chart names the repository.
    "nodeAgent": {"affinity": avoid_hosts(CONTROL_PLANE, "jetson01").to_dict(), "nodeSelector": X86, "image": {
        # renovate: datasource=docker depName=quay.io/kubescape/node-agent
        "tag": "v0.3.147"}},
    "persistence": {"accessMode": "ReadWriteOnce", "size": {"backingStorage": "20Gi", "kubevuln": "10Gi"},
                    "storageClass": "nfs-csi-v2"},
    "scanSchedule": {"frameworks": [{"cronTabSchedule": cron, "name": f} for f, cron in FRAMEWORKS.items()]},
}


class KubescapeOperator(AppConstruct):
    """The chart (HelmRepository + HelmRelease), the reporter CronJob with its RBAC and config,
    the pull-secret Job, the dashboard, alerts and ServiceMonitor; all labelled `security`."""

    name = "kubescape-operator"
    namespace = "kubescape"
    external = (("Secret", "dockerhub-registry"),)  # made at runtime by the legacy pull-secret Job

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(labels=LABELS))
        obsidian_api(store, labels=LABELS)
        LegacyPullSecret(self, labels=LABELS, verbs=("get", "create", "delete", "apply", "patch"))
        HelmApp(self, HelmAppSpec(name="kubescape-operator", chart="kubescape-operator",
                                  # renovate: datasource=helm depName=kubescape-operator registryUrl=https://kubescape.github.io/helm-charts
                                  version="1.x",
                                  url="https://kubescape.github.io/helm-charts", repo="kubescape", repo_interval="1h",
                                  timeout="15m", crds=None, labels=LABELS, values=VALUES))
        ConfigMap(self, "reporter-config", ConfigMapSpec(name=f"{REPORTER}-config", labels=LABELS, data=REPORTS))
        grant(self, account=REPORTER, role=REPORTER, labels=LABELS, rules=[
            rule("spdx.softwarecomposition.kubescape.io", SPDX, ["get", "list"]),
            rule("kubescape.io", ["generatednetworkpolicies"], ["get", "list"]),
            rule("", ["namespaces"], ["get", "list"])])
        reporter = k8s.Container(
            name="reporter", image="lzetam/kubescape-reporter:latest", image_pull_policy="Always",
            env=env({f"OBSIDIAN_{k.upper()}": secret_key("obsidian-api", k) for k in ("api_url", "api_key")}),
            env_from=env_from(config_maps=[f"{REPORTER}-config"]),
            resources=resources(cpu=("50m", "200m"), memory=("128Mi", "256Mi")))
        cronjob(self, REPORTER, "0 3 * * *", labels=LABELS, pod_labels={"app.kubernetes.io/name": REPORTER},
                ttl=None, restart_policy="OnFailure", containers=[reporter], service_account_name=REPORTER,
                image_pull_secrets=pull_secrets("dockerhub-registry"))
        ConfigMap(self, "dashboard", ConfigMapSpec(
            name="kubescape-vulnerabilities-dashboard", labels={**LABELS, "grafana_dashboard": "1"},
            annotations={"grafana_folder": "Security"}, data={DASHBOARD: read_file(__file__, DASHBOARD)}))
        rules = [{"alert": alert, "annotations": {"description": description, "summary": summary}, "expr": expr,
                  "for": wait, "labels": {"severity": severity}}
                 for alert, expr, wait, severity, summary, description in ALERTS]
        PrometheusRule(self, "alerts", PrometheusRuleSpec.model_validate({
            "name": "kubescape-vulnerability-alerts", "labels": {**LABELS, "release": "kube-prometheus-stack"},
            "groups": [{"name": "kubescape-vulnerabilities.rules", "rules": rules}]}))
        exporter = {"app.kubernetes.io/component": "prometheus-exporter"}
        ServiceMonitor(self, "exporter", ServiceMonitorSpec.model_validate({
            "name": "kubescape-prometheus-exporter", "labels": {**exporter, **LABELS},
            "selector": {"matchLabels": exporter},
            "endpoints": [{"interval": "60s", "path": "/metrics", "scheme": "http", "targetPort": 8080}]}))
