"""The generated models are the schemas: regenerating them changes nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import BIN, ROOT


def test_generated_models_are_up_to_date(shared: Path) -> None:
    proc = subprocess.run(
        [str(BIN / "python"), "tools/gen_models.py", "--check", "--crds", str(shared / "schemas" / "crds")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_reference_custom_resources_validate_against_the_models(shared: Path) -> None:
    import yaml

    from fako.crdcheck import custom_resource_errors
    from fako.validation import SchemaSet

    schemas = SchemaSet.for_version("1.34")
    checked = 0
    for path in sorted((shared / "reference" / "fako-cluster").glob("*/*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc and not schemas.is_builtin(doc["apiVersion"]):
                body = {k: v for k, v in doc.items() if k != "sops"}
                assert custom_resource_errors(body) == [], f"{path}: {doc['kind']}/{doc['metadata']['name']}"
                checked += 1
    assert checked > 200


def test_a_wrong_custom_resource_is_reported() -> None:
    from fako.crdcheck import custom_resource_errors

    errors = custom_resource_errors(
        {
            "apiVersion": "external-secrets.io/v1",
            "kind": "ExternalSecret",
            "metadata": {"name": "x"},
            "spec": {"refreshInterval": 1, "secretStoreRef": {"name": "s"}, "targett": {}},
        }
    )
    assert any("refreshInterval" in e for e in errors) and any("targett" in e for e in errors)
