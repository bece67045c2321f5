"""NetworkPolicy building blocks: the egress presets the cluster's 15 policies are made of.

A policy is a pod selector plus a list of rules; the rules repeat across apps:
`DNS` (kube-system, 53 UDP+TCP), `VAULT_GATEWAY` (vault-gateway pods, 8080),
`POSTGRES` (the postgres namespace, 5432), `HTTPS` (443 anywhere public: 0.0.0.0/0
except RFC1918 and link-local), `APISIX` (9080) and `LANGFUSE` (3000). Others are made
with `to_namespace`, `to_cidr` and, for ingress, `from_namespace_label`/`from_pods`/`from_cidr`.

    network_policy(app, "x-egress", egress=[DNS, VAULT_GATEWAY, HTTPS])

selects every pod (`podSelector: {}`) unless `pod` names labels; `policyTypes` follows
from which of `ingress`/`egress` are given.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.checked import checked
from fako.constructs.network import NetworkPolicy, NetworkPolicySpec
from fako.tree import Scope

__all__ = [
    "APISIX",
    "DNS",
    "HTTPS",
    "LANGFUSE",
    "POSTGRES",
    "PRIVATE_RANGES",
    "VAULT_GATEWAY",
    "from_cidr",
    "from_namespace_label",
    "from_pods",
    "network_policy",
    "ports",
    "to_cidr",
    "to_namespace",
]

PRIVATE_RANGES = ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16")
"""RFC1918 and link-local: what "public" egress excludes.

Example: `to_cidr("0.0.0.0/0", 443, exclude=PRIVATE_RANGES)`
"""


@checked
def ports(*numbers: int, protocol: str | None = "TCP") -> list[k8s.NetworkPolicyPort]:
    """Policy ports; `protocol=None` leaves the protocol out.

    Example: `k8s.NetworkPolicyEgressRule(ports=ports(80, 443))`
    """
    return [k8s.NetworkPolicyPort(port=n, protocol=protocol) for n in numbers]


def _ns(name: str) -> k8s.LabelSelector:
    return k8s.LabelSelector(match_labels={"kubernetes.io/metadata.name": name})


@checked
def to_namespace(
    namespace: str, port: int, *, pods: dict[str, str] | None = None, protocol: str = "TCP"
) -> k8s.NetworkPolicyEgressRule:
    """Egress to `namespace` (optionally only its pods labelled `pods`) on `port`.

    Example: `network_policy(self, "to-db", egress=[to_namespace("postgres", 5432)])`
    """
    peer: dict[str, Any] = {"namespace_selector": _ns(namespace)}
    if pods is not None:
        peer["pod_selector"] = k8s.LabelSelector(match_labels=pods)
    return k8s.NetworkPolicyEgressRule(ports=ports(port, protocol=protocol), to=[k8s.NetworkPolicyPeer(**peer)])


@checked
def to_cidr(cidr: str, port: int, *, exclude: tuple[str, ...] | None = None) -> k8s.NetworkPolicyEgressRule:
    """Egress to an IP block on TCP `port`, minus `exclude`.

    Example: `network_policy(self, "nas", egress=[to_cidr("192.168.1.10/32", 2049)])`
    """
    block = k8s.IPBlock(cidr=cidr, **({"except": list(exclude)} if exclude else {}))
    return k8s.NetworkPolicyEgressRule(ports=ports(port), to=[k8s.NetworkPolicyPeer(ip_block=block)])


@checked
def from_namespace_label(labels: dict[str, str], port: int) -> k8s.NetworkPolicyIngressRule:
    """Ingress on TCP `port` from every namespace carrying `labels` (e.g. `vault-access`).

    Example: `network_policy(self, "scrape", ingress=[from_namespace_label({"name": "monitoring"}, 9090)])`
    """
    peer = k8s.NetworkPolicyPeer(namespace_selector=k8s.LabelSelector(match_labels=labels))
    return k8s.NetworkPolicyIngressRule(from_=[peer], ports=ports(port))


@checked
def from_cidr(cidr: str, port: int) -> k8s.NetworkPolicyIngressRule:
    """Ingress on TCP `port` from an IP block (e.g. the nodes' LAN, for kubelet probes).

    Example: `network_policy(self, "lan", ingress=[from_cidr("192.168.1.0/24", 8080)])`
    """
    peer = k8s.NetworkPolicyPeer(ip_block=k8s.IPBlock(cidr=cidr))
    return k8s.NetworkPolicyIngressRule(from_=[peer], ports=ports(port))


@checked
def from_pods(labels: dict[str, str], port: int, *, protocol: str | None = None) -> k8s.NetworkPolicyIngressRule:
    """Ingress on `port` from pods of the same namespace labelled `labels`.

    Example: `network_policy(self, "db", pod={"app": "db"}, ingress=[from_pods({"app": "api"}, 5432)])`
    """
    peer = k8s.NetworkPolicyPeer(pod_selector=k8s.LabelSelector(match_labels=labels))
    return k8s.NetworkPolicyIngressRule(from_=[peer], ports=ports(port, protocol=protocol))


DNS = k8s.NetworkPolicyEgressRule(
    ports=ports(53, protocol="UDP") + ports(53), to=[k8s.NetworkPolicyPeer(namespace_selector=_ns("kube-system"))]
)
"""Egress to kube-system's DNS on 53 (UDP and TCP).

Example: `network_policy(self, "egress", pod={"app": "web"}, egress=[DNS, HTTPS])`
"""
VAULT_GATEWAY = to_namespace("vault-gateway", 8080, pods={"app": "vault-gateway"})
"""Egress to the vault-gateway pods on 8080.

Example: `network_policy(self, "egress", pod={"app": "notes"}, egress=[DNS, VAULT_GATEWAY])`
"""
POSTGRES = to_namespace("postgres", 5432)
"""Egress to the shared Postgres (namespace `postgres`) on 5432.

Example: `network_policy(self, "egress", pod={"app": "api"}, egress=[DNS, POSTGRES])`
"""
APISIX = to_namespace("apisix", 9080)
"""Egress to the APISIX gateway (namespace `apisix`) on 9080.

Example: `network_policy(self, "egress", pod={"app": "agent"}, egress=[DNS, APISIX])`
"""
LANGFUSE = to_namespace("langfuse", 3000)
"""Egress to Langfuse (namespace `langfuse`) on 3000.

Example: `network_policy(self, "egress", pod={"app": "agent"}, egress=[DNS, LANGFUSE])`
"""
HTTPS = to_cidr("0.0.0.0/0", 443, exclude=PRIVATE_RANGES)
"""Egress to public HTTPS: 443 anywhere but the private ranges.

Example: `network_policy(self, "egress", pod={"app": "web"}, egress=[DNS, HTTPS])`
"""


@checked
def network_policy(
    scope: Scope,
    name: str,
    *,
    pod: dict[str, str] | None = None,
    egress: list[k8s.NetworkPolicyEgressRule] | None = None,
    ingress: list[k8s.NetworkPolicyIngressRule] | None = None,
    labels: dict[str, str] | None = None,
    id: str | None = None,
) -> NetworkPolicy:
    """A NetworkPolicy `name` for the pods labelled `pod` (default: all pods of the namespace).

    Example: `network_policy(self, "web", pod={"app": "web"}, egress=[DNS, HTTPS], ingress=[from_pods({"app": "proxy"}, 80)])`
    """
    fields: dict[str, Any] = {
        "name": name,
        "pod_selector": k8s.LabelSelector(match_labels=pod) if pod else k8s.LabelSelector(),
        "policy_types": [t for t, rules in (("Ingress", ingress), ("Egress", egress)) if rules is not None],
    }
    if egress is not None:
        fields["egress"] = egress
    if ingress is not None:
        fields["ingress"] = ingress
    if labels is not None:
        fields["labels"] = labels
    return NetworkPolicy(scope, id or name, NetworkPolicySpec(**fields))
