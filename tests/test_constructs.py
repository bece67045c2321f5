"""Fine-grained construct tests: objects found by kind and name, the fields that matter."""

from __future__ import annotations

from pathlib import Path

import pytest

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import config_volume, empty_dir, env_from, secret_volume
from fako.constructs.raw import Raw
from fako.constructs.rbac import ClusterRole, RoleSpec
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.constructs.workloads import Deployment, DeploymentSpec
from fako.errors import FakoError
from fako.patterns.aws import AwsSecretStore, AwsSecretStoreSpec
from fako.patterns.gpu import GpuNodePool, GpuNodePoolSpec, TimeSlicing
from fako.patterns.rbac import bind, grant, rule, script_job
from fako.patterns.workload import deployment, port, service
from fako.testing import find, render_apps, synth
from fako.tree import AppConstruct

SCRIPT = '#!/bin/sh\nset -eu\necho "${HOME}"  # kept verbatim\n\n'


class Demo(AppConstruct):
    """A small app using the building blocks."""

    name = "demo"

    def build(self) -> None:
        deployment(
            self,
            "web",
            selector={"app": "web"},
            replicas=0,
            containers=[
                k8s.Container(
                    name="web",
                    image="nginx:1.27",
                    resources={"limits": {"cpu": "1", "nvidia.com/gpu": 1, "memory": "1Gi"}},
                )
            ],
        )
        service(self, "web", selector={"app": "web"}, ports=[port("http", 80, "http")], id="web-svc")
        ConfigMap(self, "scripts", ConfigMapSpec(name="scripts", data={"run.sh": SCRIPT, "n": "1"}))
        ClusterRole(
            self,
            "reader",
            RoleSpec(name="demo-reader", rules=[k8s.PolicyRule(verbs=["get"], api_groups=[""], resources=["pods"])]),
        )
        Raw(self, "endpoint", {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr"}, "spec": {}})


def test_defaults_are_not_injected() -> None:
    objs = synth(Demo)
    dep = find(objs, "Deployment", "web")
    assert dep["metadata"] == {"name": "web", "namespace": "demo"}
    assert dep["spec"]["replicas"] == 0
    assert dep["spec"]["selector"] == {"matchLabels": {"app": "web"}}
    assert dep["spec"]["template"]["metadata"] == {"labels": {"app": "web"}}
    assert "strategy" not in dep["spec"]
    assert set(dep["spec"]["template"]["spec"]) == {"containers"}


def test_ints_stay_ints_and_strings_stay_strings() -> None:
    limits = find(synth(Demo), "Deployment", "web")["spec"]["template"]["spec"]["containers"][0]["resources"]["limits"]
    assert limits == {"cpu": "1", "nvidia.com/gpu": 1, "memory": "1Gi"}
    svc = find(synth(Demo), "Service", "web")
    assert svc["spec"]["ports"] == [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}]


def test_scripts_are_verbatim_through_yaml(tmp_path: Path) -> None:
    result = render_apps(Demo)
    text = result.files["apps/demo/demo.yaml"].decode()
    import yaml

    cm = next(d for d in yaml.safe_load_all(text) if d["kind"] == "ConfigMap")
    assert cm["data"] == {"run.sh": SCRIPT, "n": "1"}
    assert "run.sh: |" in text


def test_cluster_scoped_kinds_get_no_namespace() -> None:
    role = find(synth(Demo), "ClusterRole", "demo-reader")
    assert "namespace" not in role["metadata"]
    assert role["rules"] == [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]


def test_raw_is_marked_untyped_and_typed_objects_are_typed() -> None:
    objs = {(o.kind, o.name): o for o in render_apps(Demo).objects}
    assert objs[("LimitRange", "lr")].typed is False
    assert objs[("Deployment", "web")].typed is True
    assert objs[("Deployment", "web")].construct_path == "apps/demo/web"


class Stores(AppConstruct):
    name = "stores"

    def build(self) -> None:
        store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets"))
        store.secret("api", {"token": "svc/api#TOKEN", "all": "svc/raw"})


def test_secret_store_and_external_secret_short_form() -> None:
    objs = synth(Stores)
    es = find(objs, "ExternalSecret", "api")
    assert es["spec"] == {
        "data": [
            {"remoteRef": {"key": "svc/api", "property": "TOKEN"}, "secretKey": "token"},
            {"remoteRef": {"key": "svc/raw"}, "secretKey": "all"},
        ],
        "refreshInterval": "1h",
        "secretStoreRef": {"kind": "SecretStore", "name": "aws-secrets"},
        "target": {"creationPolicy": "Owner", "name": "api"},
    }
    store = find(objs, "SecretStore", "aws-secrets")
    assert store["spec"]["provider"]["aws"]["region"] == "us-east-1"


def test_absent_sops_file_is_left_out_and_listed() -> None:
    result = render_apps(Stores, root=Path("/nonexistent"))
    assert not [o for o in result.objects if o.kind == "Secret"]
    [absent] = result.absent
    assert (absent.app, absent.label, absent.identity) == (
        "stores",
        "aws-credentials",
        ("Secret", "stores", "aws-credentials"),
    )
    assert absent.file == Path("/nonexistent/secrets/stores/aws-credentials.sops.yaml")


SOPS_FILE = b"""apiVersion: v1
kind: Secret
metadata:
    name: api-key
type: Opaque
stringData:
    token: ENC[AES256_GCM,data:abc=,iv:def=,tag:ghi=,type:str]
sops:
    mac: ENC[AES256_GCM,data:xyz=,iv:a=,tag:b=,type:str]
    version: 3.11.0
"""


class WithSops(AppConstruct):
    name = "sopsy"

    def build(self) -> None:
        SopsSecret(self, "key", SopsSecretSpec(name="api-key"))


def test_present_sops_file_is_copied_byte_for_byte(tmp_path: Path) -> None:
    (tmp_path / "secrets" / "sopsy").mkdir(parents=True)
    (tmp_path / "secrets" / "sopsy" / "api-key.sops.yaml").write_bytes(SOPS_FILE)
    result = render_apps(WithSops, root=tmp_path)
    assert result.files["apps/sopsy/secrets-sopsy/secret-api-key.sops.yaml"] == SOPS_FILE
    assert b"namespace: sopsy" in result.files["apps/sopsy/secrets-sopsy/kustomization.yaml"]
    secret = next(o for o in result.objects if o.kind == "Secret")
    assert secret.namespace == "sopsy" and secret.raw == SOPS_FILE


def test_plain_file_posing_as_sops_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secrets" / "sopsy").mkdir(parents=True)
    (tmp_path / "secrets" / "sopsy" / "api-key.sops.yaml").write_text(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: api-key\nstringData:\n  token: hunter2\n"
    )
    result = render_apps(WithSops, root=tmp_path)
    assert [p.message for p in result.problems] == [
        f"{tmp_path}/secrets/sopsy/api-key.sops.yaml: not a SOPS-encrypted file (no top-level `sops:` block)"
    ]
    assert "hunter2" not in repr(result.problems)


def test_gpu_pool_request_reaches_pod_and_rejects_too_many() -> None:
    pool = GpuNodePool(GpuNodePoolSpec(name="p", nodes=("n1",), gpus_per_node=1))
    req = pool.request(1)
    assert req.limits(memory="1Gi") == {"memory": "1Gi", "nvidia.com/gpu": 1}
    assert req.pod_fields()["runtime_class_name"] == "nvidia"
    with pytest.raises(FakoError, match=r"offers 1 nvidia.com/gpu per node \(nodes: n1\), but 2 were asked for"):
        pool.request(2)
    sliced = GpuNodePool(GpuNodePoolSpec(name="s", nodes=("n1",), time_slicing=TimeSlicing(replicas=4)))
    assert sliced.request(3).count == 3


def test_cdk8s_synth_agrees_with_fako_render() -> None:
    """The objects are real cdk8s ApiObjects: cdk8s's own synth yields the same documents."""
    import yaml

    from fako.definition import ClusterDefinition, LayerDefinition, Unit, build
    from fako.render import render

    cluster = build(ClusterDefinition("t", [LayerDefinition("apps", [Unit(Demo)])]))
    ours = [o.manifest for o in render(cluster).objects]
    theirs = [d for d in yaml.safe_load_all(cluster.synth_yaml()) if d]
    assert theirs == ours


def test_spec_types_are_strict() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="Input should be a valid integer"):
        DeploymentSpec(name="x", replicas="1", selector={"matchLabels": {}}, template={})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="must be a lowercase DNS name"):
        DeploymentSpec(name="Web_1", selector={}, template={})


class FullSpec(AppConstruct):
    """An app using the typed Deployment with the full Kubernetes spec."""

    name = "full"

    def build(self) -> None:
        Deployment(
            self,
            "web",
            DeploymentSpec(
                name="web",
                replicas=2,
                selector=k8s.LabelSelector(match_labels={"app": "web"}),
                template=k8s.PodTemplateSpec(
                    metadata=k8s.ObjectMeta(labels={"app": "web"}),
                    spec=k8s.PodSpec(containers=[k8s.Container(name="web", image="nginx:1.27")]),
                ),
            ),
        )


def test_the_typed_deployment_renders_the_spec_it_is_given() -> None:
    assert find(synth(FullSpec), "Deployment", "web") == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "full"},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"image": "nginx:1.27", "name": "web"}]},
            },
        },
    }


# -- pod and RBAC short forms ----------------------------------------------------------------


def test_env_from_lists_config_maps_then_secrets_and_optional_only_when_said() -> None:
    dump = [e.model_dump(by_alias=True, exclude_none=True) for e in env_from("a", "b", config_maps=["c"])]
    assert dump == [{"configMapRef": {"name": "c"}}, {"secretRef": {"name": "a"}}, {"secretRef": {"name": "b"}}]
    optional = env_from("a", optional=True)[0].model_dump(by_alias=True, exclude_none=True)
    assert optional == {"secretRef": {"name": "a", "optional": True}}


def test_volume_short_forms_say_only_what_is_given() -> None:
    def dump(v: k8s.Volume) -> dict[str, object]:
        return v.model_dump(by_alias=True, exclude_unset=True, exclude_none=True)

    assert dump(empty_dir("tmp")) == {"name": "tmp", "emptyDir": {}}
    assert dump(empty_dir("shm", medium="Memory")) == {"name": "shm", "emptyDir": {"medium": "Memory"}}
    assert dump(config_volume("cfg", "app-config")) == {"name": "cfg", "configMap": {"name": "app-config"}}
    assert dump(config_volume("run", "scripts", default_mode=0o755))["configMap"] == {
        "name": "scripts",
        "defaultMode": 493,
    }
    assert dump(secret_volume("creds", "tunnel")) == {"name": "creds", "secret": {"secretName": "tunnel"}}


class Grants(AppConstruct):
    """`grant` with its defaults, and with every deviation said."""

    name = "grants"

    def build(self) -> None:
        grant(self, account="reader", role="reader", rules=[rule("", ["nodes"], ["get"])])
        grant(
            self,
            account="reader",
            role="pvc-access",
            binding="reader-pvc-access",
            rules=[rule("", ["persistentvolumeclaims"], ["list"], names=["data"])],
            cluster=False,
            make_account=False,
            namespace="other",
            labels={"team": "x"},
        )
        bind(
            self,
            "admin",
            role="admin",
            account="admin",
            account_namespace="kube-system",
            cluster=False,
            role_kind="ClusterRole",
            namespace="web",
        )
        script_job(self, "once", script="echo hi", image="kubectl:1", account="reader", container="run")
        script_job(
            self,
            "brief",
            script="echo hi",
            image="kubectl:1",
            account="reader",
            container="run",
            shell="/bin/sh",
            restart_policy="Never",
            ttl_s=300,
            labels={"team": "x"},
        )


def test_grant_defaults_make_account_cluster_role_and_binding_in_order() -> None:
    objs = synth(Grants)
    assert [(o["kind"], o["metadata"]["name"]) for o in objs[:3]] == [
        ("ServiceAccount", "reader"),
        ("ClusterRole", "reader"),
        ("ClusterRoleBinding", "reader"),
    ]
    binding = find(objs, "ClusterRoleBinding", "reader")
    assert binding["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "reader"}
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "reader", "namespace": "grants"}]
    assert find(objs, "ServiceAccount", "reader")["metadata"] == {"name": "reader", "namespace": "grants"}


def test_grant_custom_role_in_another_namespace_for_an_existing_account() -> None:
    objs = synth(Grants)
    assert len([o for o in objs if o["kind"] == "ServiceAccount"]) == 1
    role = find(objs, "Role", "pvc-access")
    assert role["metadata"] == {"labels": {"team": "x"}, "name": "pvc-access", "namespace": "other"}
    assert role["rules"] == [
        {"apiGroups": [""], "resourceNames": ["data"], "resources": ["persistentvolumeclaims"], "verbs": ["list"]}
    ]
    binding = find(objs, "RoleBinding", "reader-pvc-access")
    assert binding["metadata"]["namespace"] == "other"
    assert binding["roleRef"]["kind"] == "Role"
    assert binding["subjects"] == [{"kind": "ServiceAccount", "name": "reader", "namespace": "grants"}]
    admin = find(objs, "RoleBinding", "admin")
    assert admin["metadata"]["namespace"] == "web"
    assert admin["roleRef"]["kind"] == "ClusterRole"
    assert admin["subjects"] == [{"kind": "ServiceAccount", "name": "admin", "namespace": "kube-system"}]


def test_grant_refuses_a_namespace_for_a_cluster_role() -> None:
    class Bad(AppConstruct):
        name = "bad"

        def build(self) -> None:
            grant(self, account="a", role="r", rules=[], namespace="other")

    with pytest.raises(FakoError, match=r"grant 'r': namespace='other' needs cluster=False"):
        synth(Bad)


def test_script_job_defaults_and_custom() -> None:
    objs = synth(Grants)
    once = find(objs, "Job", "once")
    assert once["metadata"] == {"name": "once", "namespace": "grants"}
    assert "ttlSecondsAfterFinished" not in once["spec"]
    assert once["spec"]["template"]["spec"] == {
        "containers": [{"command": ["/bin/bash", "-c", "echo hi"], "image": "kubectl:1", "name": "run"}],
        "restartPolicy": "OnFailure",
        "serviceAccountName": "reader",
    }
    brief = find(objs, "Job", "brief")
    assert brief["metadata"]["labels"] == {"team": "x"}
    assert brief["spec"]["ttlSecondsAfterFinished"] == 300
    pod = brief["spec"]["template"]["spec"]
    assert pod["restartPolicy"] == "Never" and pod["containers"][0]["command"][0] == "/bin/sh"
