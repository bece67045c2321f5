"""Per-app overrides of shared pattern values (issue 12): one keyword, one value, nothing else moves.

Covers the Tailscale sidecar (resources, image) and the zi agents (one agent's memory),
plus the run-time argument checks of their helpers (issue 11).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from fako.apps import zi
from fako.errors import FakoError, SpecError
from fako.patterns.aws import AwsSecretStore
from fako.patterns.tailscale import TailscaleSidecar, TailscaleSpec, serve_json
from fako.testing import find, render_apps, synth
from fako.tree import AppConstruct


def _sidecar(spec: TailscaleSpec) -> dict[str, Any]:
    class One(AppConstruct):
        """One Tailscale sidecar (its container is returned, not deployed)."""

        name = "one"
        container: Any = None

        def build(self) -> None:
            type(self).container = TailscaleSidecar(self, AwsSecretStore(self), spec).container

    render_apps(One)
    dumped: dict[str, Any] = One.container.model_dump(by_alias=True, exclude_none=True)
    return dumped


def test_tailscale_defaults() -> None:
    container = _sidecar(TailscaleSpec(hostname="hume-collector", key="hume"))
    assert container["image"] == "tailscale/tailscale:v1.80.0"
    assert container["resources"] == {
        "limits": {"cpu": "200m", "memory": "128Mi"},
        "requests": {"cpu": "20m", "memory": "64Mi"},
    }


def test_tailscale_memory_limit_and_image_are_overridden_alone() -> None:
    spec = TailscaleSpec(
        hostname="hume-collector", key="hume", limits={"memory": "256Mi"}, image="tailscale/tailscale:v1.82.0"
    )
    container = _sidecar(spec)
    assert container["image"] == "tailscale/tailscale:v1.82.0"
    assert container["resources"] == {
        "limits": {"cpu": "200m", "memory": "256Mi"},
        "requests": {"cpu": "20m", "memory": "64Mi"},
    }


def test_one_agent_memory_limit_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    before = synth(zi.Zi)
    # The edit an OOM fix makes: one agent's `memory=(request, limit)`, here k8s-engineer's limit.
    # Live values (today's limits, images) are read from the render, never pinned here: a
    # bot's one-line change to them must not have to edit this test too.
    raised = tuple(
        zi.Agent(**{**a.model_dump(), "memory": (a.memory[0], "7Gi")}) if a.name == "k8s-engineer" else a
        for a in zi.AGENTS
    )
    monkeypatch.setattr(zi, "AGENTS", raised)
    after = synth(zi.Zi)

    assert len(before) == len(after)
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert [(a["kind"], a["metadata"]["name"]) for _, a in changed] == [("Deployment", "agent-k8s-engineer")]
    old, new = changed[0]
    expected = copy.deepcopy(old)
    expected["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]["memory"] = "7Gi"
    assert new == expected
    # every other agent keeps what it had
    for name in ("agent-code-reviewer", "agent-backend-engineer"):
        assert find(after, "Deployment", name) == find(before, "Deployment", name)


# -- run-time argument checks ----------------------------------------------------------------


def test_serve_json_refuses_a_string_port() -> None:
    with pytest.raises(FakoError) as err:
        serve_json("8080")  # type: ignore[arg-type]
    assert str(err.value) == "serve_json: port must be the main container's port as an int (8080), got str '8080'"
    with pytest.raises(FakoError) as err:
        serve_json(True)
    assert str(err.value) == "serve_json: port must be the main container's port as an int (8080), got bool True"
    with pytest.raises(FakoError) as err:
        serve_json(80800)
    assert str(err.value) == "serve_json: port must be 1-65535, got 80800"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"limits": {"memory": "big"}}, "must be a Kubernetes quantity like '250m', '512Mi' or '2Gi', got 'big'"),
        ({"requests": "64Mi"}, "requests\n  Input should be a valid dictionary"),
        ({"port": "8080"}, "port\n  Input should be a valid integer"),
        ({"hostname": "Hume Collector"}, "must be a lowercase DNS name"),
    ],
)
def test_tailscale_spec_misuse(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as err:
        TailscaleSpec(**{"hostname": "hume-collector", "key": "hume", **fields})
    assert "validation error for TailscaleSpec" in str(err.value)
    assert message in str(err.value)


class _Misuse(AppConstruct):
    """Calls a helper with wrong argument types (set by the test)."""

    name = "misuse"
    call: Any = None

    def build(self) -> None:
        type(self).call(self)


AGENT = {"name": "x", "image": "lzetam/zi-agent-x:latest", "description": "d"}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda app: TailscaleSidecar(app, "aws-secrets", TailscaleSpec(hostname="h", key="k")),
            "TailscaleSidecar: store must be the app's AwsSecretStore, got str 'aws-secrets'",
        ),
        (
            lambda app: TailscaleSidecar(app, AwsSecretStore(app), {"hostname": "h", "key": "k"}),
            "TailscaleSidecar: spec must be a TailscaleSpec(hostname=..., key=...), got dict {'hostname': 'h', "
            "'key': 'k'}",
        ),
        (
            lambda app: zi.agent(app, AGENT),
            "agent: a must be an Agent(name=..., image=..., cpu=..., memory=..., description=...), got dict "
            "{'name': 'x', 'image': 'lzetam/zi-agent-x:latest', 'descr...",
        ),
        (lambda app: zi.agent("zi", zi.AGENTS[0]), "agent: app must be the Zi app (self), got str 'zi'"),
    ],
)
def test_helper_misuse_names_the_helper_and_argument(call: Any, message: str) -> None:
    _Misuse.call = call
    with pytest.raises(SpecError) as err:
        render_apps(_Misuse)
    assert [p.message for p in err.value.problems] == [message]


def test_agent_resources_must_be_request_limit_pairs() -> None:
    with pytest.raises(ValidationError) as err:
        zi.Agent(**AGENT, cpu=("50m", "500m"), memory="2Gi")
    assert "validation error for Agent\nmemory\n  Input should be a valid tuple" in str(err.value)
    with pytest.raises(ValidationError) as err:
        zi.Agent(**AGENT, cpu=("50m", "500m"), memory=("256Mi", "2 Gi"))
    assert "must be a Kubernetes quantity like '250m', '512Mi' or '2Gi', got '2 Gi'" in str(err.value)
