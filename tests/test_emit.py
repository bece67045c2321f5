"""fako's YAML emitter: every value reads back as written, by PyYAML and by kustomize."""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

import yaml

from conftest import kubectl
from fako.emit import dump_all


class _GoOutputLoader(yaml.SafeLoader):
    """kustomize writes `=` and `<<` unquoted; YAML 1.1 reads them as `value`/`merge` tags."""


for _tag in ("tag:yaml.org,2002:value", "tag:yaml.org,2002:merge"):
    _GoOutputLoader.add_constructor(_tag, lambda loader, node: loader.construct_scalar(node))

TRICKY = [
    "",
    " ",
    "a b",
    " lead",
    "trail ",
    "true",
    "True",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "N",
    "null",
    "~",
    "1",
    "-1",
    "1.5",
    "1e3",
    "0x1F",
    "0o17",
    "010",
    "1:20",
    "12:30:00",
    "2026-08-12",
    ".5",
    ".inf",
    "-.inf",
    ".nan",
    "100m",
    "1.5Gi",
    "30s",
    "1h",
    "-c",
    "--config=/etc/x",
    "-",
    "--",
    "a:",
    "a: b",
    "a:b",
    "http://x:80/y",
    "#x",
    "a #b",
    "a#b",
    "@x",
    "`x",
    "!x",
    "&x",
    "*x",
    "|",
    ">",
    "%x",
    "{a}",
    "[a]",
    "'q'",
    '"d"',
    "a'b",
    "tab\there",
    "line\nbreak",
    "ends\n",
    "ends\n\n",
    "\nstarts",
    " two\nlines",
    "trailing \nspace",
    "unicode é ✓",
    "cr\r\nlf",
    "\x00nul",
    "\x7f",
    "key=value",
    "x,y",
    "${VAR}",
    "$(VAR)",
    "<<",
    "=",
]


def roundtrip(doc: dict[str, object]) -> object:
    return yaml.safe_load(dump_all([doc]))


def test_tricky_strings_read_back_as_strings() -> None:
    for text in TRICKY:
        doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {text or "k": text}}
        assert roundtrip(doc) == doc, repr(text)


def test_types_are_kept() -> None:
    doc = {
        "apiVersion": "v1",
        "kind": "X",
        "metadata": {"name": "x"},
        "spec": {
            "i": 1,
            "neg": -3,
            "f": 0.5,
            "e": 1e-05,
            "b": True,
            "n": None,
            "s": "1",
            "empty": {},
            "list": [],
            "nested": [[1, "2"], {"a": [{}]}],
            "gpu": {"nvidia.com/gpu": 1, "cpu": "1"},
        },
    }
    assert roundtrip(doc) == doc


def test_random_documents_read_back(tmp_path: Path) -> None:
    """Random JSON-shaped documents; control characters are left to the PyYAML test above
    (kustomize refuses them outright, escaped or not)."""
    rng = random.Random(20261126)
    tricky = [t for t in TRICKY if all(c.isprintable() or c in "\n\t" for c in t) and t != "<<"]
    alphabet = "ab01 :#-'\"\n\t{}[],&*!|>%@`$=.~é"

    def value(depth: int) -> object:
        kind = rng.randrange(7 if depth < 3 else 4)
        if kind == 0:
            return "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        if kind == 1:
            return rng.choice([0, 1, -7, 2**40, 0.25, True, False, None])
        if kind == 2:
            return rng.choice(tricky)
        if kind == 3:
            return "".join(rng.choice("abc\n ") for _ in range(rng.randrange(20)))
        if kind in (4, 5):
            return {str(value(9)) or "k": value(depth + 1) for _ in range(rng.randrange(4))}
        return [value(depth + 1) for _ in range(rng.randrange(4))]

    docs = [{"apiVersion": "v1", "kind": "X", "metadata": {"name": f"x{i}"}, "spec": value(0)} for i in range(300)]
    text = dump_all(docs)
    assert list(yaml.safe_load_all(text)) == docs
    # kustomize (go-yaml) reads the same values: it re-emits, we parse its output back
    folder = tmp_path / "k"
    folder.mkdir()
    (folder / "x.yaml").write_text(text)
    (folder / "kustomization.yaml").write_text("resources:\n- x.yaml\n")
    out = subprocess.run([kubectl(), "kustomize", str(folder)], check=True, capture_output=True, text=True).stdout
    by_name = {d["metadata"]["name"]: d for d in yaml.load_all(out, Loader=_GoOutputLoader)}
    for doc in docs:
        assert by_name[doc["metadata"]["name"]].get("spec") == doc["spec"], doc["metadata"]["name"]


def test_output_is_kubectl_style() -> None:
    text = dump_all(
        [
            {
                "kind": "Pod",
                "apiVersion": "v1",
                "metadata": {"name": "p"},
                "spec": {"containers": [{"name": "c", "image": "x:1", "args": ["-c", "echo hi"]}]},
            }
        ]
    )
    assert text == (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - args:\n    - -c\n"
        "    - 'echo hi'\n    image: x:1\n    name: c\n"
    )


def test_scripts_are_literal_blocks() -> None:
    script = '#!/bin/sh\nset -eu\necho "${HOME}"\n'
    text = dump_all([{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "s"}, "data": {"run.sh": script}}])
    assert "  run.sh: |\n    #!/bin/sh\n    set -eu\n" in text
