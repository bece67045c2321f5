"""`Inventory`: what exists once the render is applied, for reference checks to look up.

An object exists when it is rendered, when a rendered object makes the cluster create
it (an ExternalSecret's target, a cert-manager TLS secret, a StatefulSet's claims), when
Kubernetes creates it in every cluster (`default` ServiceAccount, `kube-root-ca.crt`),
or when the cluster facts declare it external.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fako.rendered import RenderedObject
from fako.validation.facts import ClusterFacts
from fako.validation.pods import mapping, pod_templates, sequence

__all__ = ["CLUSTER_SCOPED", "Inventory", "Key", "group_of"]

Key = tuple[str, str, str]
"""(kind, namespace, name); namespace is "" for cluster-scoped kinds."""

_TRACKED: dict[tuple[str, str], str] = {
    **{
        ("", k): k
        for k in (
            "Secret",
            "ConfigMap",
            "PersistentVolumeClaim",
            "PersistentVolume",
            "ServiceAccount",
            "Service",
            "Namespace",
        )
    },
    ("storage.k8s.io", "StorageClass"): "StorageClass",
    ("scheduling.k8s.io", "PriorityClass"): "PriorityClass",
    ("node.k8s.io", "RuntimeClass"): "RuntimeClass",
    ("networking.k8s.io", "IngressClass"): "IngressClass",
    ("rbac.authorization.k8s.io", "Role"): "Role",
    ("rbac.authorization.k8s.io", "ClusterRole"): "ClusterRole",
    ("external-secrets.io", "SecretStore"): "SecretStore",
    ("external-secrets.io", "ClusterSecretStore"): "ClusterSecretStore",
    ("cert-manager.io", "ClusterIssuer"): "ClusterIssuer",
    ("cert-manager.io", "Issuer"): "Issuer",
    ("traefik.io", "Middleware"): "Middleware",
    ("kustomize.toolkit.fluxcd.io", "Kustomization"): "Kustomization",
    ("helm.toolkit.fluxcd.io", "HelmRelease"): "HelmRelease",
    **{("source.toolkit.fluxcd.io", k): k for k in ("HelmRepository", "GitRepository", "OCIRepository", "Bucket")},
}

CLUSTER_SCOPED = frozenset(
    {
        "Namespace",
        "PersistentVolume",
        "StorageClass",
        "PriorityClass",
        "RuntimeClass",
        "IngressClass",
        "ClusterRole",
        "ClusterSecretStore",
        "ClusterIssuer",
    }
)

_BUILTIN_NAMESPACES = ("default", "kube-system", "kube-public", "kube-node-lease")
_BUILTIN_CLUSTER_ROLES = ("cluster-admin", "admin", "edit", "view")
_CERT_MANAGER_ANNOTATIONS = ("cert-manager.io/cluster-issuer", "cert-manager.io/issuer")


def group_of(manifest: dict[str, Any]) -> str:
    """The API group of a manifest ("" for the core group)."""
    return str(manifest.get("apiVersion", "")).rpartition("/")[0]


class Inventory:
    """Every object that will exist, by (kind, namespace, name), plus lookups for checks.

    `creators` maps each Secret that a rendered object makes the cluster create to the
    objects that create it (more than one is an ownership conflict).
    """

    def __init__(self, objects: Sequence[RenderedObject], facts: ClusterFacts) -> None:
        self.rendered: dict[Key, RenderedObject] = {}
        self.implied: dict[Key, str] = {}
        self.creators: dict[Key, list[tuple[RenderedObject, str]]] = {}
        self.external: frozenset[Key] = facts.external
        self.service_ports: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.pod_labels: dict[str, list[dict[str, Any]]] = {}
        self._order: dict[tuple[str, str], list[str]] = {}
        for obj in objects:
            self._add(obj)
        for ns in _BUILTIN_NAMESPACES:
            self._imply(("Namespace", "", ns), "built in")
        for role in _BUILTIN_CLUSTER_ROLES:
            self._imply(("ClusterRole", "", role), "built in")
        for kind, ns, name in sorted(facts.external):
            self._remember(kind, ns, name)

    @staticmethod
    def key(kind: str, namespace: str, name: str) -> Key:
        return (kind, "" if kind in CLUSTER_SCOPED else namespace, name)

    def exists(self, kind: str, namespace: str, name: str) -> bool:
        key = self.key(kind, namespace, name)
        if key in self.rendered or key in self.implied or key in self.external:
            return True
        if kind == "ServiceAccount" and name == "default":
            return True
        if kind == "ConfigMap" and name == "kube-root-ca.crt":
            return True
        return kind == "ClusterRole" and name.startswith("system:")

    def names(self, kind: str, namespace: str = "") -> list[str]:
        """Names of `kind` that exist in `namespace`, in the order they were first seen."""
        ns = "" if kind in CLUSTER_SCOPED else namespace
        return list(self._order.get((kind, ns), ()))

    def _remember(self, kind: str, namespace: str, name: str) -> None:
        names = self._order.setdefault((kind, "" if kind in CLUSTER_SCOPED else namespace), [])
        if name not in names:
            names.append(name)

    def _imply(self, key: Key, why: str) -> None:
        self.implied.setdefault(key, why)
        self._remember(*key)

    def _create(self, key: Key, creator: RenderedObject, how: str) -> None:
        self.creators.setdefault(key, []).append((creator, how))
        self._imply(key, how)

    def _add(self, obj: RenderedObject) -> None:
        manifest = obj.manifest
        kind = _TRACKED.get((group_of(manifest), obj.kind))
        ns = obj.namespace
        if kind is not None:
            key = self.key(kind, ns, obj.name)
            first = key not in self.rendered
            self.rendered.setdefault(key, obj)
            self._remember(*key)
            if kind == "Secret" and first:
                how = "SOPS Secret" if obj.is_sops else "Secret"
                self.creators.setdefault(key, []).append((obj, f"{how} {ns}/{obj.name}"))
            elif kind == "Service":
                ports = [p for p in sequence(mapping(manifest.get("spec")).get("ports")) if isinstance(p, dict)]
                self.service_ports[(ns, obj.name)] = ports
        spec = mapping(manifest.get("spec"))
        group = group_of(manifest)
        if group == "external-secrets.io" and obj.kind == "ExternalSecret":
            target = mapping(spec.get("target"))
            if target.get("creationPolicy", "Owner") in ("Owner", "Orphan"):
                name = str(target.get("name") or obj.name)
                self._create(("Secret", ns, name), obj, f"ExternalSecret {ns}/{obj.name}")
        elif group == "cert-manager.io" and obj.kind == "Certificate" and spec.get("secretName"):
            self._create(("Secret", ns, str(spec["secretName"])), obj, f"Certificate {ns}/{obj.name}")
        elif group == "networking.k8s.io" and obj.kind == "Ingress":
            annotations = mapping(mapping(manifest.get("metadata")).get("annotations"))
            if any(a in annotations for a in _CERT_MANAGER_ANNOTATIONS):
                for tls in sequence(spec.get("tls")):
                    if mapping(tls).get("secretName"):
                        name = str(tls["secretName"])
                        self._imply(("Secret", ns, name), f"cert-manager for Ingress {ns}/{obj.name}")
        elif group == "apps" and obj.kind == "StatefulSet":
            replicas = spec.get("replicas", 1)
            count = replicas if isinstance(replicas, int) and 0 < replicas < 1000 else 1
            for claim in sequence(spec.get("volumeClaimTemplates")):
                claim_name = mapping(mapping(claim).get("metadata")).get("name")
                for i in range(count):
                    key = ("PersistentVolumeClaim", ns, f"{claim_name}-{obj.name}-{i}")
                    self._imply(key, f"StatefulSet {ns}/{obj.name}")
        for template in pod_templates(obj):
            self.pod_labels.setdefault(ns, []).append(template.labels)
