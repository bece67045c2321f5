"""The traps app authors fell into: each is now a clear error or a call that fits."""

from __future__ import annotations

import pytest

from fako import k8s
from fako.checked import HelperError
from fako.patterns.namespace import RESTRICTED, AppNamespace
from fako.patterns.nodepools import NVIDIA
from fako.patterns.storage import claim
from fako.patterns.workload import deployment, port
from fako.testing import synth
from fako.tree import AppConstruct

WEB = k8s.Container(name="web", image="nginx:1.27-alpine")


def _build(body: object) -> list[dict[str, object]]:
    class Trap(AppConstruct):
        name = "trap"

        def build(self) -> None:
            body(self)  # type: ignore[operator]

    return synth(Trap)


def test_a_misspelt_pod_security_level_says_which_preset_was_meant() -> None:
    with pytest.raises(Exception) as info:
        _build(lambda app: AppNamespace(app, pss="restrictd"))  # type: ignore[arg-type]
    text = str(info.value)
    assert "AppNamespace(): argument 'pss' must be a PodSecurity such as BASELINE or RESTRICTED" in text
    assert "got str 'restrictd'; did you mean RESTRICTED (from fako.patterns.namespace import RESTRICTED)?" in text
    assert "'str' object has no attribute 'labels'" not in text


def test_the_preset_itself_works() -> None:
    [ns] = _build(lambda app: AppNamespace(app, pss=RESTRICTED))
    assert ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"  # type: ignore[index]


def test_a_misspelt_keyword_of_deployment_gets_did_you_mean() -> None:
    with pytest.raises(HelperError, match=r"deployment\(\): unknown argument 'replica'; did you mean 'replicas'\?"):
        deployment(object(), "web", selector={"app": "web"}, replica=2, containers=[WEB])  # type: ignore[call-arg]


def test_a_pod_spec_field_misspelt_in_deployment_is_caught_too() -> None:
    with pytest.raises(HelperError, match=r"unknown argument 'node_selectr'; did you mean 'node_selector'\?"):
        deployment(object(), "web", selector={"app": "web"}, node_selectr={"a": "b"}, containers=[WEB])


def test_wrong_types_in_pattern_helpers_name_the_argument() -> None:
    with pytest.raises(HelperError, match=r"claim\(\): argument 'size' must be str, got int 10"):
        claim(object(), "data", 10)  # type: ignore[arg-type]
    with pytest.raises(HelperError, match=r"port\(\): unknown argument 'targt'; did you mean 'target'\?"):
        port("http", 80, targt=8080)


def test_gpu_resources_fit_a_container() -> None:
    gpu = NVIDIA.request(1)
    container = k8s.Container(
        name="gpu", image="nginx:1.27-alpine", resources=gpu.resources(requests={"cpu": "1"}, limits={"memory": "2Gi"})
    )
    assert container.model_dump(by_alias=True, exclude_none=True)["resources"] == {
        "requests": {"cpu": "1"},
        "limits": {"memory": "2Gi", "nvidia.com/gpu": 1},
    }
    with pytest.raises(HelperError, match=r"request\(\): argument 'count' must be int, got str '1'"):
        NVIDIA.request("1")  # type: ignore[arg-type]


def test_the_readme_gpu_example_renders_a_gpu_pod() -> None:
    import re

    from conftest import ROOT

    [code] = [b for b in re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S) if "NVIDIA" in b]

    def body(app: AppConstruct) -> None:
        exec(code, {"self": app, "k8s": k8s, "deployment": deployment, "NVIDIA": NVIDIA})

    [dep] = _build(body)
    pod = dep["spec"]["template"]["spec"]  # type: ignore[index]
    assert pod["runtimeClassName"] == "nvidia" and pod["nodeSelector"] == {"nvidia.com/gpu.present": "true"}
    assert pod["containers"][0]["resources"] == {
        "limits": {"memory": "12Gi", "nvidia.com/gpu": 1},
        "requests": {"cpu": "500m"},
    }
