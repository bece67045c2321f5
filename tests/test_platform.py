"""The platform: operator constructs, GPU pool requests, Flux ordering, the database registry."""

from __future__ import annotations

from typing import Any

import pytest

from fako.definition import ClusterDefinition, LayerDefinition, Unit, build
from fako.errors import FakoError
from fako.fluxgraph import LayerKinds, depends_on, order
from fako.infra.helm_operator import HelmOperator, HelmOperatorSpec, HelmValues, Map
from fako.patterns.cnpg import database_init_script, declared_databases
from fako.patterns.nodepools import NVIDIA
from fako.tree import AppConstruct


def _objects(app: type[AppConstruct]) -> dict[str, dict[str, Any]]:
    cluster = build(ClusterDefinition("t", [LayerDefinition(app.default_layer, [Unit(app)])]))
    return {f"{o.manifest['kind']}/{o.manifest['metadata']['name']}": o.manifest for o in cluster.objects}


class _Values(HelmValues):
    replica_count: int
    resources: Map


class _Default(AppConstruct):
    name = "op"

    def build(self) -> None:
        HelmOperator(
            self, HelmOperatorSpec(name="op", chart="op-chart", version="^1.0.0", url="https://charts.example")
        )


class _Custom(AppConstruct):
    name = "custom"

    def build(self) -> None:
        HelmOperator(
            self,
            HelmOperatorSpec(
                name="custom",
                chart="c",
                url=None,
                repo="shared",
                repo_namespace="flux-system",
                interval="5m",
                install_crds=None,
                upgrade_crds=None,
                install_retries=None,
                upgrade_retries=2,
                timeout=None,
                values=_Values(replica_count=2, resources={"limits": {"memory": "1Gi"}}),
            ),
        )


def test_helm_operator_defaults() -> None:
    objs = _objects(_Default)
    assert objs["HelmRepository/op-chart"]["spec"] == {"interval": "24h", "url": "https://charts.example"}
    spec = objs["HelmRelease/op"]["spec"]
    assert spec["interval"] == "30m" and spec["timeout"] == "10m"
    assert spec["install"] == {"crds": "CreateReplace", "remediation": {"retries": 3}}
    assert spec["upgrade"] == spec["install"]
    assert spec["chart"]["spec"]["sourceRef"] == {"kind": "HelmRepository", "name": "op-chart", "namespace": "op"}
    assert "values" not in spec


def test_helm_operator_custom() -> None:
    objs = _objects(_Custom)
    assert "HelmRepository/shared" not in objs
    spec = objs["HelmRelease/custom"]["spec"]
    assert "install" not in spec and "timeout" not in spec
    assert spec["upgrade"] == {"remediation": {"retries": 2}}
    assert spec["chart"]["spec"]["sourceRef"]["namespace"] == "flux-system"
    assert spec["values"] == {"replicaCount": 2, "resources": {"limits": {"memory": "1Gi"}}}


def test_helm_values_reject_unknown_keys() -> None:
    with pytest.raises(ValueError):
        _Values.model_validate({"replicaCount": 1, "resources": {}, "typo": 1})


def test_gpu_request_beyond_pool_capacity() -> None:
    assert NVIDIA.request(1).count == 1
    with pytest.raises(FakoError, match=r"offers 1 nvidia\.com/gpu per node"):
        NVIDIA.request(2)


def test_depends_on_follows_kinds_and_pairs() -> None:
    layers = [
        LayerKinds("apps", uses=frozenset({"external-secrets.io/ExternalSecret", "issuer/prod"})),
        LayerKinds("infra-controllers", provides=frozenset({"external-secrets.io/ExternalSecret"})),
        LayerKinds("infra-configs", provides=frozenset({"issuer/prod"}), uses=frozenset({"core/Secret"})),
    ]
    deps = depends_on(layers, [("infra-controllers", "infra-configs")])
    assert deps == {
        "apps": ["infra-controllers", "infra-configs"],
        "infra-controllers": [],
        "infra-configs": ["infra-controllers"],
    }
    assert order(deps) == ["infra-controllers", "infra-configs", "apps"]


def test_dependency_cycle_is_named() -> None:
    layers = [
        LayerKinds("a", frozenset({"x/A"}), frozenset({"x/B"})),
        LayerKinds("b", frozenset({"x/B"}), frozenset({"x/A"})),
    ]
    with pytest.raises(FakoError, match="cycle: a -> b -> a"):
        order(depends_on(layers))


def test_staging_flux_dependencies() -> None:
    from fako.clusters.staging import CLUSTER

    cluster = build(CLUSTER, include_disabled=True)
    kustomizations = {
        o.manifest["metadata"]["name"]: o.manifest["spec"]
        for o in cluster.objects
        if o.manifest["kind"] == "Kustomization"
    }
    assert kustomizations["fako-infrastructure-configs"]["dependsOn"] == [{"name": "fako-infrastructure-controllers"}]
    assert kustomizations["fako-monitoring-configs"]["dependsOn"] == [{"name": "fako-monitoring-controllers"}]
    assert "dependsOn" not in kustomizations["fako-infrastructure-controllers"]
    assert kustomizations["fako-apps"]["path"] == "./apps"


class _Db1(AppConstruct):
    name = "db1"
    databases = ("oura", "n8n")


class _Db2(AppConstruct):
    name = "db2"
    databases = ("wiki",)
    shared_databases = ("n8n",)


def test_database_registry_changes_init_sql() -> None:
    before = database_init_script(
        "H\n", declared_databases([_Db1], ["plaud"]), order=("oura", "n8n", "plaud"), grants={"oura": "owner"}
    )
    after = database_init_script(
        "H\n", declared_databases([_Db1, _Db2], ["plaud"]), order=("oura", "n8n", "plaud"), grants={"oura": "owner"}
    )
    assert "wiki" not in before
    assert "\ncreate_database wiki app\n" in after
    assert after.index("create_database plaud app") < after.index("create_database wiki app")
    assert 'psql -d wiki -c "GRANT ALL ON SCHEMA public TO app;"' in after
    assert after.startswith("H\ncreate_database() {\n")
    assert after.index("ALTER SCHEMA public OWNER TO app") < after.index("-d n8n")
