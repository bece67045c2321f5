"""`Inventory`: what exists once the render is applied, for reference checks to look up.

An object exists when it is rendered, when a rendered object makes the cluster create
it (an ExternalSecret's target, a StatefulSet's claims, a cert-manager TLS secret when
the Certificate's or Ingress's issuer exists), when Kubernetes creates it in every
cluster (`default` ServiceAccount, `kube-root-ca.crt`), or when the cluster facts
declare it external. `keys()` says which data keys a Secret or ConfigMap will hold,
when that can be known from the render.
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
    **{("apps", k): k for k in ("Deployment", "StatefulSet", "ReplicaSet")},
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
    **{
        ("source.toolkit.fluxcd.io", k): k
        for k in ("HelmRepository", "GitRepository", "OCIRepository", "Bucket", "HelmChart")
    },
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
_TLS_KEYS = frozenset({"tls.crt", "tls.key", "ca.crt"})
"""What cert-manager writes into a certificate's Secret (docs: cert-manager.io/docs/usage/certificate)."""
_TOKEN_KEYS = frozenset({"token", "ca.crt", "namespace"})
"""What the token controller adds to a `kubernetes.io/service-account-token` Secret."""
_ISSUER_KINDS = {"cert-manager.io/cluster-issuer": "ClusterIssuer", "cert-manager.io/issuer": "Issuer"}
_BUILTIN_CLUSTER_ROLES = ("cluster-admin", "admin", "edit", "view")


def group_of(manifest: dict[str, Any]) -> str:
    """The API group of a manifest ("" for the core group)."""
    return str(manifest.get("apiVersion", "")).rpartition("/")[0]


class Inventory:
    """Every object that will exist, by (kind, namespace, name), plus lookups for checks.

    `creators` maps each Secret that a rendered object makes the cluster create to the
    objects that create it (more than one is an ownership conflict). `unissued` holds the
    TLS Secrets a Certificate or an Ingress asks cert-manager for from an issuer that
    does not exist: they are never made, so they do not exist here.
    """

    def __init__(self, objects: Sequence[RenderedObject], facts: ClusterFacts) -> None:
        self.rendered: dict[Key, RenderedObject] = {}
        self.implied: dict[Key, str] = {}
        self.creators: dict[Key, list[tuple[RenderedObject, str]]] = {}
        self.external: frozenset[Key] = facts.external
        self.service_ports: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.service_labels: dict[tuple[str, str], dict[str, Any]] = {}
        self.pod_labels: dict[str, list[dict[str, Any]]] = {}
        self.unissued: dict[Key, str] = {}
        self._order: dict[tuple[str, str], list[str]] = {}
        self._keys: dict[Key, set[str] | None] = {}
        self._certificates: list[tuple[Key, RenderedObject, str, Key]] = []
        for obj in objects:
            self._add(obj)
        for ns in _BUILTIN_NAMESPACES:
            self._imply(("Namespace", "", ns), "built in")
        for role in _BUILTIN_CLUSTER_ROLES:
            self._imply(("ClusterRole", "", role), "built in")
        for kind, ns, name in sorted(facts.external):
            self._remember(kind, ns, name)
        self._issue_certificates()

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

    def keys(self, kind: str, namespace: str, name: str) -> frozenset[str] | None:
        """The data keys Secret or ConfigMap `namespace/name` will hold; None when unknown
        (it does not exist, is external, or a source's keys cannot be read from the
        render: an ExternalSecret's `dataFrom`, a `templateFrom`)."""
        key = self.key(kind, namespace, name)
        if key in self.external:
            return None
        if kind == "ConfigMap" and name == "kube-root-ca.crt" and key not in self.rendered:
            return frozenset({"ca.crt"})
        found = self._keys.get(key)
        return None if found is None else frozenset(found)

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

    def _add_keys(self, key: Key, keys: set[str] | frozenset[str] | None) -> None:
        """Record that a source puts `keys` into `key` (None: keys it cannot tell)."""
        if keys is None or (key in self._keys and self._keys[key] is None):
            self._keys[key] = None
            return
        known = self._keys.setdefault(key, set())
        if known is not None:
            known.update(keys)

    def _issue_certificates(self) -> None:
        """TLS Secrets exist when their issuer does; the others go to `unissued`."""
        for key, creator, how, (kind, ns, name) in self._certificates:
            if self.exists(kind, ns, name):
                if creator.kind == "Certificate":
                    self._create(key, creator, how)
                else:
                    self._imply(key, how)
                self._add_keys(key, _TLS_KEYS)
            else:
                where = f" in namespace '{ns}'" if ns else ""
                self.unissued.setdefault(key, f"{how} asks {kind} '{name}' for it, which does not exist{where}")

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
                self._add_keys(key, _data_keys(manifest, "data", "stringData"))
                if manifest.get("type") == "kubernetes.io/service-account-token":
                    self._add_keys(key, _TOKEN_KEYS)
            elif kind == "ConfigMap" and first:
                self._add_keys(key, _data_keys(manifest, "data", "binaryData"))
            elif kind == "Service":
                ports = [p for p in sequence(mapping(manifest.get("spec")).get("ports")) if isinstance(p, dict)]
                self.service_ports[(ns, obj.name)] = ports
                self.service_labels[(ns, obj.name)] = mapping(mapping(manifest.get("metadata")).get("labels"))
        spec = mapping(manifest.get("spec"))
        group = group_of(manifest)
        if group == "external-secrets.io" and obj.kind == "ExternalSecret":
            target = mapping(spec.get("target"))
            policy = target.get("creationPolicy", "Owner")
            key = ("Secret", ns, str(target.get("name") or obj.name))
            if policy in ("Owner", "Orphan"):
                self._create(key, obj, f"ExternalSecret {ns}/{obj.name}")
            if policy in ("Owner", "Orphan", "Merge"):
                self._add_keys(key, _external_secret_keys(spec))
        elif group == "cert-manager.io" and obj.kind == "Certificate" and spec.get("secretName"):
            issuer = mapping(spec.get("issuerRef"))
            if str(issuer.get("group") or "cert-manager.io") == "cert-manager.io" and issuer.get("name"):
                kind = str(issuer.get("kind") or "Issuer")
                wanted = self.key(kind, ns, str(issuer["name"]))
                secret = ("Secret", ns, str(spec["secretName"]))
                self._certificates.append((secret, obj, f"Certificate {ns}/{obj.name}", wanted))
            else:  # an external issuer (another API group): assume it issues
                self._create(("Secret", ns, str(spec["secretName"])), obj, f"Certificate {ns}/{obj.name}")
        elif group == "networking.k8s.io" and obj.kind == "Ingress":
            annotations = mapping(mapping(manifest.get("metadata")).get("annotations"))
            issuers = [(kind, str(annotations[a])) for a, kind in _ISSUER_KINDS.items() if annotations.get(a)]
            for tls in sequence(spec.get("tls")) if issuers else ():
                if mapping(tls).get("secretName"):
                    kind, name = issuers[0]
                    secret = ("Secret", ns, str(tls["secretName"]))
                    how = f"cert-manager for Ingress {ns}/{obj.name}"
                    self._certificates.append((secret, obj, how, self.key(kind, ns, name)))
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


def _data_keys(manifest: dict[str, Any], *fields: str) -> set[str]:
    return {str(k) for field in fields for k in mapping(manifest.get(field))}


def _external_secret_keys(spec: dict[str, Any]) -> set[str] | None:
    """The keys an ExternalSecret writes into its target Secret; None when the render
    cannot tell (`dataFrom` fetches whatever the provider holds, `templateFrom` renders
    keys of other objects).

    With a `target.template` that has `data`, the template's keys replace the fetched
    ones (`mergePolicy: Replace`, the default) or join them (`Merge`); a template
    without `data` keeps the fetched keys (external-secrets.io/latest/guides/templating).
    """
    fetched: set[str] | None = {
        str(mapping(item).get("secretKey")) for item in sequence(spec.get("data")) if mapping(item).get("secretKey")
    }
    if sequence(spec.get("dataFrom")):
        fetched = None
    template = mapping(mapping(spec.get("target")).get("template"))
    if sequence(template.get("templateFrom")):
        return None
    templated = {str(k) for k in mapping(template.get("data"))}
    if not templated:
        return fetched
    if template.get("mergePolicy") == "Merge":
        return None if fetched is None else fetched | templated
    return templated
