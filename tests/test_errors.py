"""Bad input: one clear message naming app, field, value, file:line and fix; nothing written."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import fako

HEADER = """
from fako import k8s
from fako.constructs.workloads import Deployment, DeploymentSpec
from fako.patterns.workload import deployment, service, port
from fako.patterns.storage import claim
from fako.patterns.nodepools import NVIDIA
from fako.tree import AppConstruct
"""


def previous_render(out: Path) -> Path:
    """A folder holding an earlier fako render (its marker file and one document)."""
    out.mkdir(exist_ok=True)
    (out / ".fako-render").write_text("This folder is a render made by fako; `fako synth` replaces it whole.\n")
    (out / "keep.yaml").write_text("previous: render\n")
    return out


def run_app(tmp_path: Path, body: str, *extra: str) -> tuple[int, str, str]:
    app = tmp_path / "bad_app.py"
    app.write_text(HEADER + body)
    out = previous_render(tmp_path / "dist")
    proc = fako("synth", "--app-file", str(app), "--out", str(out), *extra, cwd=tmp_path)
    assert (out / "keep.yaml").read_text() == "previous: render\n", "dist/ was touched"
    assert sorted(p.name for p in out.iterdir()) == [".fako-render", "keep.yaml"]
    return proc.returncode, proc.stdout, proc.stderr


def test_typo_in_a_field_names_the_app_field_line_and_fix(tmp_path: Path) -> None:
    rc, _, err = run_app(
        tmp_path,
        """
class Web(AppConstruct):
    name = "web"

    def build(self) -> None:
        deployment(self, "web", selector={"app": "web"},
                   containers=[k8s.Container(name="web", image="nginx:1", imagePullPolicyy="Always")])
""",
    )
    assert rc == 1
    assert "invalid spec for app 'web' (bad_app.py:14)" in err
    assert "Container.imagePullPolicyy  unknown field (value 'Always')" in err
    assert "fix: did you mean 'imagePullPolicy'?" in err
    assert "1 error; nothing was written" in err
    assert "Traceback" not in err


def test_all_errors_of_all_apps_at_once(tmp_path: Path) -> None:
    rc, _, err = run_app(
        tmp_path,
        """
class One(AppConstruct):
    name = "one"

    def build(self) -> None:
        service(self, "svc", selector={"app": "x"}, ports=[port("http", "80")])


class Two(AppConstruct):
    name = "two"

    def build(self) -> None:
        claim(self, "Data_Volume", "1Gi")
""",
    )
    assert rc == 1
    assert "invalid spec for app 'one' (bad_app.py:13)" in err
    assert "port(): argument 'port' must be int, got str '80'" in err  # @checked on the pattern helper
    assert "invalid spec for app 'two' (bad_app.py:20)" in err
    assert "must be a lowercase DNS name" in err and "'Data_Volume'" in err
    assert "2 errors; nothing was written" in err


def test_missing_required_field(tmp_path: Path) -> None:
    rc, _, err = run_app(
        tmp_path,
        """
class Web(AppConstruct):
    name = "web"

    def build(self) -> None:
        deployment(self, "web", selector={"app": "web"}, containers=[k8s.Container(image="nginx:1")])
""",
    )
    assert rc == 1
    assert "Container.name" in err and "is required" in err


def test_gpu_request_beyond_the_pool(tmp_path: Path) -> None:
    rc, _, err = run_app(
        tmp_path,
        """
class Greedy(AppConstruct):
    name = "greedy"

    def build(self) -> None:
        NVIDIA.request(4)
""",
    )
    assert rc == 1
    assert "invalid spec for app 'greedy' (bad_app.py:13)" in err
    assert "but 4 were asked for" in err


def test_duplicate_construct_ids(tmp_path: Path) -> None:
    rc, _, err = run_app(
        tmp_path,
        """
class Twice(AppConstruct):
    name = "twice"

    def build(self) -> None:
        claim(self, "data", "1Gi")
        claim(self, "data", "2Gi")
""",
    )
    assert rc == 1
    assert "two constructs share the id 'data' in the same scope" in err
    # the line of the second claim: refused when made, not when Node's answer arrives
    assert "invalid spec for app 'twice' (bad_app.py:14)" in err


def test_duplicate_object_identities(tmp_path: Path) -> None:
    rc, _, err = run_app(
        tmp_path,
        """
class Twice(AppConstruct):
    name = "twice"

    def build(self) -> None:
        claim(self, "data", "1Gi")
        claim(self, "data", "2Gi", id="data-again")
""",
    )
    assert rc == 1
    assert (
        "PersistentVolumeClaim/twice/data  (bad_app.py:14 PersistentVolumeClaim)  identity.duplicate: is rendered 2 times"
        in err
    )


def test_module_that_fails_to_import(tmp_path: Path) -> None:
    rc, _, err = run_app(tmp_path, "import does_not_exist\n")
    assert rc == 1
    assert "invalid spec for app file" in err and "No module named 'does_not_exist'" in err
    assert "Traceback" not in err


def test_module_that_raises_while_building(tmp_path: Path) -> None:
    rc, _, err = run_app(
        tmp_path,
        """
class Boom(AppConstruct):
    name = "boom"

    def build(self) -> None:
        raise ValueError("no such thing")
""",
    )
    assert rc == 1
    assert "invalid spec for app 'boom' (bad_app.py:13)" in err and "ValueError: no such thing" in err


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    app = tmp_path / "bad_app.py"
    app.write_text(HEADER + "raise RuntimeError('x')\n")
    proc = fako("--debug", "synth", "--app-file", str(app), "--out", str(tmp_path / "d"), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" in proc.stderr


def test_usage_errors_exit_2() -> None:
    assert fako("synth", "--no-such-flag").returncode == 2
    assert fako().returncode == 2
    assert fako("synth", "--cluster", "nope", "--out", "/tmp/x").returncode == 1


def test_version_and_help() -> None:
    assert fako("--version").stdout.startswith("fako ")
    assert "synth" in fako("--help").stdout


SOPS_APP = """
from fako.constructs.namespace import Namespace, NamespaceSpec
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.tree import AppConstruct


class Vault(AppConstruct):
    name = "vault"

    def build(self) -> None:
        Namespace(self, "ns", NamespaceSpec(name="vault"))
        SopsSecret(self, "token", SopsSecretSpec(name="api-token"))
"""

SOPS_BODY = """apiVersion: v1
kind: {kind}
metadata:
    name: {name}
{namespace}stringData:
    token: ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]
sops:
    mac: ENC[AES256_GCM,data:xyz=,iv:a=,tag:b=,type:str]
    version: 3.11.0
"""


def sops_case(tmp_path: Path, body: str | bytes | None, *extra: str) -> tuple[int, str]:
    (tmp_path / "secrets" / "vault").mkdir(parents=True)
    if body is not None:
        data = body.encode() if isinstance(body, str) else body
        (tmp_path / "secrets" / "vault" / "api-token.sops.yaml").write_bytes(data)
    (tmp_path / "vault.py").write_text(SOPS_APP)
    out = previous_render(tmp_path / "dist")
    proc = fako("synth", "--app-file", "vault.py", "--out", "dist", *extra, cwd=tmp_path)
    if proc.returncode:
        assert sorted(p.name for p in out.iterdir()) == [".fako-render", "keep.yaml"], "dist/ was touched"
    return proc.returncode, proc.stderr


def test_encrypted_file_for_another_namespace(tmp_path: Path) -> None:
    rc, err = sops_case(tmp_path, SOPS_BODY.format(kind="Secret", name="api-token", namespace="    namespace: other\n"))
    assert rc == 1
    assert "encrypted for namespace 'other', the app uses 'vault'" in err
    assert "fix: re-encrypt it with the right namespace: sops edit" in err


def test_encrypted_file_holding_another_object(tmp_path: Path) -> None:
    rc, err = sops_case(tmp_path, SOPS_BODY.format(kind="ConfigMap", name="api-token", namespace=""))
    assert rc == 1 and "holds ConfigMap 'api-token', expected Secret 'api-token'" in err


def test_encrypted_file_that_is_not_yaml(tmp_path: Path) -> None:
    rc, err = sops_case(tmp_path, b"\xff\xfe\x00garbage: [")
    assert rc == 1 and "api-token.sops.yaml: not valid YAML" in err


def test_encrypted_file_that_is_too_large(tmp_path: Path) -> None:
    rc, err = sops_case(tmp_path, b"a: " + b"x" * (2 << 20))
    assert rc == 1 and "larger than 1048576 bytes; not a SOPS Secret" in err


def test_missing_encrypted_file_is_counted_listed_with_v_or_required(tmp_path: Path) -> None:
    rc, err = sops_case(tmp_path, None)
    # a fresh clone: left out, counted in the one summary line, listed with -v (the app
    # file joins the cluster, whose own encrypted files this folder lacks as well)
    counted = re.search(r"; (\d+) encrypted objects left out \(-v lists them\)", err)
    assert rc == 0 and counted and "api-token" not in err
    proc = fako("synth", "--app-file", "vault.py", "--out", "dist", "-v", cwd=tmp_path)
    listed = [line for line in proc.stderr.splitlines() if "left out (encrypted file not in this checkout)" in line]
    assert proc.returncode == 0 and len(listed) == int(counted.group(1))
    assert any("vault: api-token (" in line for line in listed)
    proc = fako("synth", "--app-file", "vault.py", "--out", "dist", "--require-secrets", cwd=tmp_path)
    assert proc.returncode == 1
    assert "secrets/vault/api-token.sops.yaml is missing" in proc.stderr


def test_port_out_of_range(tmp_path: Path) -> None:
    rc, _, err = run_app(
        tmp_path,
        """
class Web(AppConstruct):
    name = "web"

    def build(self) -> None:
        service(self, "web", selector={"app": "web"}, ports=[port("http", 80800)])
""",
    )
    assert rc == 1
    assert "Service/web/web" in err and "value.port: spec.ports[0].port: port 80800 must be between 1 and 65535" in err


def test_validate_reports_an_unknown_storage_class_and_a_missing_secret(tmp_path: Path) -> None:
    app = tmp_path / "dist" / "apps" / "web"
    app.mkdir(parents=True)
    (app / "web.yaml").write_text("""apiVersion: v1
kind: Namespace
metadata:
  name: web
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: web
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
  storageClassName: fast-ssd
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: web
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        envFrom: [{secretRef: {name: web-env}}]
""")
    proc = fako("validate", str(tmp_path / "dist"))
    assert proc.returncode == 1
    assert "PersistentVolumeClaim/web/data" in proc.stdout and "ref.storage-class" in proc.stdout
    assert "'fast-ssd'" in proc.stdout and "nfs-csi-v2" in proc.stdout
    assert "ref.secret: container 'web' envFrom names Secret 'web-env'" in proc.stdout


def test_validate_refuses_hostile_yaml_naming_the_file(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    for name, text in (("bomb.yaml", bomb), ("python.yaml", "!!python/object/apply:os.system ['true']\n")):
        tree = tmp_path / name.split(".")[0] / "apps" / "x"
        tree.mkdir(parents=True)
        (tree / name).write_text(text)
        proc = fako("validate", str(tmp_path / name.split(".")[0]))
        assert proc.returncode == 1, name
        assert name in proc.stderr and "Traceback" not in proc.stderr
