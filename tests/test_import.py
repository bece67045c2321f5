"""`fako import`: every reference app and the hand-written fixtures round-trip exactly, typed.

The reference apps are imported once per session (in-process, ~5 s); each is then checked
on its own: exact round trip (encrypted Secrets on identity), at least 90% typed, the
shared patterns used. Generated modules pass ruff (check + format) and mypy --strict.
Fixtures under tests/fixtures/import/ cover what the cluster does not write (StatefulSet
volumeClaimTemplates, HPA, PDB, init containers, a plaintext Secret, helm template output).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fako.cli.main import main
from fako.errors import FakoError
from fako.importer import ImportResult, import_app
from fako.importer.loading import load_manifests
from fako.importer.roundtrip import Comparison, ObjectResult, compare
from fako.render import Render
from fako.rendered import RenderedObject

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
APPS = SHARED / "reference" / "fako-cluster" / "apps"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
BIN = Path(sys.executable).parent
REFERENCE = sorted(p.stem for p in APPS.glob("*.yaml")) if APPS.is_dir() else []
PLAINTEXT = ("hunter2-fixture-plaintext", "c2VjcmV0LWZpeHR1cmUtdG9rZW4=", "secret-fixture-token")


def _report(c: Comparison) -> str:
    return "\n".join(f"{r.verdict}: {r.label} {', '.join(r.paths[:8])}" for r in c.failures)


@pytest.fixture(scope="session")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ImportResult]:
    """Every reference app imported into one temp folder (its secrets/ folder is empty)."""
    if not REFERENCE:
        pytest.skip("../shared (the reference cluster) is not present")
    out = tmp_path_factory.mktemp("imported")
    return {app: import_app([APPS / f"{app}.yaml"], app, out, root=out) for app in REFERENCE}


@pytest.mark.parametrize("app", REFERENCE or ["(no reference)"])
def test_reference_app_round_trips_exactly(imported: dict[str, ImportResult], app: str) -> None:
    result = imported[app]
    c = result.comparison
    assert c.ok, _report(c)
    assert c.exact == c.total == len(load_manifests([APPS / f"{app}.yaml"]))
    assert c.typed / c.total >= 0.9, f"{app}: only {c.typed}/{c.total} typed"


def test_reference_totals(imported: dict[str, ImportResult]) -> None:
    total = sum(r.comparison.total for r in imported.values())
    exact = sum(r.comparison.exact for r in imported.values())
    typed = sum(r.comparison.typed for r in imported.values())
    assert exact == total
    assert typed / total >= 0.95, f"{typed}/{total} typed"


def test_reference_modules_use_the_shared_patterns(imported: dict[str, ImportResult]) -> None:
    def source(app: str) -> str:
        return imported[app].module.read_text(encoding="utf-8")

    whisperx = source("whisperx")
    for call in (
        "AppNamespace(self)",
        'AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))',
        "dockerhub_pull_secret(store)",
        'store.secret("huggingface-token-secret", {"token": "huggingface/token#HF_TOKEN"}, target="huggingface-token")',
        'for name, size in (("whisperx-data", "10Gi"), ("whisperx-models", "20Gi"), ("whisperx-output", "10Gi")):\n'
        "            claim(self, name, size)",
        'strategy="Recreate"',
        '"HF_TOKEN": secret_key("huggingface-token", "token")',
        'liveness_probe=http_probe("/health", 8000, delay=60, period=30, timeout=10)',
        'mount("models-cache", "/app/models")',
        'pvc_volume("models-cache", "whisperx-models")',
        'ports=[port("http", 8000)]',
        'ingress(self, "whisperx-api", hosts=["whisperx.landryzetam.net"], service="whisperx-api", port=8000,',
    ):
        assert call in whisperx, call
    assert "CloudflareTunnel(" in source("blog") and "LegacyPullSecret(self)" in source("blog")
    hume = source("hume-collector")
    assert "tailscale = TailscaleSidecar(self, store" in hume and "tailscale.container" in hume
    assert 'cronjob(self, "hume-report", "30 5 * * *",' in hume
    assert 'read_file(__file__, "cloudflared.yaml")' in source("blog")
    assert "Raw(" in source("headlamp") and "# Raw: " in source("headlamp")


def test_reference_modules_read_like_hand_written_ones(imported: dict[str, ImportResult]) -> None:
    whisperx = imported["whisperx"].module.read_text(encoding="utf-8")
    tree = ast.parse(whisperx)
    doc = ast.get_docstring(tree) or ""
    assert "whisperx.yaml" in doc and "lzetam/whisperx:latest" in doc and "whisperx.landryzetam.net" in doc
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
    assert [c.name for c in classes] == ["Whisperx"]
    assert 'LABELS = {"app": "whisperx-api"}' in whisperx
    # the default store refresh, creation policy and PodSecurity preset are not spelled out
    assert "refresh=" not in whisperx and "creation_policy" not in whisperx and "pss=" not in whisperx


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(BIN))
    if not found:
        pytest.skip(f"{name} is not installed")
    return found


def test_generated_modules_pass_ruff(imported: dict[str, ImportResult], tmp_path: Path) -> None:
    """`ruff check` with the project's rules. App modules are not `ruff format`ted (pyproject
    excludes src/fako/apps/: they are dense declarations), so neither are imported ones."""
    modules = [str(r.module) for r in imported.values()] + [str(_fixture_import(tmp_path).module)]
    config = str(ROOT / "pyproject.toml")
    check = subprocess.run([_tool("ruff"), "check", "--config", config, *modules], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def test_generated_modules_pass_mypy_strict(imported: dict[str, ImportResult], tmp_path: Path) -> None:
    modules = [str(r.module) for r in imported.values()] + [str(_fixture_import(tmp_path).module)]
    proc = subprocess.run(
        [
            _tool("mypy"),
            "--strict",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "mypy-cache"),
            *modules,
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


# -- fixtures the cluster does not cover -------------------------------------------------------


def _fixture_import(tmp_path: Path) -> ImportResult:
    out = tmp_path / "fixture"
    if (out / "datastore.py").exists():
        shutil.rmtree(out)
    return import_app([FIXTURES / "datastore.yaml"], "datastore", out, root=out)


def test_fixture_round_trips_with_statefulset_hpa_pdb_and_init_containers(tmp_path: Path) -> None:
    result = _fixture_import(tmp_path)
    c = result.comparison
    assert c.ok, _report(c)
    assert c.total == 9 and c.typed == 8  # the keda ScaledObject stays Raw
    source = result.module.read_text(encoding="utf-8")
    for text in (
        "StatefulSet(",
        "volume_claim_templates=[",
        "HorizontalPodAutoscaler(",
        "PodDisruptionBudget(",
        "init_containers=[",
        'name="log-shipper"',
        "default_mode=0o755",
        "# Raw: fako has no typed construct for keda.sh/v1alpha1 ScaledObject",
        'AppNamespace(self, pss=PodSecurity(enforce="baseline"), labels={"team": "data"})',
    ):
        assert text in source, text


def test_long_config_values_are_written_verbatim_beside_the_module(tmp_path: Path) -> None:
    result = _fixture_import(tmp_path)
    data = load_manifests([FIXTURES / "datastore.yaml"])[2].body["data"]
    files = {p.name: p for p in result.files[1:]}
    assert set(files) == {"init.sh", "no-newline.txt"}  # short.conf (1 line) stays inline
    for key, path in files.items():
        assert path.read_bytes() == data[key].encode("utf-8")
    assert 'read_file(__file__, "init.sh")' in result.module.read_text(encoding="utf-8")


def test_plaintext_secret_values_never_reach_module_files_output_or_render(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, dist = tmp_path / "out", tmp_path / "dist"
    code = main(
        ["import", str(FIXTURES / "datastore.yaml"), "--name", "datastore", "-o", str(out), "--render-out", str(dist)]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "9/9 objects exact; 8/9 typed (89%)" in captured.out
    assert "plaintext Secret datastore/db-admin (keys: api-token, password, username)" in captured.err
    written = [p for p in (*out.rglob("*"), *dist.rglob("*")) if p.is_file()]
    assert any(p.suffix == ".py" for p in written) and any(p.name == "datastore.yaml" for p in written)
    assert not [p for p in written if "__pycache__" in p.parts or p.suffix == ".pyc"]  # no bytecode left in --out
    for value in PLAINTEXT:
        assert value not in captured.out + captured.err
        for path in written:  # bytes: any file, text or not, is searched
            assert value.encode() not in path.read_bytes(), f"{value} leaked into {path}"
    source = (out / "datastore.py").read_text(encoding="utf-8")
    assert 'SopsSecret(self, "db-admin", SopsSecretSpec(name="db-admin"))' in source
    assert "# TODO: a plaintext Secret in the input" in source


def test_helm_template_output_gets_the_app_namespace(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["import", str(FIXTURES / "helm-output.yaml"), "--name", "podinfo", "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "4/4 objects exact; 4/4 typed (100%)" in captured.out
    assert "3 namespaced objects had no namespace; placed in 'podinfo'" in captured.err
    source = (tmp_path / "podinfo.py").read_text(encoding="utf-8")
    assert "deployment(" in source and "service(" in source and "ClusterRole(" in source


# -- refusing bad input and reporting differences ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &a [*a]\n", "refused"),
        ("apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: x}\n", "duplicate key"),
        ("!!python/object/apply:os.system ['true']\n", "refused"),
        ("- just\n- a list\n", "not a mapping"),
        ("apiVersion: v1\nmetadata: {name: x}\n", "has no kind"),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n", "has no metadata.name"),
        ("key: [unclosed\n", "refused"),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {1: one}\n", "not a string"),
    ],
)
def test_hostile_or_broken_yaml_is_refused_naming_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FakoError) as err:
        import_app([path], "bad", tmp_path / "out")
    assert str(path) in str(err.value) and message in str(err.value)
    assert not (tmp_path / "out" / "bad.py").exists()


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: [\n", encoding="utf-8")
    assert main(["import", str(bad), "--name", "bad", "--out", str(tmp_path)]) == 1
    assert main(["import", str(FIXTURES / "helm-output.yaml"), "--name", "Not_A_Label", "--out", str(tmp_path)]) == 2
    assert main(["import", str(FIXTURES / "helm-output.yaml"), "--name", "podinfo", "--out", str(tmp_path)]) == 0
    assert main(["import", str(FIXTURES / "helm-output.yaml"), "--name", "podinfo", "--out", str(tmp_path)]) == 1
    assert "exists" in capsys.readouterr().err
    assert (
        main(["import", str(FIXTURES / "helm-output.yaml"), "--name", "podinfo", "--out", str(tmp_path), "--force"])
        == 0
    )


def test_a_differing_object_is_reported_by_field_path_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    manifests = load_manifests([FIXTURES / "helm-output.yaml"])
    changed = dict(manifests[0].body, spec={**manifests[0].body["spec"], "type": "NodePort"})
    render = Render(objects=[RenderedObject("apps", "x", changed, "p", "c", "Service", "s")])
    comparison = compare(manifests[:1], render)
    assert not comparison.ok
    assert comparison.failures == [ObjectResult(("v1", "Service", "", "podinfo"), "differs", True, ("/spec/type",))]

    import fako.importer

    def fake(files: list[Path], name: str, out: Path, **_: object) -> ImportResult:
        return ImportResult(out / "x.py", [out / "x.py"], "X", comparison)

    monkeypatch.setattr(fako.importer, "import_app", fake)
    assert main(["import", str(FIXTURES / "helm-output.yaml"), "--name", "x", "--out", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "0/1 objects exact" in out and "  differs: Service podinfo (v1): /spec/type" in out
    assert (
        main(["import", str(FIXTURES / "helm-output.yaml"), "--name", "x", "--out", str(tmp_path), "--allow-diff"]) == 0
    )


def test_input_text_cannot_escape_strings_comments_or_docstrings(tmp_path: Path) -> None:
    weird = tmp_path / 'x"""\\n import os #.yaml'
    weird.write_text(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tricky\n  namespace: odd\n"
        "data:\n"
        '  quotes: "she said \\"\\"\\" and \'\' \\\\ done"\n'
        '  unicode: "caf\\u00e9 \\u2028 \\t tab \\u0000"\n'
        "---\napiVersion: example.org/v1\nkind: Thing\nmetadata:\n  name: thing\n  namespace: odd\n"
        'spec:\n  note: "\\n# not a comment\\nimport os"\n',
        encoding="utf-8",
    )
    result = import_app([weird], "odd", tmp_path / "out", root=tmp_path)
    assert result.comparison.ok, _report(result.comparison)
    source = result.module.read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert not [
        n
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.Expr))
        and n is not tree.body[0]
        and not (isinstance(n, ast.Expr) and isinstance(n.value, (ast.Constant, ast.Call)))
    ]
    doc = ast.get_docstring(tree) or ""
    assert "x????n import os #.yaml" in doc and '"' not in doc and "\\" not in doc


def test_several_files_make_one_app(tmp_path: Path) -> None:
    files = [FIXTURES / "datastore.yaml", FIXTURES / "helm-output.yaml"]
    result = import_app(files, "combined", tmp_path, root=tmp_path)
    assert result.comparison.ok, _report(result.comparison)
    assert result.comparison.total == 13
    assert any("placed in 'datastore'" in n for n in result.notes)
    source = result.module.read_text(encoding="utf-8")
    assert 'namespace = "datastore"' in source
    assert "datastore.yaml, helm-output.yaml" in (ast.get_docstring(ast.parse(source)) or "")


def _sops_file(root: Path, app: str, name: str, keys: list[str]) -> None:
    path = root / "secrets" / app / f"{name}.sops.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = "".join(f"  {k}: ENC[AES256_GCM,data:x,type:str]\n" for k in keys)
    path.write_text(
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {name}\ntype: Opaque\ndata:\n{data}"
        "sops:\n  age: []\n  mac: ENC[AES256_GCM,data:x,type:str]\n  version: 3.11.0\n",
        encoding="utf-8",
    )


def test_owner_sops_files_are_compared_on_their_keys(tmp_path: Path) -> None:
    if not REFERENCE:
        pytest.skip("../shared (the reference cluster) is not present")
    _sops_file(tmp_path, "blog", "tunnel-credentials", ["credentials.json"])
    _sops_file(tmp_path, "blog", "dockerhub-credentials", ["username"])  # the input has password too
    result = import_app([APPS / "blog.yaml"], "blog", tmp_path / "out", root=tmp_path)
    by_name = {r.identity[3]: r for r in result.comparison.results if r.encrypted}
    assert by_name["tunnel-credentials"].verdict == "exact" and not by_name["tunnel-credentials"].absent
    assert by_name["dockerhub-credentials"].verdict == "differs"
    assert by_name["dockerhub-credentials"].paths == ("data (keys)",)
