"""NetworkPolicies as `network_policy(...)` made of the cluster's rule presets.

Each rule is matched against the presets (`DNS`, `POSTGRES`, `VAULT_GATEWAY`, `HTTPS`,
`APISIX`, `LANGFUSE`) and the rule builders (`to_namespace`, `to_cidr`,
`from_namespace_label`, `from_pods`); a rule none of them renders exactly is written as
its `k8s.` model. Rules are checked one by one (they are plain models), the policy as a
whole in the scratch tree.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.importer.check import normalize
from fako.importer.code import Call, Const, Expr, ListOf, Local, Name, Stmt, TupleOf, evaluate, lit
from fako.importer.context import Context, Piece, rank_of
from fako.importer.loading import Manifest
from fako.importer.typed import Options, model_expr, name_of
from fako.patterns import netpol

__all__ = ["network_policy_piece"]

_PRESETS = ("DNS", "POSTGRES", "VAULT_GATEWAY", "HTTPS", "APISIX", "LANGFUSE")
_NS_KEY = "kubernetes.io/metadata.name"


def _same(expr: Expr, raw: Any) -> bool:
    try:
        value = evaluate(expr, {})
    except Exception:
        return False
    return isinstance(value, k8s.K8sModel) and normalize({"r": value.to_dict()}) == normalize({"r": raw})


def _preset(name: str) -> Name:
    return Name(name, netpol.__name__, name, getattr(netpol, name))


def _single_port(rule: dict[str, Any]) -> tuple[Any, Any] | None:
    ports = rule.get("ports")
    if not isinstance(ports, list) or len(ports) != 1 or not isinstance(ports[0], dict):
        return None
    return ports[0].get("port"), ports[0].get("protocol")


def _egress_candidates(rule: dict[str, Any]) -> list[Expr]:
    out: list[Expr] = [_preset(p) for p in _PRESETS if p != "HTTPS" or "to" in rule]
    port = _single_port(rule)
    peers = rule.get("to")
    if port is None or not isinstance(peers, list) or len(peers) != 1 or not isinstance(peers[0], dict):
        return out
    peer = peers[0]
    number, protocol = port
    block = peer.get("ipBlock")
    if isinstance(block, dict):
        kwargs: list[tuple[str, Expr]] = []
        if block.get("except"):
            kwargs.append(("exclude", TupleOf(tuple(Const(c) for c in block["except"]))))
            if tuple(block["except"]) == netpol.PRIVATE_RANGES:
                kwargs[-1] = ("exclude", _preset("PRIVATE_RANGES"))
        out.append(Call(name_of(netpol.to_cidr), (lit(block.get("cidr")), lit(number)), tuple(kwargs)))
    ns = ((peer.get("namespaceSelector") or {}).get("matchLabels") or {}).get(_NS_KEY)
    if isinstance(ns, str):
        kwargs = []
        pods = (peer.get("podSelector") or {}).get("matchLabels")
        if pods is not None:
            kwargs.append(("pods", lit(pods)))
        if protocol != "TCP":
            kwargs.append(("protocol", lit(protocol)))
        out.append(Call(name_of(netpol.to_namespace), (Const(ns), lit(number)), tuple(kwargs)))
    return out


def _ingress_candidates(rule: dict[str, Any]) -> list[Expr]:
    port = _single_port(rule)
    peers = rule.get("from")
    if port is None or not isinstance(peers, list) or len(peers) != 1 or not isinstance(peers[0], dict):
        return []
    peer = peers[0]
    number, protocol = port
    out: list[Expr] = []
    ns_labels = (peer.get("namespaceSelector") or {}).get("matchLabels")
    if ns_labels is not None:
        out.append(Call(name_of(netpol.from_namespace_label), (lit(ns_labels), lit(number))))
    pods = (peer.get("podSelector") or {}).get("matchLabels")
    if pods is not None:
        kwargs: tuple[tuple[str, Expr], ...] = (("protocol", lit(protocol)),) if protocol is not None else ()
        out.append(Call(name_of(netpol.from_pods), (lit(pods), lit(number)), kwargs))
    return out


def _rules(raw: Any, model: type[k8s.K8sModel], egress: bool, opts: Options) -> Expr | None:
    if not isinstance(raw, list):
        return None
    items: list[Expr] = []
    for rule in raw:
        if not isinstance(rule, dict):
            return None
        candidates = _egress_candidates(rule) if egress else _ingress_candidates(rule)
        found = next((c for c in candidates if _same(c, rule)), None)
        if found is None:
            try:
                found = model_expr(model.model_validate(rule), rule, opts)
            except Exception:
                return None
        items.append(found)
    return ListOf(tuple(items))


def network_policy_piece(m: Manifest, ctx: Context, opts: Options) -> Piece | None:
    """`network_policy(self, name, pod=..., egress=[DNS, ...], ingress=[...])`."""
    if (m.kind, m.api_version) != ("NetworkPolicy", "networking.k8s.io/v1") or not ctx.in_main(m):
        return None
    if set(m.meta) - {"name", "namespace", "labels"} or set(m.body) - {"apiVersion", "kind", "metadata", "spec"}:
        return None
    spec = m.body.get("spec")
    if not isinstance(spec, dict) or set(spec) - {"podSelector", "policyTypes", "egress", "ingress"}:
        return None
    expected = [t for t, key in (("Ingress", "ingress"), ("Egress", "egress")) if key in spec]
    selector = spec.get("podSelector")
    if spec.get("policyTypes") != expected or not isinstance(selector, dict):
        return None
    kwargs: list[tuple[str, Expr]] = []
    if selector:
        if set(selector) != {"matchLabels"} or not selector["matchLabels"]:
            return None
        kwargs.append(("pod", lit(selector["matchLabels"])))
    for key, model, egress in (
        ("egress", k8s.NetworkPolicyEgressRule, True),
        ("ingress", k8s.NetworkPolicyIngressRule, False),
    ):
        if key in spec:
            rules = _rules(spec[key], model, egress, opts)
            if rules is None:
                return None
            kwargs.append((key, rules))
    if m.meta.get("labels") is not None:
        kwargs.append(("labels", lit(m.meta["labels"])))
    id = ctx.object_id(m)
    if id != m.name:
        kwargs.append(("id", Const(id)))
    stmt = Stmt(Call(name_of(netpol.network_policy), (Local("self"), Const(m.name)), tuple(kwargs)))
    if not ctx.scratch.matches([stmt], [m]):
        return None
    ctx.take_id("self", id)
    return Piece([stmt], [m], rank_of(m.kind))
