"""Secrets never in plaintext: not in a Secret, not in a SOPS file, not anywhere else.

- A `v1` Secret with `data` or `stringData` must be SOPS-encrypted (the cluster's
  `.sops.yaml` rule) or come from an ExternalSecret; Secrets inside `*List` objects are
  checked like any other (the engine expands lists).
- A SOPS-encrypted object must really be encrypted: a `sops` block with a MAC, and
  every value the file's `encrypted_regex` (or, without one, every value) covers in
  the form `ENC[AES256_GCM,data:...,iv:...,tag:...,type:...]` (SOPS's own format,
  `getsops/sops` `aes/cipher.go`). A pasted `sops:` key over cleartext is caught.
- No string anywhere may look like a credential (`fako.secretscan`: the patterns of
  `detect-secrets`), and an env var named like a credential (`*_TOKEN`, `*PASSWORD*`,
  `*_API_KEY`, ...) must not be given a literal value: use `secretKeyRef`.

Messages never show a value: at most its length and first two characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fako.secretscan import secret_kinds
from fako.text import masked
from fako.validation.rules import Rule, Violation, rule
from fako.validation.walk import at, containers, group_of, mapping, pod_specs, sequence, strings, texts

__all__ = ["RULES", "credential_env_literal", "credential_patterns", "plaintext_secret", "sops_encrypted"]

_ENC = re.compile(
    r"ENC\[AES256_GCM,data:[A-Za-z0-9+/=]*,iv:[A-Za-z0-9+/=]+,tag:[A-Za-z0-9+/=]+,"
    r"type:(?:str|int|float|bool|bytes|comment)\]\Z"
)
_CREDENTIAL_ENV = re.compile(
    r"(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CLIENT_SECRET|CREDENTIALS?)(?:$|_)"
)
_SA_TOKEN = "kubernetes.io/service-account-token"


def _is_secret(manifest: dict[str, Any]) -> bool:
    return manifest.get("kind") == "Secret" and group_of(manifest) == ""


@rule("secret.plaintext", "the cluster's .sops.yaml: Secrets are committed encrypted (encrypted_regex data|stringData)")
def plaintext_secret(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A Secret with data that is not SOPS-encrypted would put the values in git."""
    if not _is_secret(manifest) or "sops" in manifest:
        return
    for field in ("data", "stringData"):
        for key in mapping(manifest.get(field)):
            what = "service-account token Secret" if manifest.get("type") == _SA_TOKEN else "Secret"
            yield Violation(
                at(field, str(key)),
                f"{what} holds a plaintext value ({masked(str(mapping(manifest.get(field))[key]))}) "
                "that would be committed to git",
                "encrypt the file with sops (the cluster's .sops.yaml rule) or fetch it with an ExternalSecret",
                value=str(key),
            )


def _encrypted_leaves(value: Any, path: str, regex: re.Pattern[str] | None, covered: bool) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            inside = covered or (regex is not None and bool(regex.search(str(key))))
            yield from _encrypted_leaves(item, at(path, str(key)), regex, inside)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _encrypted_leaves(item, at(path, i), regex, covered)
    elif covered:
        yield path, value


@rule("secret.sops", "getsops/sops: aes/cipher.go (the ENC[...] format) and stores: a MAC over the values")
def sops_encrypted(manifest: dict[str, Any]) -> Iterator[Violation]:
    """A `sops:`-marked object must carry a MAC and only encrypted values where SOPS encrypts."""
    if "sops" not in manifest:
        return
    meta = mapping(manifest.get("sops"))
    mac = meta.get("mac")
    if not isinstance(mac, str) or not _ENC.match(mac):
        yield Violation("sops.mac", "has no valid MAC: this is not a file SOPS encrypted", "encrypt it with sops")
    pattern = meta.get("encrypted_regex")
    try:
        regex = re.compile(pattern) if isinstance(pattern, str) else None
    except re.error:
        regex = None
        yield Violation("sops.encrypted_regex", "is not a valid regular expression")
    body = {k: v for k, v in manifest.items() if k != "sops"}
    leaves = _encrypted_leaves(body, "", regex, covered=regex is None)
    for path, value in leaves:
        if value is None or (isinstance(value, str) and _ENC.match(value)):
            continue
        yield Violation(
            path,
            f"is not encrypted ({masked(str(value))}) although the file is marked as SOPS-encrypted",
            "re-encrypt the file with `sops --encrypt`; never paste a sops: block onto plaintext",
            value=path,
        )


@rule("secret.pattern", "Yelp/detect-secrets plugin patterns (fako.secretscan)")
def credential_patterns(manifest: dict[str, Any]) -> Iterator[Violation]:
    """No string may look like a credential (cloud keys, tokens, private keys)."""
    if "sops" in manifest:
        return  # encrypted values are ciphertext; the sops rule checks they are
    if not any(secret_kinds(text) for text in texts(manifest)):
        return
    for path, text in strings(manifest):
        kinds = secret_kinds(text)
        if kinds:
            yield Violation(
                path,
                f"looks like a {' / '.join(kinds)} ({masked(text)}): a credential in plaintext",
                "keep it in AWS Secrets Manager and read it with an ExternalSecret (or a SOPS Secret)",
                value=path,
            )


@rule("secret.env-literal", "OWASP Secrets Management: no credentials in plain configuration")
def credential_env_literal(manifest: dict[str, Any]) -> Iterator[Violation]:
    """An env var named like a credential must come from a Secret, not a literal value."""
    for pod in pod_specs(manifest):
        for container in containers(pod):
            for i, item in enumerate(sequence(container.body.get("env"))):
                env = mapping(item)
                name, value = str(env.get("name", "")), env.get("value")
                if not isinstance(value, str) or not value or not _CREDENTIAL_ENV.search(name.upper()):
                    continue
                if value.startswith("$(") or "/" in value:  # a reference to another variable, a file path
                    continue
                yield Violation(
                    at(at(at(container.path, "env"), i), "value"),
                    f"env {name} is a credential given as a literal ({masked(value)})",
                    f"read it from a Secret: env {name} with valueFrom.secretKeyRef",
                    value=name,
                )


RULES: tuple[Rule, ...] = (plaintext_secret, sops_encrypted, credential_patterns, credential_env_literal)
