"""Issue 11: fako loses nothing, leaks nothing, and app code cannot escape or fake success.

Each test plants one careless or hostile input and asserts the refusal, its message, and
that nothing was written. App modules are written to a temporary folder and rendered
with `fako synth --app-file` (in-process through `fako.cli.main.run`, or as a real
subprocess where the process itself is at stake: `os._exit`, signals).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

from conftest import BIN, fako
from fako.cli.main import run as cli_run

HEADER = """
import os, sys
from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec, read_file
from fako.constructs.namespace import Namespace, NamespaceSpec
from fako.constructs.raw import Raw
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.constructs.pods import env, http_probe, resources
from fako.patterns.rbac import bind
from fako.patterns.workload import deployment
from fako.tree import AppConstruct
"""


def write_app(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "app.py"
    path.write_text(HEADER + body)
    return path


def synth_app(tmp_path: Path, body: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """Render one app module in-process; return (exit code, stderr)."""
    app = write_app(tmp_path, body)
    out = tmp_path / "out"
    code = cli_run(["synth", "--app-file", str(app), "-o", str(out)])
    err = capsys.readouterr().err
    if code:
        assert not out.exists(), "a failed synth wrote its output folder"
    return code, err


def one_deployment(container: str = 'k8s.Container(name="web", image="nginx:1.27")', **pod: str) -> str:
    extra = "".join(f", {k}={v}" for k, v in pod.items())
    return f"""
class Web(AppConstruct):
    name = "web"

    def build(self) -> None:
        Namespace(self, "ns", NamespaceSpec(name="web"))
        deployment(self, "web", selector={{"app": "web"}}, containers=[{container}]{extra})
"""


# -- confinement: names and files ------------------------------------------------------


@pytest.mark.parametrize("name", ["../../x", "/tmp/x", "Web", "web_app", "a" * 64, "web\x1b[2Kfako: rendered 0"])
def test_an_app_name_that_is_not_a_dns_label_is_refused(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = synth_app(
        tmp_path, f"class Bad(AppConstruct):\n    name = {name!r}\n    def build(self) -> None: pass\n", capsys
    )
    assert code == 1
    assert "`name`" in err and ("RFC 1123 label" in err or "must be no more than 63 characters (it has 64)" in err)
    assert "\x1b" not in err, "an escape code reached the terminal"


def test_an_ansi_app_name_is_shown_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = synth_app(
        tmp_path,
        "class Bad(AppConstruct):\n    name = 'x\\x1b[2K\\rfako: ok'\n    def build(self) -> None: pass\n",
        capsys,
    )
    assert code == 1 and "\\x1b[2K\\rfako: ok" in err and "\x1b" not in err and "\r" not in err


def test_a_layer_name_that_leaves_the_render_is_refused() -> None:
    from fako.definition import LayerDefinition
    from fako.errors import SpecError

    for name in ("/tmp/x", "../x", "a/b"):
        with pytest.raises(SpecError, match="RFC 1123 label"):
            LayerDefinition(name, ())


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("../../../../etc/passwd", "an app reads only the files it ships (no absolute paths, no '..')"),
        ("/etc/passwd", "an app reads only the files it ships (no absolute paths, no '..')"),
        ("", "an app reads only the files it ships"),
    ],
)
def test_read_file_reads_only_inside_the_apps_files_folder(
    relative: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = f"""
class Reader(AppConstruct):
    name = "reader"

    def build(self) -> None:
        ConfigMap(self, "c", ConfigMapSpec(name="c", data={{"x": read_file(__file__, {relative!r})}}))
"""
    code, err = synth_app(tmp_path, body, capsys)
    assert code == 1 and message in err
    assert "root:" not in err


def test_read_file_through_a_symlink_out_of_the_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = tmp_path / "files" / "app"
    files.mkdir(parents=True)
    (files / "passwd").symlink_to("/etc/passwd")
    body = """
class Reader(AppConstruct):
    name = "reader"

    def build(self) -> None:
        ConfigMap(self, "c", ConfigMapSpec(name="c", data={"x": read_file(__file__, "passwd")}))
"""
    code, err = synth_app(tmp_path, body, capsys)
    assert code == 1 and "leads outside" in err and "a symbolic link?" in err


def test_a_sops_file_outside_the_secrets_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = """
class Vault(AppConstruct):
    name = "vault"

    def build(self) -> None:
        Namespace(self, "ns", NamespaceSpec(name="vault"))
        SopsSecret(self, "s", SopsSecretSpec(name="token", file="../../home/me/.ssh/id_rsa"))
"""
    code, err = synth_app(tmp_path, body, capsys)
    assert code == 1 and "must be a path inside the secrets folder" in err


# -- app code cannot fake success ------------------------------------------------------


def test_sys_exit_0_in_build_is_that_apps_error(tmp_path: Path) -> None:
    app = write_app(
        tmp_path, "class Quit(AppConstruct):\n    name = 'quit'\n    def build(self) -> None:\n        sys.exit(0)\n"
    )
    proc = fako("synth", "--app-file", str(app), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 1
    assert "invalid spec for app 'quit'" in proc.stderr and "ended the process (sys.exit(0))" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize("where", ["import", "build"])
def test_os_exit_0_cannot_end_fako_with_success(where: str, tmp_path: Path) -> None:
    at_import = "os._exit(0)\n" if where == "import" else ""
    in_build = "        os._exit(0)\n" if where == "build" else "        pass\n"
    app = write_app(
        tmp_path, f"{at_import}class Quit(AppConstruct):\n    name = 'quit'\n    def build(self) -> None:\n{in_build}"
    )
    proc = fako("synth", "--app-file", str(app), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert proc.returncode == 1
    assert "the command ended without finishing" in proc.stderr and "nothing is vouched for" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_os_exit_while_building_names_the_app(tmp_path: Path) -> None:
    app = write_app(
        tmp_path, "class Quit(AppConstruct):\n    name = 'quit'\n    def build(self) -> None:\n        os._exit(0)\n"
    )
    proc = fako("synth", "--app-file", str(app), "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert "while building app quit" in proc.stderr


def test_a_base_exception_subclass_is_the_apps_error_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = """
class Escape(BaseException):
    pass


class Odd(AppConstruct):
    name = "odd"

    def build(self) -> None:
        raise Escape("out")
"""
    code, err = synth_app(tmp_path, body, capsys)
    assert code == 1 and "invalid spec for app 'odd'" in err and "Escape: out" in err and "Traceback" not in err


def test_an_app_that_makes_no_objects_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = synth_app(
        tmp_path, "class Empty(AppConstruct):\n    name = 'empty'\n    def build(self) -> None:\n        pass\n", capsys
    )
    assert code == 1 and "made no objects: build() created nothing" in err


def test_ctrl_c_still_interrupts(tmp_path: Path) -> None:
    app = write_app(
        tmp_path,
        "import time\nclass Slow(AppConstruct):\n    name = 'slow'\n    def build(self) -> None:\n        time.sleep(60)\n",
    )
    proc = subprocess.Popen(
        [str(BIN / "fako"), "synth", "--app-file", str(app), "-o", str(tmp_path / "out")],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(4)
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "interrupted" in err
    assert not (tmp_path / "out").exists()


# -- databases ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('("notes")', "`databases` must be a tuple of database names, got the string 'notes'; write ('notes',)"),
        ('("x; psql -c \\"DROP DATABASE keycloak\\"",)', "is not a PostgreSQL identifier"),
        ('("my-notes",)', "`databases` 'my-notes' is not a PostgreSQL identifier"),
        ('("notes", "notes")', "`databases` names 'notes' twice"),
        ("(1,)", "`databases` must be a tuple of database names, got (1,)"),
    ],
)
def test_app_databases_are_a_tuple_of_postgres_identifiers(
    value: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = f"class Db(AppConstruct):\n    name = 'db'\n    databases = {value}\n    def build(self) -> None: pass\n"
    code, err = synth_app(tmp_path, body, capsys)
    assert code == 1 and message in err


def test_two_apps_declaring_one_database_is_an_error_naming_both() -> None:
    from fako.errors import SpecError
    from fako.patterns.cnpg import declared_databases
    from fako.tree import AppConstruct

    class First(AppConstruct):
        name = "first"
        databases = ("notes",)

    class Second(AppConstruct):
        name = "second"
        databases = ("notes",)

    class Reader(AppConstruct):
        name = "reader"
        shared_databases = ("notes", "ghost")

    with pytest.raises(SpecError) as caught:
        declared_databases([First, Second, Reader])
    text = str(caught.value)
    assert "invalid spec for app 'second'" in text
    assert "declares database 'notes', which app 'first' already owns" in text
    assert "uses database 'ghost', which no app declares in `databases`" in text
    assert declared_databases([First, Reader.__mro__[0]] if False else [First]) == ["notes"]


# -- helpers check their arguments -----------------------------------------------------


@pytest.mark.parametrize(
    ("container", "message"),
    [
        (
            'k8s.Container(name="web", image="nginx:1", resources=resources(cpu="10m", memory="32Mi"))',
            "resources(): argument 'cpu' must be a (request, limit) pair",
        ),
        (
            'k8s.Container(name="web", image="nginx:1", readiness_probe=http_probe("/", 80, dealy=5))',
            "did you mean 'delay'?",
        ),
        ('k8s.Container(name="web", image="nginx:1", env=env({"A": 1}))', "env(): argument 'values' must be"),
    ],
)
def test_helpers_refuse_wrong_arguments_naming_helper_argument_and_form(
    container: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = synth_app(tmp_path, one_deployment(container), capsys)
    assert code == 1 and message in err


# -- secrets never in plaintext, never echoed --------------------------------------------

GITHUB_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
AWS_KEY = "AKIA" + "ZQ3DRSQ7BN4KXYZA"


def validate_tree(tmp_path: Path, documents: list[dict[str, object]]) -> subprocess.CompletedProcess[str]:
    folder = tmp_path / "tree" / "apps" / "web"
    folder.mkdir(parents=True)
    (folder / "web.yaml").write_text(yaml.safe_dump_all(documents))
    return fako("validate", str(tmp_path / "tree"))


def namespace_doc() -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "web"}}


def test_a_secret_inside_a_secret_list_is_plaintext(tmp_path: Path) -> None:
    listed = {
        "apiVersion": "v1",
        "kind": "SecretList",
        "items": [
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "s", "namespace": "web"},
                "stringData": {"password": "hunter2"},
            }
        ],
    }
    proc = validate_tree(tmp_path, [namespace_doc(), listed])
    assert proc.returncode == 1 and "secret.plaintext: stringData.password" in proc.stdout
    assert "hunter2" not in proc.stdout + proc.stderr


def test_a_pasted_sops_block_over_cleartext_is_caught(tmp_path: Path) -> None:
    fake = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "s", "namespace": "web"},
        "stringData": {"password": "ENC[hunter2]"},
        "sops": {
            "mac": "ENC[AES256_GCM,data:YQ==,iv:aXY=,tag:dGFn,type:str]",
            "encrypted_regex": "^(data|stringData)$",
        },
    }
    proc = validate_tree(tmp_path, [namespace_doc(), fake])
    assert proc.returncode == 1
    assert "secret.sops: stringData.password: is not encrypted" in proc.stdout and "hunter2" not in proc.stdout


def test_an_aws_key_in_a_config_map_is_an_error_and_is_masked(tmp_path: Path) -> None:
    cm = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "c", "namespace": "web"},
        "data": {"AWS_ACCESS_KEY_ID": AWS_KEY},
    }
    proc = validate_tree(tmp_path, [namespace_doc(), cm])
    assert (
        proc.returncode == 1
        and "secret.pattern: data.AWS_ACCESS_KEY_ID: looks like a AWS Access Key ('AK***' (20 characters))"
        in proc.stdout
    )
    assert AWS_KEY not in proc.stdout + proc.stderr


@pytest.mark.cluster  # renders the whole cluster with the app (left out of mutation runs)
def test_a_token_as_an_env_literal_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    container = 'k8s.Container(name="web", image="nginx:1.27", env=env({"API_TOKEN": "s3cr3t-v4lue-1234"}))'
    code, err = synth_app(tmp_path, one_deployment(container), capsys)
    assert code == 1 and "secret.env-literal" in err and "env API_TOKEN is a credential given as a literal" in err
    assert "s3cr3t-v4lue-1234" not in err


def test_an_unknown_field_error_never_prints_a_secret_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    container = f'k8s.Container(name="web", image="nginx:1.27", tokn="{GITHUB_TOKEN}")'
    code, err = synth_app(tmp_path, one_deployment(container), capsys)
    assert code == 1 and "unknown field (value 'gh***' (40 characters))" in err
    assert GITHUB_TOKEN not in err and GITHUB_TOKEN[:10] not in err


@pytest.mark.cluster  # renders the whole cluster with the app (left out of mutation runs)
def test_a_del_character_in_a_value_is_refused_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = """
class Web(AppConstruct):
    name = "web"

    def build(self) -> None:
        Namespace(self, "ns", NamespaceSpec(name="web"))
        ConfigMap(self, "c", ConfigMapSpec(name="c", data={"k": "a\\x7fb"}))
"""
    code, err = synth_app(tmp_path, body, capsys)
    assert code == 1 and "value.characters: data.k: contains the control character \\x7f at position 1" in err


# -- the security floor ------------------------------------------------------------------


@pytest.mark.cluster  # renders the whole cluster with the app (left out of mutation runs)
@pytest.mark.parametrize(
    ("container", "pod", "message"),
    [
        (
            'k8s.Container(name="web", image="nginx:1.27", security_context=k8s.SecurityContext(privileged=True))',
            {},
            "security.privileged: spec.template.spec.containers[0].securityContext.privileged: container 'web' is privileged",
        ),
        (
            'k8s.Container(name="web", image="nginx:1.27")',
            {"host_network": "True"},
            "security.host-namespaces: spec.template.spec.hostNetwork",
        ),
        (
            'k8s.Container(name="web", image="nginx:1.27")',
            {"host_pid": "True"},
            "the pod shares the node's pid namespace",
        ),
        (
            'k8s.Container(name="web", image="nginx:1.27", volume_mounts=[k8s.VolumeMount(name="root", mount_path="/host")])',
            {"volumes": '[k8s.Volume(name="root", host_path=k8s.HostPathVolumeSource(path="/"))]'},
            "volume 'root' mounts the node's / (the node's whole filesystem)",
        ),
        (
            'k8s.Container(name="web", image="nginx:1.27", security_context=k8s.SecurityContext(capabilities=k8s.Capabilities(add=["SYS_ADMIN"])))',
            {},
            "container 'web' adds capability SYS_ADMIN, beyond the Baseline set",
        ),
        (
            'k8s.Container(name="web", image="nginx:1.27", security_context=k8s.SecurityContext(allow_privilege_escalation=True))',
            {},
            "container 'web' may run as root and allows privilege escalation",
        ),
    ],
)
def test_the_security_floor_refuses_node_level_power(
    container: str, pod: dict[str, str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, err = synth_app(tmp_path, one_deployment(container, **pod), capsys)
    assert code == 1 and message in err


@pytest.mark.cluster  # renders the whole cluster with the app (left out of mutation runs)
def test_an_app_service_account_bound_to_cluster_admin_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = """
class Admin(AppConstruct):
    name = "admin"

    def build(self) -> None:
        Namespace(self, "ns", NamespaceSpec(name="admin"))
        bind(self, "admin-all", role="cluster-admin", account="default")
"""
    code, err = synth_app(tmp_path, body, capsys)
    assert code == 1 and "security.cluster-admin: roleRef.name: gives ServiceAccount admin/default cluster-admin" in err
