"""The shared string walk (`walk.texts`) and the rules that use it as a first pass:
a hit anywhere, in a key or deep in a list, is still found, with its path."""

from __future__ import annotations

from fako.validation import secrets, strings
from fako.validation.walk import texts
from ruletest import found, obj


def test_texts_lists_every_string_and_key_once_per_manifest() -> None:
    manifest = {"a": ["x", {"b": "y", 1: "z"}, 3, None], "c": {"d": ["e"]}}
    assert sorted(texts(manifest)) == ["a", "b", "c", "d", "e", "x", "y", "z"]
    other = {"k": "v"}
    assert texts(other) == ("k", "v")  # a new manifest is walked anew
    assert sorted(texts(manifest)) == ["a", "b", "c", "d", "e", "x", "y", "z"]


def test_control_characters_found_in_keys_and_nested_values() -> None:
    clean = obj("v1", "ConfigMap", "c", data={"a.sh": "echo\tok\n"})
    assert found(strings.characters, clean) == []
    dirty = obj("v1", "ConfigMap", "c", data={"a\x1b[2J": "ok", "b": ["fine", {"c": "bell\x07"}]})
    assert found(strings.characters, dirty) == [
        "data.a\x1b[2J{}: contains the control character \\x1b at position 1: YAML and kubectl refuse it",
        "data.b[1].c: contains the control character \\x07 at position 4: YAML and kubectl refuse it",
    ]


def test_credential_patterns_found_deep_in_a_manifest() -> None:
    clean = obj("v1", "ConfigMap", "c", data={"url": "https://example.org/path"})
    assert found(secrets.credential_patterns, clean) == []
    key = "AKIA" + "IOSFODNN7EXAMPLE"
    leaky = obj("v1", "ConfigMap", "c", data={"config": ["a", {"aws": key}]})
    assert found(secrets.credential_patterns, leaky) == [
        "data.config[1].aws: looks like a AWS Access Key ('AK***' (20 characters)): a credential in plaintext"
    ]
