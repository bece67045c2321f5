"""fako.validation.walk, pinned helper by helper (mutation tests: every branch, exact paths)."""

from __future__ import annotations

from typing import Any

from fako.validation.walk import (
    Container,
    PodSpec,
    at,
    containers,
    group_of,
    mapping,
    pod_specs,
    sequence,
    strings,
    texts,
)


def test_mapping_and_sequence_keep_their_type_and_replace_anything_else() -> None:
    d = {"a": 1}
    assert mapping(d) is d
    assert mapping([1]) == {}
    assert mapping(None) == {}
    assert mapping("x") == {}
    items = [1, 2]
    assert sequence(items) is items
    assert sequence({"a": 1}) == []
    assert sequence(None) == []
    assert sequence("ab") == []


def test_at_joins_keys_with_dots_and_indexes_with_brackets() -> None:
    assert at("", "spec") == "spec"
    assert at("spec", "containers") == "spec.containers"
    assert at("spec.containers", 0) == "spec.containers[0]"
    assert at("", 3) == "[3]"
    assert at("a", 12) == "a[12]"


def test_group_of_is_the_part_before_the_last_slash() -> None:
    assert group_of({"apiVersion": "apps/v1"}) == "apps"
    assert group_of({"apiVersion": "v1"}) == ""
    assert group_of({}) == ""
    assert group_of({"apiVersion": "a/b/v1"}) == "a/b"


def _manifest(kind: str, api: str = "apps/v1", **spec: Any) -> dict[str, Any]:
    return {"apiVersion": api, "kind": kind, "metadata": {"name": "x", "labels": {"m": "1"}}, "spec": spec}


def test_pod_specs_of_a_pod_use_its_metadata_labels() -> None:
    m = _manifest("Pod", "v1", containers=[{"name": "a"}])
    assert list(pod_specs(m)) == [PodSpec("spec", {"containers": [{"name": "a"}]}, {"m": "1"}, "Pod")]
    bare = {"apiVersion": "v1", "kind": "Pod"}
    assert list(pod_specs(bare)) == [PodSpec("spec", {}, {}, "Pod")]


def test_pod_specs_of_workloads_and_cronjobs() -> None:
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}}
    for kind in ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"):
        got = list(pod_specs(_manifest(kind, template=template)))
        assert got == [PodSpec("spec.template.spec", {"containers": []}, {"app": "web"}, kind)]
    job = list(pod_specs(_manifest("Job", "batch/v1", template=template)))
    assert job == [PodSpec("spec.template.spec", {"containers": []}, {"app": "web"}, "Job")]
    cron = _manifest("CronJob", "batch/v1", jobTemplate={"spec": {"template": template}})
    assert list(pod_specs(cron)) == [
        PodSpec("spec.jobTemplate.spec.template.spec", {"containers": []}, {"app": "web"}, "CronJob")
    ]
    # a template without metadata or spec still yields, with empty parts
    assert list(pod_specs(_manifest("Deployment", template={"spec": None, "x": 1}))) == [
        PodSpec("spec.template.spec", {}, {}, "Deployment")
    ]


def test_pod_specs_skip_other_kinds_groups_and_empty_templates() -> None:
    template = {"spec": {"containers": []}}
    assert list(pod_specs(_manifest("Deployment", "example.com/v1", template=template))) == []
    assert list(pod_specs(_manifest("Service", "v1", template=template))) == []
    assert list(pod_specs({"apiVersion": "apps/v1", "spec": {"template": template}})) == []
    assert list(pod_specs(_manifest("Deployment", template={}))) == []
    assert list(pod_specs(_manifest("Deployment"))) == []
    assert list(pod_specs(_manifest("CronJob", "batch/v1"))) == []
    assert list(pod_specs(_manifest("Pod", "example.com/v1"))) == []


def test_containers_init_first_with_paths_and_ephemeral_when_asked() -> None:
    spec = {
        "containers": [{"name": "a"}, "junk", {"name": "b"}],
        "initContainers": [{"name": "i"}],
        "ephemeralContainers": [{"name": "e"}],
    }
    pod = PodSpec("spec.template.spec", spec, {}, "Deployment")
    got = list(containers(pod))
    assert got == [
        Container("spec.template.spec.initContainers[0]", "initContainers", {"name": "i"}),
        Container("spec.template.spec.containers[0]", "containers", {"name": "a"}),
        Container("spec.template.spec.containers[2]", "containers", {"name": "b"}),
    ]
    assert [c.name for c in got] == ["i", "a", "b"]
    assert Container("p", "containers", {}).name == "?"
    eph = list(containers(pod, fields=("ephemeralContainers",)))
    assert eph == [Container("spec.template.spec.ephemeralContainers[0]", "ephemeralContainers", {"name": "e"})]
    assert list(containers(PodSpec("spec", {"containers": None}, {}, "Pod"))) == []


def test_strings_walks_keys_values_and_lists_with_paths() -> None:
    value = {"a": "x", "b": [1, "y", {"c": "z"}], 5: "n", "d": None}
    assert list(strings(value)) == [
        ("a{}", "a"),
        ("a", "x"),
        ("b{}", "b"),
        ("b[1]", "y"),
        ("b[2].c{}", "c"),
        ("b[2].c", "z"),
        ("5", "n"),
        ("d{}", "d"),
    ]
    assert list(strings("s", "p")) == [("p", "s")]
    assert list(strings(7)) == []
    assert list(strings(["q"], "root")) == [("root[0]", "q")]


def test_texts_collects_every_string_and_reuses_the_last_walk() -> None:
    manifest: dict[str, Any] = {
        "k": "v",
        "n": 1,
        "l": ["a", 2, ["b"], {"c": "d"}, None],
        "m": {"e": {"f": "g"}, "h": ["i"]},
        3: "three",
        "t": True,
    }
    assert texts(manifest) == ("k", "v", "n", "l", "a", "b", "c", "d", "m", "e", "f", "g", "h", "i", "three", "t")
    assert texts(manifest) is texts(manifest)
    other = {"x": "y"}
    assert texts(other) == ("x", "y")
    # a new manifest is walked again, not answered from the last one
    assert texts(manifest)[:2] == ("k", "v")


def test_texts_of_a_list_and_of_a_string() -> None:
    assert texts(["a", 1, {"b": "c"}, ["d"]]) == ("a", "b", "c", "d")  # type: ignore[arg-type]
    assert texts("solo") == ("solo",)  # type: ignore[arg-type]
    assert texts(5) == ()  # type: ignore[arg-type]


def test_texts_skip_strings_of_subclasses_and_bools() -> None:
    class S(str):
        pass

    class D(dict):  # type: ignore[type-arg]
        pass

    assert texts({"a": S("sub"), "b": D(x="y"), S("key"): "v"}) == ("a", "b", "v")
