"""`fako graph`: layers → units → what they depend on, as Mermaid, DOT, SVG or JSON.

fako graph                          # Mermaid on stdout (paste into a ```mermaid block)
fako graph --format dot -o fako.dot
fako graph --format svg -o fako.svg # needs Graphviz's `dot` (apt-get install graphviz)
fako graph --format json            # {"nodes": [...], "edges": [...]}

Edges: Flux `dependsOn` between layers; layer → unit; unit → the shared Postgres unit
(its databases); unit → secret store (AWS Secrets Manager, kubernetes provider,
ClusterSecretStore) → the External Secrets operator; unit → GPU pool; unit → host
(Ingress); unit → tunnel → host (routes). Read from the construct tree, not from YAML.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fako.cli import ui
from fako.cli.options import common

__all__ = ["register", "run"]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `fako graph` to the command line."""
    p = sub.add_parser(
        "graph",
        parents=[common()],
        help="draw layers, units and what they depend on (Mermaid, DOT, SVG, JSON)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--cluster", default="staging", help="cluster to draw (default: staging)")
    p.add_argument("--include-disabled", action="store_true", help="also draw switched-off units")
    p.add_argument(
        "--format",
        choices=("mermaid", "dot", "svg", "json"),
        default="mermaid",
        help="output format (default: mermaid)",
    )
    p.add_argument("-o", "--out", default="-", help="output file, or - for stdout (default: -)")
    p.set_defaults(func=run)


def render(cluster_name: str, fmt: str, *, include_disabled: bool = False) -> tuple[bytes, int, int]:
    """The graph of a cluster in `fmt`, with its node and edge counts."""
    # imported here so `fako --help` and other commands do not start Node or load models
    from fako.definition import build
    from fako.graph import cluster_graph, to_dot, to_json, to_mermaid, to_svg
    from fako.patterns.nodepools import GPU_POOLS
    from fako.synth import load_definition
    from fako.topology import topology

    cluster = build(load_definition(cluster_name), include_disabled=include_disabled)
    g = cluster_graph(topology(cluster, GPU_POOLS))
    data = to_svg(g) if fmt == "svg" else {"mermaid": to_mermaid, "dot": to_dot, "json": to_json}[fmt](g).encode()
    return data, len(g.nodes), len(g.edges)


def run(args: argparse.Namespace) -> int:
    """Build the cluster, draw it, write it."""
    data, nodes, edges = render(args.cluster, args.format, include_disabled=args.include_disabled)
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        where = "stdout"
    else:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        where = str(out)
    ui.info(f"drew {ui.plural(nodes, 'node')} and {ui.plural(edges, 'edge')} as {args.format} to {where}")
    return 0
