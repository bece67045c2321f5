"""Bad input: one clear message naming app, field, value, file:line and fix; nothing written."""

from __future__ import annotations

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


def run_app(tmp_path: Path, body: str, *extra: str) -> tuple[int, str, str]:
    app = tmp_path / "bad_app.py"
    app.write_text(HEADER + body)
    out = tmp_path / "dist"
    out.mkdir(exist_ok=True)
    (out / "keep.yaml").write_text("previous: render\n")
    proc = fako("synth", "--app-file", str(app), "--out", str(out), *extra, cwd=tmp_path)
    assert (out / "keep.yaml").read_text() == "previous: render\n", "dist/ was touched"
    assert sorted(p.name for p in out.iterdir()) == ["keep.yaml"]
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
    assert "ServicePort.port" in err and "input should be a valid integer, got '80'" in err
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
