"""Mutation tests for `fako.validation.secrets`' helpers (`_is_secret`, `_encrypted_leaves`),
through the rules that call them; expected violations written out in full by hand (SOPS's
`ENC[AES256_GCM,...]` format, the core v1 Secret)."""

from __future__ import annotations

from typing import Any

from fako.validation import secrets as rules
from fako.validation.rules import Violation

ENC = "ENC[AES256_GCM,data:YWJj,iv:aXY=,tag:dGFn,type:str]"
SOPS = {"mac": ENC, "version": "3.9.0"}
SOPS_FIX = "re-encrypt the file with `sops --encrypt`; never paste a sops: block onto plaintext"
PLAIN_FIX = "encrypt the file with sops (the cluster's .sops.yaml rule) or fetch it with an ExternalSecret"


def secret(api: str = "v1", kind: str = "Secret", **body: Any) -> dict[str, Any]:
    return {"apiVersion": api, "kind": kind, "metadata": {"name": "db", "namespace": "blog"}, **body}


def plain(path: str, shown: str) -> Violation:
    return Violation(path, f"is not encrypted ({shown}) although the file is marked as SOPS-encrypted", SOPS_FIX, path)


# ------------------------------------------------------------------------------ _is_secret


def test_a_core_secret_with_data_is_plaintext() -> None:
    manifest = secret(data={"password": "aHVudGVyMg=="}, stringData={"user": "app"})
    assert list(rules.plaintext_secret(manifest)) == [
        Violation(
            "data.password",
            "Secret holds a plaintext value ('aH***' (12 characters)) that would be committed to git",
            PLAIN_FIX,
            "password",
        ),
        Violation(
            "stringData.user",
            "Secret holds a plaintext value ('***' (3 characters)) that would be committed to git",
            PLAIN_FIX,
            "user",
        ),
    ]


def test_a_service_account_token_secret_is_named_so() -> None:
    manifest = secret(type="kubernetes.io/service-account-token", data={"token": "abcdef"})
    assert [v.message for v in rules.plaintext_secret(manifest)] == [
        "service-account token Secret holds a plaintext value ('ab***' (6 characters)) that would be committed to git"
    ]


def test_only_the_core_group_secret_kind_counts() -> None:
    data = {"data": {"password": "aHVudGVyMg=="}}
    assert list(rules.plaintext_secret(secret(api="example.com/v1", **data))) == []
    assert list(rules.plaintext_secret(secret(api="v1", kind="ConfigMap", **data))) == []
    assert list(rules.plaintext_secret(secret(api="v1", kind="secret", **data))) == []
    assert list(rules.plaintext_secret({"apiVersion": "v1", **data})) == []
    assert list(rules.plaintext_secret(secret(sops=SOPS, **data))) == []


# ------------------------------------------------------------------------------ _encrypted_leaves


def test_encrypted_regex_covers_the_matching_keys_and_everything_below_them() -> None:
    manifest = secret(
        data={"password": "hunter22", "token": ENC, "nested": {"plain": "abcdef", "ok": ENC, "empty": None}},
        stringData={"list": ["first", ENC, {"deep": "zz"}], 7: "seven"},
        other={"data-like": "x", "data": "top", "rows": [{"data": "row", "meta": "m"}]},
        sops={**SOPS, "encrypted_regex": "^(data|stringData)$"},
    )
    assert list(rules.sops_encrypted(manifest)) == [
        plain("data.password", "'hu***' (8 characters)"),
        plain("data.nested.plain", "'ab***' (6 characters)"),
        plain("stringData.list[0]", "'fi***' (5 characters)"),
        plain("stringData.list[2].deep", "'***' (2 characters)"),
        plain("stringData.7", "'se***' (5 characters)"),
        plain("other.data", "'***' (3 characters)"),
        plain("other.rows[0].data", "'***' (3 characters)"),
    ]


def test_a_regex_is_searched_in_the_key_and_matches_integer_keys() -> None:
    manifest = {
        "apiVersion": "v1",
        "items": {5: "five!", 6: "six!!", "x5": ["a", 1]},
        "sops": {**SOPS, "encrypted_regex": "5"},
    }
    assert list(rules.sops_encrypted(manifest)) == [
        plain("items.5", "'fi***' (5 characters)"),
        plain("items.x5[0]", "'***' (1 characters)"),
        plain("items.x5[1]", "'***' (1 characters)"),
    ]


def test_without_a_regex_every_value_is_covered() -> None:
    manifest = {"apiVersion": "v1", "kind": "Secret", "data": [ENC, ["abcde"]], "n": 3, "sops": SOPS}
    assert list(rules.sops_encrypted(manifest)) == [
        plain("apiVersion", "'***' (2 characters)"),
        plain("kind", "'Se***' (6 characters)"),
        plain("data[1][0]", "'ab***' (5 characters)"),
        plain("n", "'***' (1 characters)"),
    ]


def test_an_invalid_regex_covers_every_value() -> None:
    manifest = {"kind": "Secret", "sops": {**SOPS, "encrypted_regex": "("}}
    assert list(rules.sops_encrypted(manifest)) == [
        Violation("sops.encrypted_regex", "is not a valid regular expression"),
        plain("kind", "'Se***' (6 characters)"),
    ]


def test_a_fully_encrypted_file_passes() -> None:
    manifest = secret(data={"a": ENC, "b": [ENC]}, sops={**SOPS, "encrypted_regex": "^data$"})
    assert list(rules.sops_encrypted(manifest)) == []
