"""Object rules on names, keys and sizes (`fako.validation.object_names`): one passing and
one failing case per rule, messages asserted; expected values written by hand from the
Kubernetes 1.34 sources each rule cites."""

from __future__ import annotations

import base64

import pytest

from fako.validation import names
from fako.validation import object_names as rules
from ruletest import container, cronjob, found, obj, pod, service, workload

CM = "v1"


# ------------------------------------------------------------------------------ metadata.name


@pytest.mark.parametrize(
    ("api", "kind", "name"),
    [
        ("v1", "Namespace", "media"),
        ("v1", "Service", "web-1"),
        ("v1", "ConfigMap", "app.config-v2"),  # subdomain: dots allowed
        ("apps/v1", "Deployment", "a" * 253),
        ("rbac.authorization.k8s.io/v1", "ClusterRole", "system:aggregated-metrics-reader"),
        ("rbac.authorization.k8s.io/v1", "RoleBinding", "Read_Only:Pods"),
        ("helm.toolkit.fluxcd.io/v2", "HelmRelease", "cert-manager"),
    ],
)
def test_valid_names_per_kind(api: str, kind: str, name: str) -> None:
    assert found(rules.metadata_name, obj(api, kind, name)) == []


def test_service_name_is_a_dns_1035_label() -> None:
    assert found(rules.metadata_name, service("1web")) == [
        "metadata.name: '1web' is not a valid Service name (a DNS-1035 label): must be a lowercase RFC 1035 "
        "label: a-z, 0-9 and '-', starting with a letter and ending with a letter or digit"
    ]
    assert found(rules.metadata_name, service("s" * 64)) == [
        f"metadata.name: '{'s' * 64}' is not a valid Service name (a DNS-1035 label): must be no more than "
        "63 characters (it has 64)"
    ]


def test_namespace_name_is_a_label_and_configmap_a_subdomain() -> None:
    assert found(rules.metadata_name, obj("v1", "Namespace", "my.ns", None)) == [
        "metadata.name: 'my.ns' is not a valid Namespace name (a DNS-1123 label): must be a lowercase RFC 1123 "
        "label: a-z, 0-9 and '-', starting and ending with a letter or digit"
    ]
    assert found(rules.metadata_name, obj(CM, "ConfigMap", "App_Config")) == [
        "metadata.name: 'App_Config' is not a valid ConfigMap name (a DNS-1123 subdomain): must be a lowercase "
        "RFC 1123 subdomain: a-z, 0-9, '-' and '.', each dot-separated part starting and ending with a letter or digit"
    ]


def test_rbac_names_are_path_segments() -> None:
    role = obj("rbac.authorization.k8s.io/v1", "Role", "a/b")
    assert found(rules.metadata_name, role) == [
        "metadata.name: 'a/b' is not a valid Role name (a path segment name): may not contain '/'"
    ]


def test_name_is_required_unless_generated() -> None:
    nameless = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"namespace": "blog"}}
    assert found(rules.metadata_name, nameless) == ["metadata.name: is required"]
    generated = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"generateName": "migrate-"}}
    assert found(rules.metadata_name, generated) == []


def test_cronjob_name_at_most_52() -> None:
    assert found(rules.cronjob_name_length, cronjob("c" * 52)) == []
    assert found(rules.cronjob_name_length, cronjob("c" * 53)) == [
        f"metadata.name: '{'c' * 53}' has 53 characters; a CronJob name must be no more than 52 (the controller "
        "names its Jobs <name>-<11 characters>)"
    ]


def test_job_name_at_most_63() -> None:
    assert found(rules.job_name_length, workload("Job", name="j" * 63)) == []
    assert found(rules.job_name_length, workload("Job", name="j" * 64)) == [
        f"metadata.name: '{'j' * 64}' has 64 characters; a Job name must be no more than 63 (it becomes the value "
        "of the pods' batch.kubernetes.io/job-name label)"
    ]


def test_statefulset_name_is_a_label_of_at_most_52() -> None:
    assert found(rules.statefulset_name, workload("StatefulSet", name="s" * 52)) == []
    assert found(rules.statefulset_name, workload("StatefulSet", name="s" * 53)) == [
        f"metadata.name: '{'s' * 53}' cannot name StatefulSet pods: must be no more than 52 characters (it has 53) "
        "(each pod's hostname is <name>-<ordinal> and its controller-revision-hash label is <name>-<hash of up to "
        "10 characters>)"
    ]
    dotted = found(rules.statefulset_name, workload("StatefulSet", name="redis.main"))
    assert len(dotted) == 1 and "must be a lowercase RFC 1123 label" in dotted[0]
    # a Deployment of 60 characters is fine: apps validation only asks for a subdomain
    assert found(rules.statefulset_name, workload("Deployment", name="d" * 60)) == []


def test_namespace_field_is_a_label() -> None:
    assert found(rules.metadata_namespace, obj(CM, "ConfigMap", "c", "media")) == []
    assert found(rules.metadata_namespace, obj(CM, "ConfigMap", "c", "Media")) == [
        "metadata.namespace: 'Media' is not a valid namespace name (a DNS-1123 label): must be a lowercase RFC "
        "1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit"
    ]


# ------------------------------------------------------------------------------ labels, annotations


def test_labels_of_object_template_and_selector() -> None:
    good = workload("Deployment")
    good["metadata"]["labels"] = {"app.kubernetes.io/name": "web", "tier": ""}
    assert found(rules.label_keys_and_values, good) == []
    bad = workload("Deployment")
    bad["metadata"]["labels"] = {"app/": "web"}
    bad["spec"]["template"]["metadata"]["labels"]["version"] = "v1 beta"
    bad["spec"]["selector"]["matchLabels"]["x"] = "-y"
    assert found(rules.label_keys_and_values, bad) == [
        "metadata.labels.app/: label key 'app/' is not a qualified name: name part must be non-empty",
        "spec.template.metadata.labels.version: label value 'v1 beta' is not valid: must be empty or consist of "
        "alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric",
        "spec.selector.matchLabels.x: label value '-y' is not valid: must be empty or consist of alphanumerics, "
        "'-', '_' or '.', starting and ending with an alphanumeric",
    ]


def test_label_value_at_most_63_and_service_selector() -> None:
    svc = service()
    svc["spec"]["selector"] = {"app": "v" * 64}
    assert found(rules.label_keys_and_values, svc) == [
        f"spec.selector.app: label value '{'v' * 64}' is not valid: must be no more than 63 characters (it has 64)"
    ]


def test_annotation_keys_are_qualified_names_checked_lowercased() -> None:
    ok = obj(CM, "ConfigMap", "c")
    ok["metadata"]["annotations"] = {"Kustomize.Toolkit.FluxCD.io/SSA": "Merge"}
    assert found(rules.annotation_keys, ok) == []
    bad = cronjob()
    bad["spec"]["jobTemplate"]["spec"]["template"]["metadata"] = {"annotations": {"a b": "x"}}
    assert found(rules.annotation_keys, bad) == [
        "spec.jobTemplate.spec.template.metadata.annotations.a b: annotation key 'a b' is not a qualified name: "
        "name part must consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"
    ]


def test_annotations_total_at_most_256_kib() -> None:
    cm = obj(CM, "ConfigMap", "c")
    cm["metadata"]["annotations"] = {"k": "x" * (256 * 1024 - 1)}  # 1 + 262143 bytes: exactly the limit
    assert found(rules.annotations_size, cm) == []
    cm["metadata"]["annotations"]["l"] = ""
    assert found(rules.annotations_size, cm) == [
        "metadata.annotations: annotations total 262,145 bytes; the limit is 262,144 (256 KiB)"
    ]


# ------------------------------------------------------------------------------ ConfigMap and Secret data


def test_configmap_and_secret_keys() -> None:
    assert found(rules.data_keys, obj(CM, "ConfigMap", "c", data={"app.yaml": "", "RUN_ME-1_x": ""})) == []
    assert found(rules.data_keys, obj(CM, "ConfigMap", "c", data={"conf/app.yaml": "", "..data": ""})) == [
        "data.conf/app.yaml: key 'conf/app.yaml' is not a valid ConfigMap key: must consist of alphanumerics, "
        "'-', '_' or '.'",
        "data...data: key '..data' is not a valid ConfigMap key: must not start with '..'",
    ]
    assert found(rules.data_keys, obj(CM, "Secret", "s", stringData={"a b": "x"})) == [
        "stringData.a b: key 'a b' is not a valid Secret key: must consist of alphanumerics, '-', '_' or '.'"
    ]
    both = obj(CM, "ConfigMap", "c", data={"k": "1"}, binaryData={"k": "MQ=="})
    assert found(rules.data_keys, both) == ["binaryData.k: key 'k' is in both data and binaryData"]


def test_data_at_most_one_mib_counting_decoded_bytes() -> None:
    mib = 1024 * 1024
    assert found(rules.data_size, obj(CM, "ConfigMap", "c", data={"a": "x" * mib})) == []
    assert found(rules.data_size, obj(CM, "ConfigMap", "c", data={"a": "x" * mib, "b": "y"})) == [
        "data: holds 1,048,577 bytes of data; a ConfigMap holds at most 1,048,576 (1 MiB)"
    ]
    # a Secret's data is base64: 1 MiB of bytes is ~1.4 MB of text and still fits
    encoded = base64.b64encode(b"\0" * mib).decode()
    assert found(rules.data_size, obj(CM, "Secret", "s", data={"a": encoded})) == []
    assert found(rules.data_size, obj(CM, "Secret", "s", data={"a": encoded}, stringData={"b": "é"})) == [
        "data: holds 1,048,578 bytes of data; a Secret holds at most 1,048,576 (1 MiB)"
    ]


# ------------------------------------------------------------------------------ pod spec names


def test_env_names_are_relaxed_in_1_34() -> None:
    assert names.env_var_name("my.env-name:1") == []
    assert names.env_var_name("") == ["must not be empty"]
    relaxed = container(
        env=[{"name": "1ST.VAR-x", "value": "1"}], envFrom=[{"prefix": "APP_", "configMapRef": {"name": "c"}}]
    )
    assert found(rules.env_names, pod(relaxed)) == []
    bad = container(env=[{"name": "A=B", "value": "1"}], envFrom=[{"prefix": "Ü_", "configMapRef": {"name": "c"}}])
    assert found(rules.env_names, pod(bad)) == [
        "spec.containers[0].env[0].name: env var name 'A=B' must consist only of printable ASCII characters "
        "other than '='",
        "spec.containers[0].envFrom[0].prefix: envFrom prefix 'Ü_' must consist only of printable ASCII "
        "characters other than '='",
    ]


def test_container_names_are_labels() -> None:
    assert found(rules.container_names, pod(container("init-db"))) == []
    assert found(rules.container_names, workload("Deployment", container("Web_1"))) == [
        "spec.template.spec.containers[0].name: container name 'Web_1' is not a DNS-1123 label: must be a "
        "lowercase RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit"
    ]


def test_container_port_names_are_iana_names_unique_per_container() -> None:
    ok = container(ports=[{"name": "http-management", "containerPort": 80}, {"name": "metrics", "containerPort": 90}])
    assert found(rules.port_names, pod(ok)) == []
    bad = container(
        ports=[
            {"name": "http-management1", "containerPort": 80},
            {"name": "web", "containerPort": 81},
            {"name": "web", "containerPort": 82},
            {"name": "8080", "containerPort": 83},
        ]
    )
    assert found(rules.port_names, pod(bad)) == [
        "spec.containers[0].ports[0].name: port name 'http-management1' is not an IANA service name: must be no "
        "more than 15 characters (it has 16)",
        "spec.containers[0].ports[2].name: port name 'web' is used twice in container 'web'",
        "spec.containers[0].ports[3].name: port name '8080' is not an IANA service name: must contain at least "
        "one letter",
    ]


def test_service_port_names_are_labels_required_when_several() -> None:
    assert found(rules.service_port_names, service("web", {"port": 80})) == []
    assert found(rules.service_port_names, service("web", {"name": "http-management-api", "port": 80})) == []
    bad = service(
        "web", {"port": 80}, {"name": "Web", "port": 81}, {"name": "b", "port": 82}, {"name": "b", "port": 83}
    )
    assert found(rules.service_port_names, bad) == [
        "spec.ports[0].name: is required when a Service has more than one port",
        "spec.ports[1].name: port name 'Web' is not a DNS-1123 label: must be a lowercase RFC 1123 label: a-z, 0-9 "
        "and '-', starting and ending with a letter or digit",
        "spec.ports[3].name: port name 'b' is used twice",
    ]


def test_volume_names_are_labels_used_once() -> None:
    volumes = [{"name": "data", "emptyDir": {}}, {"name": "config", "configMap": {"name": "c"}}]
    assert found(rules.volume_names, pod(volumes=volumes)) == []
    volumes = [{"name": "data", "emptyDir": {}}, {"name": "data", "emptyDir": {}}, {"name": "my_vol", "emptyDir": {}}]
    assert found(rules.volume_names, workload("StatefulSet", template_spec={"volumes": volumes})) == [
        "spec.template.spec.volumes[1].name: volume name 'data' is used twice",
        "spec.template.spec.volumes[2].name: volume name 'my_vol' is not a DNS-1123 label: must be a lowercase "
        "RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit",
    ]
