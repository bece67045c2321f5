"""Headlamp: the Kubernetes web dashboard (with the Kubescape plugin).

One Deployment (plugin copied in by an init container) behind a ClusterIP Service,
exposed at headlamp.landryzetam.net through traefik. Stores nothing, reads no secrets.
RBAC: the `headlamp` SA reads the whole cluster; the `headlamp-admin` SA in kube-system
(login token Secret) reads everything too and may change workloads in the 26
namespaces listed in `ADMIN_NAMESPACES` (a hand-kept list, not every namespace).
"""

from __future__ import annotations

from fako import k8s
from fako.constructs import rbac
from fako.constructs.pods import empty_dir, http_probe, mount, resources
from fako.constructs.secret import ServiceAccountToken, ServiceAccountTokenSpec
from fako.patterns.ingress import ingress
from fako.patterns.namespace import AppNamespace
from fako.patterns.rbac import bind, rule
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {
    "app.kubernetes.io/managed-by": "kustomize", "app.kubernetes.io/name": "headlamp",
    "app.kubernetes.io/part-of": "dashboard",
}
SELECT = {"app.kubernetes.io/instance": "headlamp", "app.kubernetes.io/name": "headlamp"}
ADMIN = "headlamp-admin"
WATCH = ["get", "list", "watch"]
WRITE = ["create", "update", "patch", "delete"]
CORE_READ = ["pods", "services", "endpoints", "persistentvolumeclaims", "persistentvolumes", "configmaps", "namespaces",
             "nodes", "events", "serviceaccounts", "replicationcontrollers", "resourcequotas", "limitranges"]
READ_RULES: list[tuple[str, list[str], list[str]]] = [
    ("", CORE_READ, WATCH),
    ("", ["pods/log"], ["get"]),
    ("", ["pods/status", "services/status", "namespaces/status"], ["get"]),
    ("apps", ["deployments", "daemonsets", "replicasets", "statefulsets", "controllerrevisions"], WATCH),
    ("batch", ["jobs", "cronjobs"], WATCH),
    ("networking.k8s.io", ["ingresses", "networkpolicies", "ingressclasses"], WATCH),
    ("storage.k8s.io", ["storageclasses", "volumeattachments", "csidrivers", "csinodes"], WATCH),
    ("rbac.authorization.k8s.io", ["roles", "rolebindings", "clusterroles", "clusterrolebindings"], WATCH),
    ("policy", ["poddisruptionbudgets"], WATCH),
    ("autoscaling", ["horizontalpodautoscalers"], WATCH),
    ("apiregistration.k8s.io", ["apiservices"], WATCH),
    ("admissionregistration.k8s.io", ["validatingwebhookconfigurations", "mutatingwebhookconfigurations"], WATCH),
    ("metrics.k8s.io", ["pods", "nodes"], ["get", "list"]),
    ("spdx.softwarecomposition.kubescape.io", ["*"], WATCH),
    ("core.kubescape.io", ["*"], WATCH),
]
ADMIN_RULES: list[tuple[str, list[str], list[str]]] = [
    ("apps", ["deployments", "daemonsets", "statefulsets", "replicasets"], [*WRITE, "deletecollection"]),
    ("batch", ["jobs", "cronjobs"], [*WRITE, "deletecollection"]),
    ("", ["pods", "services", "configmaps", "persistentvolumeclaims", "events"], [*WRITE, "deletecollection"]),
    ("", ["pods/exec", "pods/portforward"], ["create"]),
    ("networking.k8s.io", ["ingresses", "networkpolicies"], WRITE),
    ("autoscaling", ["horizontalpodautoscalers"], WRITE),
]
ADMIN_NAMESPACES = [
    "ai-mastery-path", "ai-news", "autobots", "blog", "cloudflare-tunnel", "family-manager", "fieldy-webhook",
    "langfuse", "lztechnology", "market-replay", "meal-tracker", "n8n", "ollama-webui", "open-webui", "oura-agent",
    "oura-collector", "pgadmin", "postgres-recovery", "security-scanning", "sermon-engine", "sftp-server", "thornus",
    "umami", "unifi-clients", "voice-ingest", "zeroed",
]
"""Namespaces where `headlamp-admin` may change workloads (RoleBinding to its ClusterRole)."""


class Headlamp(AppConstruct):
    """Dashboard Deployment, Service, Ingress and its cluster-wide and per-namespace RBAC."""

    name = "headlamp"

    def build(self) -> None:
        AppNamespace(self, labels=LABELS)
        rbac.ServiceAccount(self, "sa", rbac.ServiceAccountSpec(name="headlamp", labels=LABELS))
        rbac.ServiceAccount(self, "admin-sa",
                            rbac.ServiceAccountSpec(name=ADMIN, namespace="kube-system", labels=LABELS))
        for name, rules in (("headlamp", READ_RULES), (ADMIN, ADMIN_RULES)):
            policy = [rule(*r) for r in rules]
            rbac.ClusterRole(self, f"role-{name}", rbac.RoleSpec(name=name, labels=LABELS, rules=policy))
        for ns in ADMIN_NAMESPACES:  # RoleBindings to the admin ClusterRole
            bind(self, ADMIN, role=ADMIN, account=ADMIN, account_namespace="kube-system", labels=LABELS, cluster=False,
                 role_kind="ClusterRole", namespace=ns)
        bind(self, "headlamp", role="headlamp", account="headlamp", labels=LABELS)
        bind(self, "headlamp-admin-read", role="headlamp", account=ADMIN, account_namespace="kube-system",
             labels=LABELS)
        ServiceAccountToken(self, "admin-token", ServiceAccountTokenSpec(
            name="headlamp-admin-token", namespace="kube-system", labels=LABELS, service_account=ADMIN))
        service(self, "headlamp", selector=SELECT, labels={**SELECT, **LABELS}, ports=[port("http", 80, 4466)])
        plugins = [mount("headlamp-plugins", "/build/plugins")]
        deployment(
            self, "headlamp", selector=SELECT, labels=LABELS, service_account_name="headlamp",
            init_containers=[k8s.Container(
                name="kubescape-plugin", image="ghcr.io/kubebeam/kubescape-headlamp-plugin:v0.6.0",
                command=["/bin/sh", "-c", "mkdir -p /build/plugins && cp -r /plugins/* /build/plugins/"],
                volume_mounts=plugins)],
            containers=[k8s.Container(
                name="headlamp", image="ghcr.io/headlamp-k8s/headlamp:v0.43.0", image_pull_policy="IfNotPresent",
                args=["-in-cluster", "-plugins-dir=/build/plugins"],
                liveness_probe=http_probe("/", "http", delay=30, timeout=30),
                ports=[k8s.ContainerPort(container_port=4466, name="http", protocol="TCP")],
                resources=resources(cpu=("50m", "300m"), memory=("64Mi", "256Mi")), volume_mounts=plugins)],
            volumes=[empty_dir("headlamp-plugins")],
        )
        ingress(
            self, "headlamp", hosts=["headlamp.landryzetam.net"], service="headlamp", port=80, issuer=None,
            tls_secret="headlamp-tls", labels=LABELS, annotations={
                "traefik.ingress.kubernetes.io/router.entrypoints": "websecure",
                "traefik.ingress.kubernetes.io/router.tls": "true"})
