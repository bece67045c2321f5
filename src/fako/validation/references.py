"""Reference checks: every name an object uses must resolve to something that exists.

Covers Secrets, ConfigMaps, PVCs, ServiceAccounts, Services and their ports, secret
stores, issuers (Ingress annotations and Certificate `issuerRef`), ingress/storage/
priority/runtime classes, traefik Middlewares, RBAC roles, Flux `dependsOn`, chart
sources and Kustomization sources, namespaces, and Service selectors.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fako.rendered import RenderedObject
from fako.validation.facts import ClusterFacts
from fako.validation.findings import Finding, finding
from fako.validation.inventory import CLUSTER_SCOPED, Inventory, group_of
from fako.validation.pods import PodTemplate, containers, mapping, pod_templates, sequence

__all__ = ["check_references"]

_ISSUER = "cert-manager.io/cluster-issuer"
_NS_ISSUER = "cert-manager.io/issuer"
_INGRESS_CLASS = "kubernetes.io/ingress.class"
_MIDDLEWARES = "traefik.ingress.kubernetes.io/router.middlewares"
_SA_TOKEN = "kubernetes.io/service-account-token"

_CHECK_IDS = {
    "Secret": "ref.secret",
    "ConfigMap": "ref.configmap",
    "PersistentVolumeClaim": "ref.pvc",
    "PersistentVolume": "ref.persistent-volume",
    "ServiceAccount": "ref.service-account",
    "Service": "ref.service",
    "Namespace": "ref.namespace",
    "SecretStore": "ref.secret-store",
    "ClusterSecretStore": "ref.secret-store",
    "ClusterIssuer": "ref.cluster-issuer",
    "Issuer": "ref.issuer",
    "Role": "ref.role",
    "ClusterRole": "ref.role",
    "Kustomization": "ref.depends-on",
    "HelmRelease": "ref.depends-on",
    "HelmRepository": "ref.chart-source",
    "GitRepository": "ref.chart-source",
    "OCIRepository": "ref.chart-source",
    "Bucket": "ref.chart-source",
    "HelmChart": "ref.chart-source",
}
_FLUX_SOURCES = frozenset({"GitRepository", "OCIRepository", "Bucket"})
"""What a Kustomization's `sourceRef` may name (fluxcd.io/flux/components/kustomize/kustomizations/#source-reference)."""


@dataclass(frozen=True)
class _Missing:
    """A name that resolves to nothing: `where` (`detail`) names `kind/namespace/name`."""

    kind: str
    name: str
    namespace: str
    where: str
    detail: str = ""
    check: str = ""
    """The check id, when not the kind's usual one (`_CHECK_IDS`)."""


_Result = Finding | _Missing | None


def _first(items: list[str], n: int = 3) -> str:
    more = f" and {len(items) - n} more" if len(items) > n else ""
    return ", ".join(items[:n]) + more


def _quoted(names: list[str]) -> str:
    return ", ".join(names) if names else "(none)"


def _closest(name: str, candidates: list[str]) -> list[str]:
    """`difflib.get_close_matches(name, candidates, n=1)`, looking only at the candidates
    whose length lets them reach its 0.6 cutoff (a ratio is at most 2*min(a, b)/(a + b)):
    the same answer, without comparing every missing name with every name of a large
    namespace."""
    a = len(name)
    fit = [c for c in candidates if 10 * min(a, len(c)) >= 3 * (a + len(c))]
    return difflib.get_close_matches(name, fit, n=1)


class _Checker:
    """Reference checks over one inventory; one method per kind of reference."""

    def __init__(self, inventory: Inventory, facts: ClusterFacts) -> None:
        self.inv = inventory
        self.facts = facts
        middlewares = [k for k in [*inventory.rendered, *inventory.external] if k[0] == "Middleware"]
        self.middleware_names = sorted({f"{ns}-{name}" for _, ns, name in middlewares})

    # -- helpers ---------------------------------------------------------------------

    def missing(
        self, kind: str, name: str, namespace: str, where: str = "", detail: str = "", check: str = ""
    ) -> _Missing | None:
        """None when `kind/namespace/name` exists, else what is missing and who names it."""
        if self.inv.exists(kind, namespace, name):
            return None
        return _Missing(kind, name, "" if kind in CLUSTER_SCOPED else namespace, where, detail, check)

    def report(self, obj: RenderedObject, absent: list[_Missing]) -> Finding:
        """One finding for a missing object, listing every place in `obj` that names it."""
        first = absent[0]
        kind, name, ns = first.kind, first.name, first.namespace
        details: dict[str, list[str]] = {}
        for m in absent:
            if m.where:
                found = details.setdefault(m.where, [])
                if m.detail and m.detail not in found:
                    found.append(m.detail)
        places = [f"{where} {_first(found)}".rstrip() for where, found in details.items()]
        shown = ", ".join(places)
        verb = "names" if len(absent) == 1 else "name"
        message = f"{shown + ' ' if shown else ''}{verb} {kind} '{name}', which does not exist"
        if ns:
            message += f" in namespace '{ns}'"
        unissued = self.inv.unissued.get(self.inv.key(kind, ns, name))
        if unissued:
            message += f" ({unissued}, so cert-manager never makes it)"
        declare = f"declare ('{kind}', '{ns}', '{name}') in the cluster facts' external list"
        close = _closest(name, self.inv.names(kind, ns))
        if unissued:
            fix = f"name an issuer that exists, or {declare}"
        elif close:
            fix = f"did you mean '{close[0]}'? otherwise render it or {declare}"
        else:
            fix = f"render it{f' in namespace {ns!r}' if ns else ''} or {declare}"
        return finding(obj, first.check or _CHECK_IDS.get(kind, f"ref.{kind.lower()}"), message, fix, value=name)

    def one_of(
        self, obj: RenderedObject, check: str, kind: str, value: str, allowed: list[str], where: str = ""
    ) -> Finding | None:
        """None when `value` is one of `allowed`, else a finding listing them."""
        if value in allowed:
            return None
        shown = [repr(a) if a == "" else a for a in allowed]
        prefix = f"{where} " if where else ""
        return finding(
            obj,
            check,
            f"{prefix}names {kind} '{value}', which does not exist",
            f"use one of {_quoted(shown)}",
            value=value,
        )

    def classes(self, kind: str, declared: frozenset[str]) -> list[str]:
        """Declared names first (sorted), then rendered ones in render order."""
        return list(dict.fromkeys([*sorted(declared), *self.inv.names(kind)]))

    # -- per object ------------------------------------------------------------------

    def check(self, obj: RenderedObject) -> Iterator[_Result]:
        ns = obj.namespace
        if ns and not (obj.kind == "Namespace" and group_of(obj.manifest) == ""):
            yield self.missing("Namespace", ns, "", "metadata.namespace")
        for template in pod_templates(obj):
            yield from self.pod(template)
        group, kind = group_of(obj.manifest), obj.kind
        handler = _HANDLERS.get((group, kind))
        if handler is not None:
            yield from handler(self, obj)

    def pod(self, template: PodTemplate) -> Iterator[_Result]:
        obj, spec, ns = template.obj, template.spec, template.obj.namespace
        for _, container in containers(spec):
            cname = f"container '{container.get('name', '?')}'"
            for env in sequence(container.get("env")):
                source = mapping(mapping(env).get("valueFrom"))
                variable = str(mapping(env).get("name", "?"))
                for field, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                    ref = mapping(source.get(field))
                    if ref.get("name") and not ref.get("optional"):
                        yield self.missing(kind, str(ref["name"]), ns, f"{cname} env", variable)
            for env_from in sequence(container.get("envFrom")):
                for field, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                    ref = mapping(mapping(env_from).get(field))
                    if ref.get("name") and not ref.get("optional"):
                        yield self.missing(kind, str(ref["name"]), ns, f"{cname} envFrom")
        for volume in sequence(spec.get("volumes")):
            yield from self.volume(obj, mapping(volume), ns)
        for pull in sequence(spec.get("imagePullSecrets")):
            if mapping(pull).get("name"):
                yield self.missing("Secret", str(pull["name"]), ns, "imagePullSecrets")
        account = spec.get("serviceAccountName") or spec.get("serviceAccount")
        if account:
            yield self.missing("ServiceAccount", str(account), ns, "serviceAccountName")
        if spec.get("priorityClassName"):
            allowed = self.classes("PriorityClass", self.facts.priority_classes)
            value = str(spec["priorityClassName"])
            yield self.one_of(obj, "ref.priority-class", "PriorityClass", value, allowed, "priorityClassName")
        if spec.get("runtimeClassName"):
            allowed = self.classes("RuntimeClass", self.facts.runtime_classes)
            value = str(spec["runtimeClassName"])
            yield self.one_of(obj, "ref.runtime-class", "RuntimeClass", value, allowed, "runtimeClassName")

    def volume(self, obj: RenderedObject, volume: dict[str, Any], ns: str) -> Iterator[_Result]:
        where = f"volume '{volume.get('name', '?')}'"
        secret = mapping(volume.get("secret"))
        if secret.get("secretName") and not secret.get("optional"):
            yield self.missing("Secret", str(secret["secretName"]), ns, where)
        config = mapping(volume.get("configMap"))
        if config.get("name") and not config.get("optional"):
            yield self.missing("ConfigMap", str(config["name"]), ns, where)
        claim = mapping(volume.get("persistentVolumeClaim"))
        if claim.get("claimName"):
            yield self.missing("PersistentVolumeClaim", str(claim["claimName"]), ns, where)
        for source in sequence(mapping(volume.get("projected")).get("sources")):
            for field, kind in (("secret", "Secret"), ("configMap", "ConfigMap")):
                ref = mapping(mapping(source).get(field))
                if ref.get("name") and not ref.get("optional"):
                    yield self.missing(kind, str(ref["name"]), ns, where)

    def claim_spec(self, obj: RenderedObject, spec: dict[str, Any], where: str) -> Iterator[_Result]:
        if "storageClassName" in spec and spec["storageClassName"] is not None:
            allowed = self.classes("StorageClass", self.facts.storage_classes)
            value = str(spec["storageClassName"])
            yield self.one_of(obj, "ref.storage-class", "StorageClass", value, allowed, where)
        if spec.get("volumeName"):
            yield self.missing("PersistentVolume", str(spec["volumeName"]), "", f"{where} volumeName".lstrip())

    # -- kinds -----------------------------------------------------------------------

    def pvc(self, obj: RenderedObject) -> Iterator[_Result]:
        yield from self.claim_spec(obj, mapping(obj.manifest.get("spec")), "")

    def stateful_set(self, obj: RenderedObject) -> Iterator[_Result]:
        for claim in sequence(mapping(obj.manifest.get("spec")).get("volumeClaimTemplates")):
            name = mapping(mapping(claim).get("metadata")).get("name", "?")
            where = f"volumeClaimTemplate '{name}'"
            yield from self.claim_spec(obj, mapping(mapping(claim).get("spec")), where)

    def secret(self, obj: RenderedObject) -> Iterator[_Result]:
        if obj.manifest.get("type") == _SA_TOKEN:
            annotations = mapping(mapping(obj.manifest.get("metadata")).get("annotations"))
            account = annotations.get("kubernetes.io/service-account.name")
            if account:
                yield self.missing("ServiceAccount", str(account), obj.namespace, "token Secret")

    def service_account(self, obj: RenderedObject) -> Iterator[_Result]:
        for field in ("secrets", "imagePullSecrets"):
            for ref in sequence(obj.manifest.get(field)):
                if mapping(ref).get("name"):
                    yield self.missing("Secret", str(ref["name"]), obj.namespace, field)

    def binding(self, obj: RenderedObject) -> Iterator[_Result]:
        for subject in sequence(obj.manifest.get("subjects")):
            subject = mapping(subject)
            if subject.get("kind") == "ServiceAccount" and subject.get("name"):
                ns = str(subject.get("namespace") or obj.namespace)
                yield self.missing("ServiceAccount", str(subject["name"]), ns, "subject")
        role = mapping(obj.manifest.get("roleRef"))
        if role.get("kind") in ("Role", "ClusterRole") and role.get("name"):
            yield self.missing(str(role["kind"]), str(role["name"]), obj.namespace, "roleRef")

    def external_secret(self, obj: RenderedObject) -> Iterator[_Result]:
        spec = mapping(obj.manifest.get("spec"))
        stores = [mapping(spec.get("secretStoreRef"))]
        for item in [*sequence(spec.get("data")), *sequence(spec.get("dataFrom"))]:
            stores.append(mapping(mapping(mapping(item).get("sourceRef")).get("storeRef")))
        seen: set[tuple[str, str]] = set()
        for store in stores:
            if not store.get("name"):
                continue
            kind = str(store.get("kind") or "SecretStore")
            if kind not in ("SecretStore", "ClusterSecretStore") or (kind, store["name"]) in seen:
                continue
            seen.add((kind, str(store["name"])))
            yield self.missing(kind, str(store["name"]), obj.namespace, "secretStoreRef")
        target = mapping(spec.get("target"))
        if target.get("creationPolicy") == "Merge":
            name = str(target.get("name") or obj.name)
            yield self.missing("Secret", name, obj.namespace, "target (creationPolicy Merge)")

    def secret_store(self, obj: RenderedObject) -> Iterator[_Result]:
        provider = mapping(mapping(obj.manifest.get("spec")).get("provider"))
        cluster = obj.kind == "ClusterSecretStore"
        for where, ref in _secret_refs(provider, "provider"):
            ns = str(ref.get("namespace") or ("" if cluster else obj.namespace))
            if ns:
                yield self.missing("Secret", str(ref["name"]), ns, where)

    def ingress(self, obj: RenderedObject) -> Iterator[_Result]:
        metadata = mapping(obj.manifest.get("metadata"))
        annotations = mapping(metadata.get("annotations"))
        spec = mapping(obj.manifest.get("spec"))
        ns = obj.namespace
        if annotations.get(_ISSUER):
            issuer = str(annotations[_ISSUER])
            yield self.one_of(obj, "ref.cluster-issuer", "ClusterIssuer", issuer, self.inv.names("ClusterIssuer"))
        if annotations.get(_NS_ISSUER):
            yield self.missing("Issuer", str(annotations[_NS_ISSUER]), ns, _NS_ISSUER)
        ingress_class = spec.get("ingressClassName") or annotations.get(_INGRESS_CLASS)
        if ingress_class:
            where = "ingressClassName" if spec.get("ingressClassName") else _INGRESS_CLASS
            allowed = self.classes("IngressClass", self.facts.ingress_classes)
            yield self.one_of(obj, "ref.ingress-class", "IngressClass", str(ingress_class), allowed, where)
        for tls in sequence(spec.get("tls")):
            if mapping(tls).get("secretName"):
                yield self.missing("Secret", str(tls["secretName"]), ns, "tls")
        backends = [mapping(spec.get("defaultBackend"))]
        for rule in sequence(spec.get("rules")):
            for path in sequence(mapping(mapping(rule).get("http")).get("paths")):
                backends.append(mapping(mapping(path).get("backend")))
        for backend in backends:
            service = mapping(backend.get("service"))
            if service.get("name"):
                yield from self.service_port(obj, str(service["name"]), ns, mapping(service.get("port")))
        if annotations.get(_MIDDLEWARES):
            yield from self.middlewares(obj, str(annotations[_MIDDLEWARES]))

    def service_port(self, obj: RenderedObject, name: str, ns: str, port: dict[str, Any]) -> Iterator[_Result]:
        absent = self.missing("Service", name, ns, "backend")
        if absent is not None:
            yield absent
            return
        ports = self.inv.service_ports.get((ns, name))
        if ports is None or not port:
            return  # declared external: its ports are unknown
        wanted = port.get("number") if "number" in port else port.get("name")
        field = "port" if "number" in port else "name"
        if any(p.get(field) == wanted for p in ports):
            return
        offered = [f"{p.get('port')}{'/' + str(p['name']) if p.get('name') else ''}" for p in ports]
        yield finding(
            obj,
            "ref.service-port",
            f"backend names port {wanted!r} of Service '{name}', which has no such port",
            f"use one of {_quoted(offered)}",
            value=f"{name}:{wanted}",
        )

    def middlewares(self, obj: RenderedObject, value: str) -> Iterator[_Result]:
        for entry in (e.strip() for e in value.split(",")):
            ref, _, provider = entry.partition("@")
            if provider != "kubernetescrd" or ref in self.middleware_names:
                continue
            yield finding(
                obj,
                "ref.middleware",
                f"{_MIDDLEWARES} names '{entry}', which matches no traefik.io Middleware "
                "(the form is <namespace>-<name>@kubernetescrd)",
                f"use one of {_quoted([f'{m}@kubernetescrd' for m in self.middleware_names])}, "
                "or render the Middleware, or declare it external",
                value=entry,
            )

    def flux_dependencies(self, obj: RenderedObject) -> Iterator[_Result]:
        spec = mapping(obj.manifest.get("spec"))
        for dependency in sequence(spec.get("dependsOn")):
            dependency = mapping(dependency)
            if dependency.get("name"):
                ns = str(dependency.get("namespace") or obj.namespace)
                yield self.missing(obj.kind, str(dependency["name"]), ns, "dependsOn")
        if obj.kind == "HelmRelease":
            for where, source in (
                ("chart.spec.sourceRef", mapping(mapping(mapping(spec.get("chart")).get("spec")).get("sourceRef"))),
                ("chartRef", mapping(spec.get("chartRef"))),
            ):
                kind = str(source.get("kind", ""))
                if source.get("name") and kind in _CHECK_IDS:
                    ns = str(source.get("namespace") or obj.namespace)
                    yield self.missing(kind, str(source["name"]), ns, where)
        else:
            source = mapping(spec.get("sourceRef"))
            kind = str(source.get("kind", ""))
            if source.get("name") and kind in _FLUX_SOURCES:
                ns = str(source.get("namespace") or obj.namespace)
                yield self.missing(kind, str(source["name"]), ns, "sourceRef", check="ref.flux-source")

    def certificate(self, obj: RenderedObject) -> Iterator[_Result]:
        """cert-manager `Certificate.spec.issuerRef` (kind Issuer by default; issuers of other
        API groups are external issuers and not checked): cert-manager.io/docs/usage/certificate."""
        issuer = mapping(mapping(obj.manifest.get("spec")).get("issuerRef"))
        if issuer.get("name") and str(issuer.get("group") or "cert-manager.io") == "cert-manager.io":
            kind = str(issuer.get("kind") or "Issuer")
            if kind in ("Issuer", "ClusterIssuer"):
                yield self.missing(kind, str(issuer["name"]), obj.namespace, "issuerRef")

    def service(self, obj: RenderedObject) -> Iterator[_Result]:
        spec = mapping(obj.manifest.get("spec"))
        selector = mapping(spec.get("selector"))
        if not selector or spec.get("type") == "ExternalName":
            return
        pods = self.inv.pod_labels.get(obj.namespace, [])
        if any(all(labels.get(k) == v for k, v in selector.items()) for labels in pods):
            return
        wanted = ", ".join(f"{k}={v}" for k, v in selector.items())
        seen = sorted({f"{k}={v}" for labels in pods for k, v in labels.items() if k in selector})
        carried = f"pod templates there carry {', '.join(seen)}; " if seen else ""
        yield finding(
            obj,
            "ref.service-selector",
            f"selector {wanted} matches no pod template in namespace '{obj.namespace}'",
            f"{carried}change the selector or the pod labels (pods made by a HelmRelease or an "
            "operator are not visible here: allow-list those)",
            value=wanted,
        )

    def selects_pods(self, obj: RenderedObject, check: str, what: str) -> Iterator[_Result]:
        """A `matchLabels` selector (NetworkPolicy, PodDisruptionBudget) should select some pod
        template of its namespace: one that selects nothing protects nothing (a warning: the
        API server accepts it, and the pods may come later, from a Job run by hand)."""
        spec = mapping(obj.manifest.get("spec"))
        selector = mapping(spec.get("podSelector" if obj.kind == "NetworkPolicy" else "selector"))
        labels = mapping(selector.get("matchLabels"))
        if not labels or selector.get("matchExpressions"):
            return  # empty: every pod (intended); expressions: not judged here
        pods = self.inv.pod_labels.get(obj.namespace, [])
        if any(all(p.get(k) == v for k, v in labels.items()) for p in pods):
            return
        wanted = ", ".join(f"{k}={v}" for k, v in labels.items())
        yield finding(
            obj,
            check,
            f"{what} {wanted} matches no pod template in namespace '{obj.namespace}', so it applies to nothing",
            "fix the labels (pods made by a HelmRelease or an operator are not visible here: allow-list those)",
            severity="warning",
            value=wanted,
        )

    def network_policy(self, obj: RenderedObject) -> Iterator[_Result]:
        yield from self.selects_pods(obj, "ref.policy-selector", "podSelector")

    def disruption_budget(self, obj: RenderedObject) -> Iterator[_Result]:
        yield from self.selects_pods(obj, "ref.pdb-selector", "selector")

    def autoscaler(self, obj: RenderedObject) -> Iterator[_Result]:
        """An HPA's `scaleTargetRef` names a workload that exists (`HorizontalPodAutoscaler`
        controller: `ScaleTargetNotFound`)."""
        target = mapping(mapping(obj.manifest.get("spec")).get("scaleTargetRef"))
        kind, name = str(target.get("kind", "")), str(target.get("name", ""))
        if kind in ("Deployment", "StatefulSet", "ReplicaSet") and name:
            absent = self.missing(kind, name, obj.namespace, "spec.scaleTargetRef", check="ref.scale-target")
            if absent is not None:
                yield absent

    def postgres_cluster(self, obj: RenderedObject) -> Iterator[_Result]:
        """The Secrets a CloudNative-PG Cluster reads: bootstrap owner, superuser, managed
        roles' passwords, backup credentials (cloudnative-pg `api/v1/cluster_types.go`)."""
        spec = mapping(obj.manifest.get("spec"))
        refs = [
            ("bootstrap.initdb.secret", mapping(mapping(mapping(spec.get("bootstrap")).get("initdb")).get("secret"))),
            ("superuserSecret", mapping(spec.get("superuserSecret"))),
            *(
                (f"managed.roles[{i}].passwordSecret", mapping(mapping(role).get("passwordSecret")))
                for i, role in enumerate(sequence(mapping(spec.get("managed")).get("roles")))
            ),
        ]
        for where, ref in refs:
            if ref.get("name"):
                yield self.missing("Secret", str(ref["name"]), obj.namespace, where)
        for where, ref in _secret_refs(mapping(spec.get("backup")), "backup"):
            yield self.missing("Secret", str(ref["name"]), obj.namespace, where)

    def service_monitor(self, obj: RenderedObject) -> Iterator[_Result]:
        """A ServiceMonitor's endpoints name ports of the Services it selects (prometheus-operator:
        an endpoint whose port no selected Service has is never scraped)."""
        spec = mapping(obj.manifest.get("spec"))
        labels = mapping(mapping(spec.get("selector")).get("matchLabels"))
        names = sequence(mapping(spec.get("namespaceSelector")).get("matchNames")) or [obj.namespace]
        selected = [
            ports
            for ns in map(str, names)
            for (sns, sname), ports in self.inv.service_ports.items()
            if sns == ns and all(self.inv.service_labels.get((sns, sname), {}).get(k) == v for k, v in labels.items())
        ]
        if not labels or not selected:
            return  # selects Services the render does not make (charts, operators): not judged
        offered = sorted({str(p.get("name")) for ports in selected for p in ports if p.get("name")})
        for i, endpoint in enumerate(sequence(spec.get("endpoints"))):
            port = mapping(endpoint).get("port")
            if isinstance(port, str) and port not in offered:
                yield finding(
                    obj,
                    "ref.monitor-port",
                    f"endpoints[{i}] scrapes port '{port}', which no Service it selects has",
                    f"use one of {_quoted(offered)}",
                    field=f"spec.endpoints[{i}].port",
                    value=port,
                )


def _secret_refs(node: Any, at: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """(field path, ref) for every `...SecretRef`/`secretRef` mapping that names a Secret."""
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{at}.{key}"
            if str(key).lower().endswith("secretref") and isinstance(value, dict) and value.get("name"):
                yield path, value
            else:
                yield from _secret_refs(value, path)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _secret_refs(value, f"{at}[{i}]")


_HANDLERS = {
    ("networking.k8s.io", "NetworkPolicy"): _Checker.network_policy,
    ("policy", "PodDisruptionBudget"): _Checker.disruption_budget,
    ("autoscaling", "HorizontalPodAutoscaler"): _Checker.autoscaler,
    ("postgresql.cnpg.io", "Cluster"): _Checker.postgres_cluster,
    ("monitoring.coreos.com", "ServiceMonitor"): _Checker.service_monitor,
    ("", "PersistentVolumeClaim"): _Checker.pvc,
    ("apps", "StatefulSet"): _Checker.stateful_set,
    ("", "Secret"): _Checker.secret,
    ("", "ServiceAccount"): _Checker.service_account,
    ("", "Service"): _Checker.service,
    ("rbac.authorization.k8s.io", "RoleBinding"): _Checker.binding,
    ("rbac.authorization.k8s.io", "ClusterRoleBinding"): _Checker.binding,
    ("external-secrets.io", "ExternalSecret"): _Checker.external_secret,
    ("external-secrets.io", "SecretStore"): _Checker.secret_store,
    ("external-secrets.io", "ClusterSecretStore"): _Checker.secret_store,
    ("networking.k8s.io", "Ingress"): _Checker.ingress,
    ("kustomize.toolkit.fluxcd.io", "Kustomization"): _Checker.flux_dependencies,
    ("helm.toolkit.fluxcd.io", "HelmRelease"): _Checker.flux_dependencies,
    ("cert-manager.io", "Certificate"): _Checker.certificate,
}


def check_references(objects: list[RenderedObject], inventory: Inventory, facts: ClusterFacts) -> Iterator[Finding]:
    """Every reference in `objects` that resolves to nothing in `inventory`.

    All places in one object that name the same missing object give one finding.
    """
    checker = _Checker(inventory, facts)
    for obj in objects:
        absent: dict[tuple[str, str, str], list[_Missing]] = {}
        for result in checker.check(obj):
            if isinstance(result, _Missing):
                absent.setdefault((result.kind, result.namespace, result.name), []).append(result)
            elif result is not None:
                yield result
        for group in absent.values():
            yield checker.report(obj, group)
