"""`fako secret edit`: the real sops, the repository's rules, $EDITOR, and a file synth passes through."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import BIN, ROOT, fako
from test_sops import age_identity, sops_bin

VALUE = "s3cr3t-value-for-the-test-0815"
APP = '''"""A test app reading one encrypted Secret."""

from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct


class VaultTest(AppConstruct):
    """One Namespace and one encrypted Secret."""

    name = "vault-test"

    def build(self) -> None:
        AppNamespace(self)
        SopsSecret(self, "token", SopsSecretSpec(name="api-token"))
'''
EDITOR = f'''#!{sys.executable}
"""Stands for a person in $EDITOR: puts the value in place of the skeleton's."""
import sys
from pathlib import Path
path = Path(sys.argv[-1])
path.write_text(path.read_text().replace("change-me", "{VALUE}"))
'''


def checkout(tmp_path: Path, recipient: str) -> Path:
    root = tmp_path / "checkout"
    root.mkdir()
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (root / "src" / "fako" / "apps" / "vault_test.py").write_text(APP)
    config = (ROOT / ".sops.yaml").read_text()
    (root / ".sops.yaml").write_text(config.replace(config.split("age: ")[1].split()[0], recipient))
    return root


def run(root: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(root / "src"), "NO_COLOR": "1", **env}
    return subprocess.run([str(BIN / "fako"), *args], cwd=root, capture_output=True, text=True, env=full)


def editor(folder: Path, text: str = EDITOR) -> str:
    script = folder / "editor.py"
    script.write_text(text)
    script.chmod(0o755)
    return str(script)


def test_a_new_secret_is_encrypted_decrypts_to_the_value_and_synth_passes_it_through(tmp_path: Path) -> None:
    sops = sops_bin()
    key, public = age_identity(tmp_path)
    root = checkout(tmp_path, public)
    env = {"SOPS_AGE_KEY_FILE": str(key), "EDITOR": editor(tmp_path)}
    proc = run(root, "secret", "edit", "vault-test", "api-token", env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == (
        "fako: created secrets/vault-test/api-token.sops.yaml (Secret api-token in namespace vault-test), "
        "encrypted with .sops.yaml's recipient\n"
    )
    assert VALUE not in proc.stdout + proc.stderr
    path = root / "secrets" / "vault-test" / "api-token.sops.yaml"
    encrypted = path.read_bytes()
    assert VALUE.encode() not in encrypted and b"ENC[AES256_GCM" in encrypted and public.encode() in encrypted
    decrypted = subprocess.run(
        [sops, "decrypt", str(path)], check=True, capture_output=True, env={**os.environ, "SOPS_AGE_KEY_FILE": str(key)}
    ).stdout
    doc = yaml.safe_load(decrypted)
    assert doc["stringData"] == {"value": VALUE}
    assert doc["metadata"] == {"name": "api-token", "namespace": "vault-test"}
    out = tmp_path / "out"
    proc = run(root, "synth", "--app", "vault-test", "-o", "-", env={})
    assert proc.returncode == 0, proc.stderr
    assert encrypted.rstrip(b"\n").decode() in proc.stdout
    proc = run(root, "synth", "-o", str(out), env={})
    assert proc.returncode == 0, proc.stderr
    [rendered] = [p for p in out.rglob("*api-token*")]
    assert rendered.read_bytes() == encrypted


def test_editing_again_keeps_the_file_and_its_identity(tmp_path: Path) -> None:
    key, public = age_identity(tmp_path)
    root = checkout(tmp_path, public)
    env = {"SOPS_AGE_KEY_FILE": str(key), "EDITOR": editor(tmp_path)}
    assert run(root, "secret", "edit", "vault-test", "api-token", env=env).returncode == 0
    (tmp_path / "again").mkdir()
    again = editor(tmp_path / "again", EDITOR.replace(f'"change-me", "{VALUE}"', f'"{VALUE}", "rotated"'))
    proc = run(root, "secret", "edit", "vault-test", "api-token", env={**env, "EDITOR": again})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("fako: updated secrets/vault-test/api-token.sops.yaml")


def test_an_editor_that_saves_nothing_creates_nothing(tmp_path: Path) -> None:
    key, public = age_identity(tmp_path)
    root = checkout(tmp_path, public)
    env = {"SOPS_AGE_KEY_FILE": str(key), "EDITOR": editor(tmp_path, f"#!{sys.executable}\n")}
    proc = run(root, "secret", "edit", "vault-test", "api-token", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "nothing saved: secrets/vault-test/api-token.sops.yaml was not created" in proc.stderr
    assert not (root / "secrets" / "vault-test" / "api-token.sops.yaml").exists()


def test_the_placeholder_recipient_is_refused(tmp_path: Path) -> None:
    root = checkout(tmp_path, "age1REPLACE-WITH-THE-CLUSTER-KEY")
    proc = run(root, "secret", "edit", "vault-test", "api-token", env={"EDITOR": editor(tmp_path)})
    assert proc.returncode == 1
    assert "the age recipient 'age1REPLACE-WITH-THE-CLUSTER-KEY' is not an age public key (still the placeholder?)" in (
        proc.stderr
    )
    assert not (root / "secrets").exists()


def test_an_unknown_app_gets_did_you_mean() -> None:
    proc = fako("secret", "edit", "n8m", "x")
    assert proc.returncode == 2
    assert "no app named 'n8m' in this cluster; did you mean 'n8n'?" in proc.stderr


def test_the_repository_rule_mirrors_the_cluster() -> None:
    rule = yaml.safe_load((ROOT / ".sops.yaml").read_text())["creation_rules"][0]
    assert rule["path_regex"] == ".*.yaml"
    assert rule["encrypted_regex"] == "^(data|stringData)$"
    assert rule["age"].startswith("age1") and len(rule["age"]) == 62


@pytest.fixture(autouse=True)
def _no_user_sops_keys(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
