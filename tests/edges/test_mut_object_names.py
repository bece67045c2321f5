"""Mutation tests for `fako.validation.object_names`' helpers (`_shown`, `_meta`, `_name`,
`_kind`, `_is`, `_problems`, `_metadatas`, `_template_meta`, `_label_map`, `_selector_maps`,
`_utf8_len`, `_data_maps`, `_base64_len`, `_data_sizes`), through the rules that call them.
Expected violations are written out in full by hand from the Kubernetes 1.34 validation the
module cites (ValidateObjectMeta, ValidateLabels, ValidateAnnotationsSize, MaxSecretSize)."""

from __future__ import annotations

from typing import Any

from fako.validation import object_names as rules
from fako.validation.rules import Violation
from ruletest import container, cronjob, obj, pod, service, workload

SUBDOMAIN = (
    "must be a lowercase RFC 1123 subdomain: a-z, 0-9, '-' and '.', each dot-separated part "
    "starting and ending with a letter or digit"
)
LABEL_1123 = "must be a lowercase RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit"
LABEL_1035 = (
    "must be a lowercase RFC 1035 label: a-z, 0-9 and '-', starting with a letter and ending with a letter or digit"
)
KEY_FIX = "use [prefix/]name with a DNS subdomain prefix and a name of at most 63 alphanumerics, '-', '_', '.'"
VALUE_FIX = "use at most 63 alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"
NAME_PART = "name part must consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"
LABEL_VALUE = "must be empty or consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"
DATA_KEY_FIX = "use only alphanumerics, '-', '_' and '.' (a file name without directories)"
MIB = 1024 * 1024


def named(api: str, kind: str, name: Any) -> dict[str, Any]:
    return {"apiVersion": api, "kind": kind, "metadata": {"name": name}}


def name_violation(name: str, shown: str, kind: str, what: str, problems: str) -> Violation:
    return Violation(
        "metadata.name", f"{shown} is not a valid {kind} name ({what}): {problems}", f"rename it to {what}", name
    )


# ------------------------------------------------------------------------------ _shown, _problems


def test_a_long_name_is_shown_up_to_300_characters() -> None:
    long_name = "a" * 298  # its repr has 300 characters: shown in full
    assert list(rules.metadata_name(named("v1", "ConfigMap", long_name))) == [
        name_violation(
            long_name,
            repr(long_name),
            "ConfigMap",
            "a DNS-1123 subdomain",
            "must be no more than 253 characters (it has 298)",
        )
    ]
    longer = "a" * 299  # repr of 301 characters: cut to 297 and '...'
    assert list(rules.metadata_name(named("v1", "ConfigMap", longer))) == [
        name_violation(
            longer,
            "'" + "a" * 296 + "...",
            "ConfigMap",
            "a DNS-1123 subdomain",
            "must be no more than 253 characters (it has 299)",
        )
    ]


def test_several_problems_are_joined_with_semicolons() -> None:
    bad = "A" * 254
    assert [v.message for v in rules.metadata_name(named("v1", "ConfigMap", bad))] == [
        f"'{bad}' is not a valid ConfigMap name (a DNS-1123 subdomain): must be no more than 253 characters "
        f"(it has 254); {SUBDOMAIN}"
    ]


# ------------------------------------------------------------------------------ _meta, _kind, _is, _name


def test_the_name_rule_follows_group_and_kind() -> None:
    assert list(rules.metadata_name(named("v1", "Service", "1abc"))) == [
        name_violation("1abc", "'1abc'", "Service", "a DNS-1035 label", LABEL_1035)
    ]
    assert list(rules.metadata_name(named("serving.knative.dev/v1", "Service", "1abc"))) == []
    assert list(rules.metadata_name(named("v1", "Namespace", "a.b"))) == [
        name_violation("a.b", "'a.b'", "Namespace", "a DNS-1123 label", LABEL_1123)
    ]
    assert list(rules.metadata_name(named("rbac.authorization.k8s.io/v1", "ClusterRole", "system:view"))) == []
    assert list(rules.metadata_name(named("rbac.authorization.k8s.io/v1", "RoleBinding", "a/b"))) == [
        name_violation("a/b", "'a/b'", "RoleBinding", "a path segment name", "may not contain '/'")
    ]
    assert list(rules.metadata_name(named("example.com/v1", "Role", "system:view"))) == [
        name_violation("system:view", "'system:view'", "Role", "a DNS-1123 subdomain", SUBDOMAIN)
    ]
    assert list(rules.metadata_name(named("v1", "ConfigMap", "a.b"))) == []


def test_metadata_is_read_from_the_metadata_field() -> None:
    assert list(rules.metadata_namespace({"kind": "ConfigMap", "metadata": {"name": "x", "namespace": "Blog"}})) == [
        Violation(
            "metadata.namespace",
            f"'Blog' is not a valid namespace name (a DNS-1123 label): {LABEL_1123}",
            "use a DNS-1123 label",
            "Blog",
        )
    ]
    assert list(rules.metadata_name({"kind": "ConfigMap", "metadata": None, "name": "x"})) == [
        Violation("metadata.name", "is required", "give the object a name")
    ]


def cronjob_named(name: Any) -> dict[str, Any]:
    manifest = cronjob()
    manifest["metadata"]["name"] = name
    return manifest


def test_cronjob_name_length_limit() -> None:
    assert list(rules.cronjob_name_length(cronjob_named("a" * 52))) == []
    assert list(rules.cronjob_name_length(cronjob_named("a" * 53))) == [
        Violation(
            "metadata.name",
            f"'{'a' * 53}' has 53 characters; a CronJob name must be no more than 52 (the controller names its Jobs "
            "<name>-<11 characters>)",
            "shorten it to at most 52 characters",
            "a" * 53,
        )
    ]
    assert list(rules.cronjob_name_length(cronjob_named(12345))) == []
    assert list(rules.cronjob_name_length(cronjob_named(["a"] * 53))) == []
    assert list(rules.cronjob_name_length({**cronjob_named("a" * 53), "apiVersion": "example.com/v1"})) == []


def test_job_and_statefulset_names() -> None:
    job = workload("Job", name="j" * 64)
    assert [v.message for v in rules.job_name_length(job)] == [
        f"'{'j' * 64}' has 64 characters; a Job name must be no more than 63 (it becomes the value of the pods' "
        "batch.kubernetes.io/job-name label)"
    ]
    assert list(rules.job_name_length(workload("Job", name="j" * 63))) == []
    assert list(rules.statefulset_name(workload("StatefulSet", name="s" * 53))) == [
        Violation(
            "metadata.name",
            f"'{'s' * 53}' cannot name StatefulSet pods: must be no more than 52 characters (it has 53) (each pod's "
            "hostname is <name>-<ordinal> and its controller-revision-hash label is <name>-<hash of up to 10 "
            "characters>)",
            "rename it to a DNS label of at most 52 characters (no dots)",
            "s" * 53,
        )
    ]
    assert list(rules.statefulset_name(workload("Deployment", name="s" * 53))) == []


# ------------------------------------------------------------------------------ _metadatas, _template_meta, _label_map


def key_violation(path: str, key: str, problems: str) -> Violation:
    return Violation(path, f"label key {key!r} is not a qualified name: {problems}", KEY_FIX, key)


def value_violation(path: str, value: str, problems: str) -> Violation:
    return Violation(path, f"label value {value!r} is not valid: {problems}", VALUE_FIX, value)


BAD = {"bad key!": "ok", "k": "-x-"}


def bad_labels(path: str) -> list[Violation]:
    return [
        key_violation(f"{path}.labels.bad key!", "bad key!", NAME_PART),
        value_violation(f"{path}.labels.k", "-x-", LABEL_VALUE),
    ]


def test_labels_of_a_pod() -> None:
    manifest = pod()
    manifest["metadata"]["labels"] = BAD
    manifest["spec"]["template"] = {"metadata": {"labels": {"x": "-"}}}  # a Pod has no template
    assert list(rules.label_keys_and_values(manifest)) == bad_labels("metadata")


def test_labels_of_a_deployment_and_its_template() -> None:
    manifest = workload("Deployment")
    manifest["metadata"]["labels"] = {"a/b/": "v"}
    manifest["spec"]["template"]["metadata"]["labels"] = BAD
    manifest["spec"]["selector"] = {"matchLabels": {"app": "-"}}
    assert list(rules.label_keys_and_values(manifest)) == [
        key_violation(
            "metadata.labels.a/b/",
            "a/b/",
            f"prefix part {SUBDOMAIN}; must have at most one '/'; name part must be non-empty",
        ),
        *bad_labels("spec.template.metadata"),
        value_violation("spec.selector.matchLabels.app", "-", LABEL_VALUE),
    ]


def test_labels_of_a_cronjob_its_job_template_and_pod_template() -> None:
    manifest = cronjob()
    manifest["spec"]["jobTemplate"]["metadata"] = {"labels": {"j": "-"}}
    manifest["spec"]["jobTemplate"]["spec"]["template"]["metadata"] = {"labels": BAD}
    manifest["spec"]["template"] = {"metadata": {"labels": {"wrong": "-"}}}
    assert list(rules.label_keys_and_values(manifest)) == [
        value_violation("spec.jobTemplate.metadata.labels.j", "-", LABEL_VALUE),
        *bad_labels("spec.jobTemplate.spec.template.metadata"),
    ]


def test_labels_of_statefulset_claim_templates() -> None:
    manifest = workload("StatefulSet")
    manifest["spec"]["volumeClaimTemplates"] = [
        {"metadata": {"name": "data"}},
        {"metadata": {"name": "logs", "labels": BAD}},
    ]
    assert list(rules.label_keys_and_values(manifest)) == bad_labels("spec.volumeClaimTemplates[1].metadata")
    other = workload("Deployment")
    other["spec"]["volumeClaimTemplates"] = [{"metadata": {"labels": BAD}}]
    assert list(rules.label_keys_and_values(other)) == []
    foreign = {**manifest, "apiVersion": "example.com/v1"}
    assert list(rules.label_keys_and_values(foreign)) == []


def test_a_label_value_that_is_not_a_string_is_skipped_not_the_rest() -> None:
    manifest = pod()
    manifest["metadata"]["labels"] = {"n": 5, 7: "-", "long": "-" + "a" * 63}
    assert list(rules.label_keys_and_values(manifest)) == [
        value_violation("metadata.labels.7", "-", LABEL_VALUE),
        value_violation(
            "metadata.labels.long", "-" + "a" * 63, f"must be no more than 63 characters (it has 64); {LABEL_VALUE}"
        ),
    ]


def test_annotation_keys_in_the_object_and_templates() -> None:
    manifest = cronjob()
    manifest["metadata"]["annotations"] = {"Fako.Dev/Note": "x", "bad key": "y"}
    manifest["spec"]["jobTemplate"]["spec"]["template"]["metadata"] = {"annotations": {"/x": "z"}}
    assert list(rules.annotation_keys(manifest)) == [
        Violation(
            "metadata.annotations.bad key",
            f"annotation key 'bad key' is not a qualified name: {NAME_PART}",
            "use [prefix/]name with a DNS subdomain prefix and a name of at most 63 alphanumerics, '-', '_', '.'",
            "bad key",
        ),
        Violation(
            "spec.jobTemplate.spec.template.metadata.annotations./x",
            "annotation key '/x' is not a qualified name: prefix part must be non-empty",
            KEY_FIX,
            "/x",
        ),
    ]


# ------------------------------------------------------------------------------ _selector_maps


def test_a_service_selector_is_a_plain_label_map() -> None:
    manifest = service()
    manifest["spec"]["selector"] = {"app": "-", "matchLabels": "x"}
    assert list(rules.label_keys_and_values(manifest)) == [value_violation("spec.selector.app", "-", LABEL_VALUE)]
    knative = {**manifest, "apiVersion": "serving.knative.dev/v1"}
    assert list(rules.label_keys_and_values(knative)) == []


def test_a_workload_selector_has_match_labels() -> None:
    manifest = obj("apps/v1", "Deployment", "web", spec={"selector": {"matchLabels": {"bad key": "x"}, "app": "-"}})
    assert list(rules.label_keys_and_values(manifest)) == [
        key_violation("spec.selector.matchLabels.bad key", "bad key", NAME_PART)
    ]
    assert list(rules.label_keys_and_values(obj("apps/v1", "Deployment", "web", spec={"selector": "app=-"}))) == []


# ------------------------------------------------------------------------------ _utf8_len


def test_annotation_size_counts_utf8_bytes() -> None:
    at_limit = obj("v1", "ConfigMap", "c")
    at_limit["metadata"]["annotations"] = {"k": "é" * 131071 + "ab"}  # 1 + 2 * 131071 + 2 = 262145
    assert list(rules.annotations_size(at_limit)) == [
        Violation(
            "metadata.annotations",
            "annotations total 262,145 bytes; the limit is 262,144 (256 KiB)",
            "move large values into a ConfigMap",
            "262145",
        )
    ]
    at_limit["metadata"]["annotations"] = {"k": "é" * 131071 + "a"}
    assert list(rules.annotations_size(at_limit)) == []
    ascii_only = obj("v1", "ConfigMap", "c")
    ascii_only["metadata"]["annotations"] = {"kk": "a" * (256 * 1024 - 1)}
    assert [v.value for v in rules.annotations_size(ascii_only)] == ["262145"]


# ------------------------------------------------------------------------------ _data_maps


def test_data_keys_of_a_configmap() -> None:
    manifest = obj(
        "v1",
        "ConfigMap",
        "c",
        data={"a/b": "x", "both": "y", "ok": "z"},
        binaryData={"../x": "QQ==", "both": "QQ=="},
        stringData={"bad/": "x"},
    )
    assert list(rules.data_keys(manifest)) == [
        Violation(
            "data.a/b",
            "key 'a/b' is not a valid ConfigMap key: must consist of alphanumerics, '-', '_' or '.'",
            DATA_KEY_FIX,
            "a/b",
        ),
        Violation(
            "binaryData.../x",
            "key '../x' is not a valid ConfigMap key: must consist of alphanumerics, '-', '_' or '.'; must not "
            "start with '..'",
            DATA_KEY_FIX,
            "../x",
        ),
        Violation(
            "binaryData.both", "key 'both' is in both data and binaryData", "keep the key in one of them", "both"
        ),
    ]


def test_data_keys_of_a_secret() -> None:
    manifest = obj(
        "v1",
        "Secret",
        "s",
        data={"..x": "QQ==", "same": "QQ=="},
        stringData={"a b": "x", "same": "y"},
        binaryData={"c/d": "QQ=="},
    )
    assert list(rules.data_keys(manifest)) == [
        Violation("data...x", "key '..x' is not a valid Secret key: must not start with '..'", DATA_KEY_FIX, "..x"),
        Violation(
            "stringData.a b",
            "key 'a b' is not a valid Secret key: must consist of alphanumerics, '-', '_' or '.'",
            DATA_KEY_FIX,
            "a b",
        ),
    ]


def test_data_keys_of_other_kinds_are_not_checked() -> None:
    assert list(rules.data_keys(obj("example.com/v1", "ConfigMap", "c", data={"a/b": "x"}))) == []
    assert list(rules.data_keys(obj("example.com/v1", "Secret", "c", data={"a/b": "x"}))) == []
    assert list(rules.data_keys(obj("v1", "Pod", "c", data={"a/b": "x"}))) == []


# ------------------------------------------------------------------------------ _data_sizes, _base64_len


def too_big(kind: str, size: int) -> Violation:
    return Violation(
        "data",
        f"holds {size:,} bytes of data; a {kind} holds at most 1,048,576 (1 MiB)",
        "split the data over several objects, or mount large files from a volume",
        str(size),
    )


def test_secret_data_counts_decoded_bytes_and_string_data_utf8_bytes() -> None:
    data = {"a": "QUJD" * 262144, "n": 5}  # 786,432 bytes decoded
    string_data = {"b": "é" * 131072}  # 262,144 bytes
    manifest = obj("v1", "Secret", "s", data=data, stringData=string_data)
    assert list(rules.data_size(manifest)) == []  # exactly 1 MiB
    manifest = obj("v1", "Secret", "s", data={**data, "c": "QQ=="}, stringData=string_data)
    assert list(rules.data_size(manifest)) == [too_big("Secret", MIB + 1)]
    encrypted = obj("v1", "Secret", "s", data={**data, "c": "QQ=="}, stringData=string_data, sops={})
    assert list(rules.data_size(encrypted)) == []


def test_a_key_in_data_and_string_data_counts_once_with_the_string_value() -> None:
    data = {"a": "QUJD" * 262144, "c": "QUJDRA=="}  # 786,432 + 4
    manifest = obj("v1", "Secret", "s", data=data, stringData={"b": "é" * 131072, "c": "é"})  # c: 2 bytes
    assert list(rules.data_size(manifest)) == [too_big("Secret", MIB + 2)]


def test_configmap_data_counts_utf8_bytes_and_binary_data_decoded_bytes() -> None:
    manifest = obj("v1", "ConfigMap", "c", data={"a": "é" * 262144}, binaryData={"b": "QUJD" * 174763})
    assert list(rules.data_size(manifest)) == [too_big("ConfigMap", MIB + 1)]  # 524,288 + 524,289
    manifest = obj("v1", "ConfigMap", "c", data={"a": "é" * 262144}, binaryData={"b": "QUJD" * 174762})
    assert list(rules.data_size(manifest)) == []


def test_invalid_base64_counts_three_quarters_of_its_length() -> None:
    # 1,398,103 characters (not a multiple of 4: refused by the decoder): 1,398,103 * 3 // 4 = 1,048,577
    manifest = obj("v1", "Secret", "s", data={"x": "a" * 1398103})
    assert list(rules.data_size(manifest)) == [too_big("Secret", MIB + 1)]
    # 1,398,102 characters: 1,048,576 (no more than the limit)
    manifest = obj("v1", "Secret", "s", data={"x": "a" * 1398101 + "b"})
    assert list(rules.data_size(manifest)) == []


def test_sizes_are_only_counted_for_configmaps_and_secrets() -> None:
    assert list(rules.data_size(obj("v1", "Pod", "p", data={"a": "x" * (MIB + 1)}))) == []
    assert list(rules.data_size(obj("example.com/v1", "Secret", "p", data={"a": "x" * (MIB + 1)}))) == []
    assert rules.MAX_DATA_BYTES == MIB


def test_env_container_port_and_volume_names_show_the_value() -> None:
    manifest = pod(
        container("Web", env=[{"name": "A=B"}], envFrom=[{"prefix": "X="}], ports=[{"name": "HTTP"}]),
        volumes=[{"name": "Data"}],
    )
    assert [v.message for v in rules.env_names(manifest)] == [
        "env var name 'A=B' must consist only of printable ASCII characters other than '='",
        "envFrom prefix 'X=' must consist only of printable ASCII characters other than '='",
    ]
    assert [v.message for v in rules.container_names(manifest)] == [
        f"container name 'Web' is not a DNS-1123 label: {LABEL_1123}"
    ]
    assert [v.message for v in rules.volume_names(manifest)] == [
        f"volume name 'Data' is not a DNS-1123 label: {LABEL_1123}"
    ]
