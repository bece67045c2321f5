"""Traefik Ingress short form: hosts routed to one Service port, TLS from cert-manager.

`ingress(scope, "web", hosts=["a.example.org"], service="web", port=80)` renders the
Ingress the cluster's apps write by hand: `ingressClassName: traefik`, one rule per
host with a `/` Prefix path, a `cert-manager.io/cluster-issuer` annotation and a TLS
block naming `tls_secret`. Every part can be changed or left out (`issuer=None`,
`tls_secret=None`, `ingress_class=None` with the legacy `kubernetes.io/ingress.class`
annotation in `annotations`, e.g. `LEGACY_TRAEFIK`).
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.checked import checked
from fako.constructs.network import Ingress, IngressSpec
from fako.tree import Scope

__all__ = ["LEGACY_TRAEFIK", "backend", "ingress", "path"]

LEGACY_TRAEFIK = {
    "kubernetes.io/ingress.class": "traefik",
    "traefik.ingress.kubernetes.io/redirect-entry-point": "https",
    "traefik.ingress.kubernetes.io/redirect-permanent": "true",
}
"""The older apps' Ingress annotations (with `ingress_class=None`): the class named by the
deprecated annotation, and Traefik 1.x's permanent HTTPS redirect, which Traefik 2 and
later no longer read (their redirects are middlewares).

Example: `ingress(self, "old", hosts=["old.example.org"], service="old", port=80, ingress_class=None, annotations=LEGACY_TRAEFIK)`
"""


@checked
def backend(service: str, port: int | str) -> k8s.IngressBackend:
    """A backend: Service `service`, port number (int) or port name (str).

    Example: `k8s.IngressSpec(default_backend=backend("web", "http"))`
    """
    p = k8s.ServiceBackendPort(number=port) if isinstance(port, int) else k8s.ServiceBackendPort(name=port)
    return k8s.IngressBackend(service=k8s.IngressServiceBackend(name=service, port=p))


@checked
def path(service: str, port: int | str, path: str = "/", path_type: str = "Prefix") -> k8s.HTTPIngressPath:
    """One path of a rule, routed to `service:port`.

    Example: `ingress(self, "api", hosts=["api.example.org"], paths=[path("api", 8000, "/v1"), path("web", 80)])`
    """
    return k8s.HTTPIngressPath(path=path, path_type=path_type, backend=backend(service, port))


@checked
def ingress(
    scope: Scope,
    name: str,
    *,
    hosts: list[str],
    service: str | None = None,
    port: int | str | None = None,
    paths: list[k8s.HTTPIngressPath] | None = None,
    issuer: str | None = "letsencrypt-production",
    tls_secret: str | None = None,
    tls_hosts: list[str] | None = None,
    ingress_class: str | None = "traefik",
    annotations: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    id: str | None = None,
) -> Ingress:
    """An Ingress `name` for `hosts`; each host gets `paths` (default: `/` → `service:port`).

    `issuer` adds the cert-manager annotation first, then `annotations`; `tls_secret`
    adds a TLS block for `tls_hosts` (default: all `hosts`). The construct id defaults to
    `<name>-ingress`.

    Example: `ingress(self, "web", hosts=["web.example.org"], service="web", port=80, tls_secret="web-tls")`
    """
    if paths is None:
        if service is None or port is None:
            raise ValueError("ingress() needs paths=[...] or service= and port=")
        paths = [path(service, port)]
    notes: dict[str, str] = {}
    if issuer is not None:
        notes["cert-manager.io/cluster-issuer"] = issuer
    notes.update(annotations or {})
    fields: dict[str, Any] = {
        "name": name,
        "rules": [k8s.IngressRule(host=h, http=k8s.HTTPIngressRuleValue(paths=paths)) for h in hosts],
    }
    if notes:
        fields["annotations"] = notes
    if labels is not None:
        fields["labels"] = labels
    if ingress_class is not None:
        fields["ingress_class_name"] = ingress_class
    if tls_secret is not None:
        fields["tls"] = [k8s.IngressTLS(hosts=tls_hosts or hosts, secret_name=tls_secret)]
    return Ingress(scope, id or f"{name}-ingress", IngressSpec(**fields))
