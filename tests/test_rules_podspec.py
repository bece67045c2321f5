"""Object rules on pod specs (`fako.validation.podspec`): one passing and one failing case
per rule, messages asserted; expected values written by hand from the Kubernetes 1.34
sources each rule cites."""

from __future__ import annotations

from fako.validation import podspec as rules
from ruletest import container, cronjob, found, obj, pod, severities, workload


def test_container_names_unique_across_init_regular_and_ephemeral() -> None:
    ok = pod(container("web"), container("sidecar"), initContainers=[container("init")])
    assert found(rules.unique_container_names, ok) == []
    bad = pod(container("web"), initContainers=[container("web")], ephemeralContainers=[container("web")])
    assert found(rules.unique_container_names, bad) == [
        "spec.containers[0].name: container name 'web' is already used by spec.initContainers[0]",
        "spec.ephemeralContainers[0].name: container name 'web' is already used by spec.initContainers[0]",
    ]


def test_host_ports_unique_per_ip_and_protocol() -> None:
    ok = pod(
        container("a", ports=[{"containerPort": 53, "hostPort": 53, "protocol": "UDP"}]),
        container("b", ports=[{"containerPort": 53, "hostPort": 53}]),
    )
    assert found(rules.unique_host_ports, ok) == []
    bad = pod(
        container("a", ports=[{"containerPort": 80, "hostPort": 8080}]),
        container("b", ports=[{"containerPort": 81, "hostPort": 8080, "protocol": "TCP"}]),
    )
    assert found(rules.unique_host_ports, bad) == [
        "spec.containers[1].ports[0].hostPort: hostPort 8080/TCP is already used by spec.containers[0].ports[0].hostPort"
    ]


def test_volume_mounts() -> None:
    mounts = [{"name": "data", "mountPath": "/data", "subPath": "app/db"}, {"name": "tmp", "mountPath": "/tmp"}]
    volumes = [{"name": "data", "emptyDir": {}}, {"name": "tmp", "emptyDir": {}}]
    assert found(rules.volume_mounts, pod(container(volumeMounts=mounts), volumes=volumes)) == []
    mounts = [
        {"name": "data", "mountPath": "/data", "subPath": "../etc"},
        {"name": "cache", "mountPath": "/data"},
        {"name": "data", "mountPath": "/abs", "subPathExpr": "/$(POD)"},
        {"name": "data", "mountPath": "/both", "subPath": "a", "subPathExpr": "b"},
    ]
    assert found(rules.volume_mounts, pod(container(volumeMounts=mounts), volumes=volumes)) == [
        "spec.containers[0].volumeMounts[0].subPath: subPath '../etc' must not contain '..'",
        "spec.containers[0].volumeMounts[1].name: mounts volume 'cache', which the pod does not have (its volumes: "
        "data, tmp)",
        "spec.containers[0].volumeMounts[1].mountPath: mountPath '/data' must be unique: volumeMounts[0] of "
        "container 'web' mounts there too",
        "spec.containers[0].volumeMounts[2].subPathExpr: subPathExpr '/$(POD)' must be a relative path",
        "spec.containers[0].volumeMounts[3].subPathExpr: subPathExpr and subPath are mutually exclusive",
    ]


def test_statefulset_mounts_may_name_its_claim_templates() -> None:
    sts = workload("StatefulSet", container(volumeMounts=[{"name": "data", "mountPath": "/data"}]))
    assert found(rules.volume_mounts, sts) == [
        "spec.template.spec.containers[0].volumeMounts[0].name: mounts volume 'data', which the pod does not have "
        "(its volumes: none)"
    ]
    sts["spec"]["volumeClaimTemplates"] = [{"metadata": {"name": "data"}, "spec": {}}]
    assert found(rules.volume_mounts, sts) == []


def test_item_paths_stay_inside_the_volume() -> None:
    items = [{"key": "app.yaml", "path": "conf/app.yaml"}]
    volumes = [{"name": "c", "configMap": {"name": "c", "items": items}}]
    assert found(rules.item_paths, pod(volumes=volumes)) == []
    volumes = [
        {
            "name": "c",
            "configMap": {"name": "c", "items": [{"key": "a", "path": "/etc/a"}, {"key": "b", "path": "..b"}]},
        },
        {"name": "s", "secret": {"secretName": "s", "items": [{"key": "k", "path": "x/../../k"}]}},
        {
            "name": "p",
            "projected": {"sources": [{"downwardAPI": {"items": [{"path": "", "fieldRef": {"fieldPath": "x"}}]}}]},
        },
    ]
    assert found(rules.item_paths, cronjob_with(volumes)) == [
        "spec.jobTemplate.spec.template.spec.volumes[0].configMap.items[0].path: path '/etc/a' must be a relative path",
        "spec.jobTemplate.spec.template.spec.volumes[0].configMap.items[1].path: path '..b' must not start with '..'",
        "spec.jobTemplate.spec.template.spec.volumes[1].secret.items[0].path: path 'x/../../k' must not contain '..'",
        "spec.jobTemplate.spec.template.spec.volumes[2].projected.sources[0].downwardAPI.items[0].path: is required",
    ]


def cronjob_with(volumes: list[dict[str, object]]) -> dict[str, object]:
    job = cronjob()
    job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["volumes"] = volumes
    return job


def test_duplicate_env_warns_naming_the_winner() -> None:
    ok = container(env=[{"name": "A", "value": "1"}, {"name": "B", "value": "2"}])
    assert found(rules.duplicate_env, pod(ok)) == []
    dup = container(
        env=[
            {"name": "MODE", "value": "dev"},
            {"name": "TOKEN", "value": "x"},
            {"name": "MODE", "value": "production"},
            {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "t"}}},
        ]
    )
    assert found(rules.duplicate_env, pod(dup)) == [
        "spec.containers[0].env[0].name: env 'MODE' is set again at env[2]; the last one wins (value 'production')",
        "spec.containers[0].env[1].name: env 'TOKEN' is set again at env[3]; the last one wins (valueFrom "
        "secretKeyRef)",
    ]
    assert severities(rules.duplicate_env, pod(dup)) == ["warning", "warning"]


def test_selector_must_match_template_labels() -> None:
    assert found(rules.selector_matches_template, workload("Deployment")) == []
    expressions = {
        "matchExpressions": [
            {"key": "app", "operator": "In", "values": ["web", "api"]},
            {"key": "canary", "operator": "DoesNotExist"},
        ]
    }
    assert found(rules.selector_matches_template, workload("DaemonSet", selector=expressions)) == []
    wrong = workload("StatefulSet", selector={"matchLabels": {"app": "api"}})
    assert found(rules.selector_matches_template, wrong) == [
        "spec.template.metadata.labels: `selector` does not match template `labels` (the template has app=web)"
    ]
    wrong = workload(
        "ReplicaSet", selector={"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}
    )
    assert found(rules.selector_matches_template, wrong) == [
        "spec.template.metadata.labels: `selector` does not match template `labels` (the template has app=web)"
    ]


def test_selector_required_and_expressions_well_formed() -> None:
    assert found(rules.selector_matches_template, workload("Deployment", selector={})) == [
        "spec.selector: is required and must not be empty in a Deployment"
    ]
    bad = {
        "matchLabels": {"app": "web"},
        "matchExpressions": [
            {"key": "tier", "operator": "In"},
            {"key": "x", "operator": "Exists", "values": ["y"]},
            {"key": "x", "operator": "Has"},
        ],
    }
    assert found(rules.selector_matches_template, workload("Deployment", selector=bad)) == [
        "spec.selector.matchExpressions[0].values: must be specified when operator is In",
        "spec.selector.matchExpressions[1].values: may not be specified when operator is Exists",
        "spec.selector.matchExpressions[2].operator: operator 'Has' is not a valid label selector operator",
        "spec.template.metadata.labels: `selector` does not match template `labels` (the template has app=web)",
    ]
    # a Job's selector is generated; a manual one must match like the others
    assert found(rules.selector_matches_template, workload("Job")) == []
    manual = workload("Job", selector={"matchLabels": {"job": "x"}}, manualSelector=True)
    assert found(rules.selector_matches_template, manual) == [
        "spec.template.metadata.labels: `selector` does not match template `labels` (the template has app=web)"
    ]


def test_probes_and_hooks_have_exactly_one_handler() -> None:
    ok = container(
        livenessProbe={"tcpSocket": {"port": 80}, "periodSeconds": 5}, lifecycle={"preStop": {"sleep": {"seconds": 5}}}
    )
    assert found(rules.one_handler, pod(ok)) == []
    bad = container(
        readinessProbe={"periodSeconds": 5},
        startupProbe={"exec": {"command": ["true"]}, "httpGet": {"port": 80}},
        lifecycle={"postStart": {}},
    )
    assert found(rules.one_handler, obj_with(bad)) == [
        "spec.template.spec.containers[0].readinessProbe: readinessProbe must specify a handler type (one of exec, "
        "httpGet, tcpSocket, grpc)",
        "spec.template.spec.containers[0].startupProbe: startupProbe may not specify more than 1 handler type (it "
        "has exec, httpGet)",
        "spec.template.spec.containers[0].lifecycle.postStart: postStart must specify a handler type (one of exec, "
        "httpGet, tcpSocket, sleep)",
    ]


def obj_with(c: dict[str, object]) -> dict[str, object]:
    return workload("Deployment", c)


def test_objects_without_pods_are_left_alone() -> None:
    cm = obj("v1", "ConfigMap", "c", data={"a": "b"})
    for r in rules.RULES:
        assert found(r, cm) == []
