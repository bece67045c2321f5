"""The cluster as a graph: layers → units → what they depend on, and its renderings.

`cluster_graph(topology)` turns a `fako.topology.Topology` into nodes and edges:

- layer → layer `depends_on` (Flux `dependsOn`), layer → unit `contains`;
- unit → the unit providing the shared Postgres, `database` (labelled with the databases);
- unit → secret store `secret_store` (AWS Secrets Manager, the kubernetes provider, or a
  ClusterSecretStore by name; labelled with the store's name), store → the External
  Secrets operator's unit `operator`;
- unit → GPU pool `gpu` (labelled with the GPUs per pod);
- unit → host `ingress`; unit → its Cloudflare tunnel `tunnel`, tunnel → host `route`
  (labelled with the origin the route sends to).

Renderings: Mermaid (`flowchart LR`, written here with every label quoted and escaped:
no maintained Python library emits Mermaid), DOT (through the `graphviz` package, which
quotes and escapes identifiers and labels for us), SVG (the `dot` binary run by that
package) and JSON. Output is deterministic: nodes and edges in the order the cluster
definition lists layers and units.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from fako.errors import FakoError
from fako.topology import Topology, UnitKey

__all__ = ["Edge", "Graph", "Node", "cluster_graph", "mermaid_text", "to_dot", "to_json", "to_mermaid", "to_svg"]


@dataclass(frozen=True)
class Node:
    """A vertex: `kind` is layer, unit, store, pool, host or tunnel."""

    id: str
    kind: str
    label: str


@dataclass(frozen=True)
class Edge:
    """`source` → `target`; `relation` names what the edge means, `label` is what it shows."""

    source: str
    target: str
    relation: str
    label: str = ""


@dataclass
class Graph:
    """Nodes and edges in a fixed order (first mention)."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)

    def node(self, id: str, kind: str, label: str) -> str:
        """Add a node once; its id."""
        self.nodes.setdefault(id, Node(id, kind, label))
        return id

    def edge(self, source: str, target: str, relation: str, label: str = "") -> None:
        """Add an edge once."""
        edge = Edge(source, target, relation, label)
        if edge not in self.edges:
            self.edges.append(edge)


def _unit(key: UnitKey) -> str:
    return f"unit/{key[0]}/{key[1]}"


_PROVIDERS = {"aws": "AWS Secrets Manager", "kubernetes": "Kubernetes Secrets (kubernetes provider)"}


def cluster_graph(top: Topology) -> Graph:
    """The graph of a cluster's topology (see the module docstring for the edges)."""
    g = Graph()
    for layer in top.layers:
        g.node(f"layer/{layer}", "layer", layer)
    for layer in top.layers:
        for dep in top.depends_on.get(layer, []):
            if dep in top.layers:
                g.edge(f"layer/{layer}", f"layer/{dep}", "depends_on", "dependsOn")
    for layer in top.layers:
        for name in top.units[layer]:
            g.node(_unit((layer, name)), "unit", name)
            g.edge(f"layer/{layer}", _unit((layer, name)), "contains")
    keys = [(layer, name) for layer in top.layers for name in top.units[layer]]
    for key in keys:
        dbs = top.databases.get(key)
        if dbs and top.postgres is not None and top.postgres != key:
            target = g.node(_unit(top.postgres), "unit", top.postgres[1])
            g.edge(_unit(key), target, "database", ", ".join(dbs))
    stores: list[str] = []
    for key in keys:
        for use in top.stores.get(key, []):
            if use.kind == "ClusterSecretStore":
                store = g.node(f"store/ClusterSecretStore/{use.name}", "store", f"ClusterSecretStore {use.name}")
            else:
                provider = use.provider or "unknown"
                store = g.node(f"store/{provider}", "store", _PROVIDERS.get(provider, f"{provider} provider"))
            g.edge(_unit(key), store, "secret_store", f"{use.kind} {use.name}")
            if store not in stores:
                stores.append(store)
    if top.secrets_operator is not None:
        operator = _unit(top.secrets_operator)
        for store in stores:
            g.edge(store, operator, "operator", "external-secrets")
    for key in keys:
        for pool, count in top.gpus.get(key, []):
            target = g.node(f"pool/{pool}", "pool", f"GPU pool {pool}")
            g.edge(_unit(key), target, "gpu", f"{count} GPU" if count == 1 else f"{count} GPUs")
    for key in keys:
        for host in top.hosts.get(key, []):
            target = g.node(f"host/{host.hostname}", "host", host.hostname)
            if host.via == "ingress":
                g.edge(_unit(key), target, "ingress", "ingress")
            else:
                tunnel = g.node(f"tunnel/{key[0]}/{key[1]}/{host.source}", "tunnel", f"tunnel {host.source}")
                g.edge(_unit(key), tunnel, "tunnel")
                g.edge(tunnel, target, "route", host.service)
    return g


def to_json(g: Graph) -> str:
    """`{"nodes": [{id, kind, label}], "edges": [{source, target, relation, label}]}`."""
    data = {
        "nodes": [{"id": n.id, "kind": n.kind, "label": n.label} for n in g.nodes.values()],
        "edges": [{"source": e.source, "target": e.target, "relation": e.relation, "label": e.label} for e in g.edges],
    }
    return json.dumps(data, indent=1) + "\n"


_MERMAID_SHAPES = {
    "layer": ("[[", "]]"),
    "unit": ("[", "]"),
    "store": ("[(", ")]"),
    "pool": ("{{", "}}"),
    "host": ("([", "])"),
    "tunnel": (">", "]"),
}
_MERMAID_STYLES = {
    "layer": "fill:#dbeafe,stroke:#1e40af,font-weight:bold",
    "unit": "fill:#f8fafc,stroke:#475569",
    "store": "fill:#fef3c7,stroke:#b45309",
    "pool": "fill:#dcfce7,stroke:#15803d",
    "host": "fill:#fce7f3,stroke:#be185d",
    "tunnel": "fill:#ede9fe,stroke:#6d28d9",
}


def mermaid_text(text: str) -> str:
    """`text` as the inside of a quoted Mermaid label: entity codes for `"`, `#`, `<`, `>`,
    control characters and line breaks dropped to spaces."""
    out = []
    for ch in text:
        if ch in '"#<>&`':
            out.append(f"#{ord(ch)};")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def to_mermaid(g: Graph) -> str:
    """A Mermaid `flowchart LR`; node ids are `n0`, `n1`, ... in node order, every label quoted."""
    ids = {node_id: f"n{i}" for i, node_id in enumerate(g.nodes)}
    lines = ["flowchart LR"]
    for kind, style in _MERMAID_STYLES.items():
        lines.append(f"  classDef {kind} {style}")
    for node in g.nodes.values():
        left, right = _MERMAID_SHAPES[node.kind]
        lines.append(f'  {ids[node.id]}{left}"{mermaid_text(node.label)}"{right}:::{node.kind}')
    for e in g.edges:
        arrow = "-.->" if e.relation in ("depends_on", "operator") else "-->"
        label = f'|"{mermaid_text(e.label)}"|' if e.label else ""
        lines.append(f"  {ids[e.source]} {arrow}{label} {ids[e.target]}")
    return "\n".join(lines) + "\n"


_DOT_SHAPES = {
    "layer": "folder",
    "unit": "box",
    "store": "cylinder",
    "pool": "hexagon",
    "host": "ellipse",
    "tunnel": "cds",
}


def _dot_id(node_id: str) -> str:
    # the graphviz package reads `a:b` in an edge as node `a`, port `b`: node ids never hold ':'
    if ":" in node_id:
        raise FakoError(f"graph node id {node_id!r} holds ':', which DOT reads as a port")
    return node_id


def _digraph(g: Graph) -> object:
    import graphviz

    dot = graphviz.Digraph("fako", graph_attr={"rankdir": "LR"}, node_attr={"fontname": "Helvetica"})
    for node in g.nodes.values():
        dot.node(_dot_id(node.id), label=node.label, shape=_DOT_SHAPES[node.kind], tooltip=node.kind)
    for e in g.edges:
        attrs = {"label": e.label} if e.label else {}
        if e.relation in ("depends_on", "operator"):
            attrs["style"] = "dashed"
        dot.edge(_dot_id(e.source), _dot_id(e.target), **attrs)
    return dot


def to_dot(g: Graph) -> str:
    """The graph in Graphviz DOT (identifiers and labels quoted by the `graphviz` package)."""
    source = _digraph(g).source  # type: ignore[attr-defined]
    assert isinstance(source, str)
    return source


def to_svg(g: Graph) -> bytes:
    """The graph drawn by Graphviz's `dot` as SVG; `FakoError` saying how to install it when missing."""
    import graphviz

    try:
        svg = _digraph(g).pipe(format="svg")  # type: ignore[attr-defined]
    except graphviz.ExecutableNotFound:
        raise FakoError(
            "--format svg needs Graphviz's `dot` program, which is not installed: "
            "`apt-get install graphviz` (Debian/Ubuntu) or `brew install graphviz`; "
            "or write DOT with --format dot"
        ) from None
    assert isinstance(svg, bytes)
    return svg
