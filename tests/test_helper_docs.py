"""The README's list of helpers is generated from the docstrings, and every example in it runs."""

from __future__ import annotations

import importlib
import importlib.util
import subprocess
import sys
from types import ModuleType
from typing import Any

import pytest

from conftest import ROOT
from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.definition import ClusterDefinition, LayerDefinition, Unit, build
from fako.fluxgraph import LayerKinds
from fako.patterns.aws import AwsSecretStore
from fako.patterns.nodepools import NVIDIA
from fako.tree import AppConstruct


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_helper_docs", ROOT / "tools" / "gen_helper_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_helper_docs"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


TOOL = _tool()
HELPERS, PROBLEMS = TOOL.helpers()


def test_every_helper_has_a_docstring_with_one_example() -> None:
    assert PROBLEMS == []
    names = {f"{h.module}.{h.name}" for h in HELPERS}
    # an independent list of what an app author must find there
    for name in (
        "fako.patterns.gpu.GpuNodePool.request",
        "fako.patterns.gpu.GpuRequest.limits",
        "fako.patterns.gpu.GpuRequest.pod_fields",
        "fako.patterns.gpu.GpuRequest.resources",
        "fako.patterns.shared_secrets.PG_HOST",
        "fako.patterns.shared_secrets.postgres_credentials",
        "fako.constructs.pods.secret_key",
        "fako.patterns.storage.claim",
        "fako.patterns.cron.cronjob",
        "fako.patterns.aws.AwsSecretStore.secret",
        "fako.patterns.workload.deployment",
        "fako.patterns.namespace.AppNamespace",
    ):
        assert name in names, name


def test_the_readme_section_is_what_the_tool_writes() -> None:
    assert TOOL.section(HELPERS) in (ROOT / "README.md").read_text(), (
        "README.md's helper list is stale: run `python tools/gen_helper_docs.py`"
    )
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_helper_docs.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_the_tool_reads_examples_and_constant_docstrings() -> None:
    import ast

    tree = ast.parse('X = 1\n"""Just words."""\nY = 2\n')
    assert TOOL._attribute_docs(tree.body) == {"X": "Just words."}
    assert TOOL.EXAMPLE.findall("Just words.") == []
    assert TOOL.EXAMPLE.findall("A thing.\n\n    Example: `claim(self, 'd', '1Gi')`\n") == ["claim(self, 'd', '1Gi')"]


def _context() -> dict[str, Any]:
    names: dict[str, Any] = {"k8s": k8s, "ConfigMap": ConfigMap, "ConfigMapSpec": ConfigMapSpec}
    names["LayerKinds"] = LayerKinds
    names["IMAGE"] = "nginx:1.27-alpine"  # the examples write image=IMAGE where a module writes the full literal
    for module in TOOL.MODULES:
        mod = importlib.import_module(module)
        names.update({n: getattr(mod, n) for n in getattr(mod, "__all__", [])})
    # values_file(__file__) reads files/<module>/values.yaml beside the app module
    names["__file__"] = str(ROOT / "src" / "fako" / "apps" / "amig_erp.py")
    return names


CONTEXT = _context()


@pytest.mark.parametrize("helper", HELPERS, ids=[f"{h.module.rsplit('.', 1)[1]}.{h.name}" for h in HELPERS])
def test_every_example_runs_in_an_app(helper: Any) -> None:
    code = compile(helper.example, f"<example of {helper.name}>", "exec")

    class Example(AppConstruct):
        name = "example"

        def build(self) -> None:
            scope = {**CONTEXT, "self": self, "store": AwsSecretStore(self, "prelude-store"), "gpu": NVIDIA.request(1)}
            exec(code, scope)

    build(ClusterDefinition("examples", [LayerDefinition("apps", [Unit(Example)])]), root=ROOT)
