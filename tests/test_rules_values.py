"""Object rules on values (`fako.validation.values`, `quantity`, `schedule`): one passing
and one failing case per rule, messages asserted; expected values written by hand from
the Kubernetes 1.34 sources each rule cites."""

from __future__ import annotations

from fractions import Fraction

import pytest

from fako.validation import values as rules
from fako.validation.quantity import QuantityError, parse_quantity
from fako.validation.schedule import schedule_problems, time_zone_problems
from ruletest import container, cronjob, found, obj, pod, service, severities, workload

QUANTITY_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
FIX_HINT = "100m, 0.5, 512Mi"

# ------------------------------------------------------------------------------ quantities


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("100m", Fraction(1, 10)),
        ("0.1", Fraction(1, 10)),
        ("1Gi", Fraction(1073741824)),
        ("1G", Fraction(10**9)),
        ("1.5Ki", Fraction(1536)),
        ("2e3", Fraction(2000)),
        ("2E3", Fraction(2000)),
        ("1E", Fraction(10**18)),
        ("-1", Fraction(-1)),
        ("+5k", Fraction(5000)),
        (".5", Fraction(1, 2)),
        ("1.", Fraction(1)),
        ("250u", Fraction(1, 4000)),
        ("3n", Fraction(3, 10**9)),
        (1, Fraction(1)),
        (0.25, Fraction(1, 4)),
    ],
)
def test_quantities_parse_exactly(text: object, value: Fraction) -> None:
    assert parse_quantity(text) == value


@pytest.mark.parametrize("text", ["1Gb", "1GB", "abc", "1.5.5", "1K", " 1", "1 ", "1e", "1Gi ", "Gi", "1i", "--1"])
def test_malformed_quantities_are_refused(text: str) -> None:
    with pytest.raises(QuantityError, match=r"regular expression"):
        parse_quantity(text)


def test_booleans_and_empty_strings_are_not_quantities() -> None:
    with pytest.raises(QuantityError, match="must not be empty"):
        parse_quantity("")
    with pytest.raises(QuantityError, match="got bool"):
        parse_quantity(True)


def resources(**body: object) -> dict[str, object]:
    return container(resources=body)


def test_container_quantities() -> None:
    good = resources(requests={"cpu": "250m", "memory": "64Mi", "nvidia.com/gpu": 1}, limits={"memory": "1Gi"})
    assert found(rules.quantities, workload("Deployment", good)) == []
    bad = resources(requests={"cpu": "abc", "memory": "1Gb"}, limits={"gpu": "1", "nvidia.com/gpu": "0.5"})
    assert found(rules.quantities, workload("Deployment", bad)) == [
        f"spec.template.spec.containers[0].resources.requests.cpu: request cpu 'abc' is not a quantity: {QUANTITY_ERROR}",
        "spec.template.spec.containers[0].resources.requests.memory: request memory '1Gb' is not a quantity: "
        + QUANTITY_ERROR,
        "spec.template.spec.containers[0].resources.limits.gpu: resource name 'gpu' is not valid: must be a standard "
        "resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>)",
        "spec.template.spec.containers[0].resources.limits.nvidia.com/gpu: limit nvidia.com/gpu '0.5' must be an "
        "integer",
    ]
    assert FIX_HINT in next(iter(rules.quantities(workload("Deployment", bad)))).fix


def test_negative_quantities_and_storage() -> None:
    assert found(rules.quantities, pod(resources(requests={"memory": "-1Mi"}))) == [
        "spec.containers[0].resources.requests.memory: request memory '-1Mi' must be greater than or equal to 0"
    ]
    pvc = obj("v1", "PersistentVolumeClaim", "data", spec={"resources": {"requests": {"storage": "10Gi"}}})
    assert found(rules.quantities, pvc) == []
    pvc["spec"]["resources"]["requests"]["storage"] = "10GiB"
    assert found(rules.quantities, pvc) == [
        f"spec.resources.requests.storage: request storage '10GiB' is not a quantity: {QUANTITY_ERROR}"
    ]
    pvc["spec"]["resources"]["requests"]["storage"] = "0"
    assert found(rules.quantities, pvc) == [
        "spec.resources.requests.storage: storage request '0' must be greater than zero"
    ]
    claim = {"metadata": {"name": "data"}, "spec": {"resources": {"requests": {"storage": "1 Gi"}}}}
    sts = workload("StatefulSet", volumeClaimTemplates=[claim])
    assert found(rules.quantities, sts) == [
        "spec.volumeClaimTemplates[0].spec.resources.requests.storage: request storage '1 Gi' is not a quantity: "
        + QUANTITY_ERROR
    ]


def test_empty_dir_size_limit_and_pv_capacity() -> None:
    volumes = [{"name": "cache", "emptyDir": {"sizeLimit": "500Mi"}}]
    assert found(rules.quantities, pod(volumes=volumes)) == []
    volumes = [{"name": "cache", "emptyDir": {"sizeLimit": "500MB"}}]
    assert found(rules.quantities, pod(volumes=volumes)) == [
        f"spec.volumes[0].emptyDir.sizeLimit: emptyDir sizeLimit '500MB' is not a quantity: {QUANTITY_ERROR}"
    ]
    pv = obj("v1", "PersistentVolume", "nfs", None, spec={"capacity": {"storage": "1Ti"}})
    assert found(rules.quantities, pv) == []
    pv["spec"]["capacity"]["storage"] = "1TB"
    assert found(rules.quantities, pv) == [
        f"spec.capacity.storage: capacity storage '1TB' is not a quantity: {QUANTITY_ERROR}"
    ]


def test_requests_at_most_limits_compared_exactly() -> None:
    equal = resources(requests={"cpu": "0.5", "memory": "1Gi"}, limits={"cpu": "500m", "memory": "1073741824"})
    assert found(rules.requests_within_limits, pod(equal)) == []
    over = resources(requests={"cpu": "1001m", "memory": "2Gi"}, limits={"cpu": "1", "memory": "2G"})
    assert found(rules.requests_within_limits, pod(over)) == [
        "spec.containers[0].resources.requests.cpu: cpu request '1001m' must be less than or equal to the cpu "
        "limit of '1'",
        "spec.containers[0].resources.requests.memory: memory request '2Gi' must be less than or equal to the "
        "memory limit of '2G'",
    ]


def test_extended_resources_need_equal_limits() -> None:
    gpu = resources(requests={"nvidia.com/gpu": 1}, limits={"nvidia.com/gpu": 1})
    assert found(rules.requests_within_limits, pod(gpu)) == []
    assert found(rules.requests_within_limits, pod(resources(requests={"nvidia.com/gpu": 1}))) == [
        "spec.containers[0].resources.limits: nvidia.com/gpu is requested (1) without a limit; a limit must be "
        "set for resources that cannot be overcommitted"
    ]
    lower = resources(requests={"nvidia.com/gpu": 1}, limits={"nvidia.com/gpu": 2})
    assert found(rules.requests_within_limits, pod(lower)) == [
        "spec.containers[0].resources.requests.nvidia.com/gpu: nvidia.com/gpu request 1 must be equal to the "
        "nvidia.com/gpu limit of 2"
    ]


# ------------------------------------------------------------------------------ containers


def test_image_is_required_once() -> None:
    assert found(rules.image_required, workload("Deployment")) == []
    nameless = {"name": "web"}
    assert found(rules.image_required, workload("Deployment", nameless)) == [
        "spec.template.spec.containers[0].image: image: required (container 'web' has no image)"
    ]
    assert found(rules.image_required, pod(container(image=" nginx:1"))) == [
        "spec.containers[0].image: image ' nginx:1' must not have leading or trailing whitespace"
    ]
    # a pod template may carry whitespace (a token some tools replace)
    assert found(rules.image_required, workload("Deployment", container(image=" "))) == []


def test_image_pull_policy() -> None:
    assert found(rules.image_pull_policy, pod(container(imagePullPolicy="IfNotPresent"))) == []
    assert found(rules.image_pull_policy, pod(container(imagePullPolicy="Sometimes"))) == [
        "spec.containers[0].imagePullPolicy: imagePullPolicy 'Sometimes' is not supported; supported values: "
        '"Always", "IfNotPresent", "Never"'
    ]


def test_termination_message_policy() -> None:
    assert found(rules.termination_message_policy, pod(container(terminationMessagePolicy="File"))) == []
    assert found(rules.termination_message_policy, pod(container(terminationMessagePolicy="Logs"))) == [
        "spec.containers[0].terminationMessagePolicy: terminationMessagePolicy 'Logs' is not supported; supported "
        'values: "File", "FallbackToLogsOnError"'
    ]


def test_restart_policy_per_kind() -> None:
    assert found(rules.restart_policy, pod(restartPolicy="OnFailure")) == []
    assert found(rules.restart_policy, workload("Deployment")) == []
    assert found(rules.restart_policy, workload("Deployment", template_spec={"restartPolicy": "Never"})) == [
        "spec.template.spec.restartPolicy: restartPolicy in a Deployment 'Never' is not supported; supported "
        'values: "Always"'
    ]
    assert found(rules.restart_policy, workload("Job", template_spec={"restartPolicy": "Always"})) == [
        "spec.template.spec.restartPolicy: restartPolicy in a Job 'Always' is not supported; supported values: "
        '"OnFailure", "Never"'
    ]
    job = cronjob()
    del job["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"]
    assert found(rules.restart_policy, job) == [
        "spec.jobTemplate.spec.template.spec.restartPolicy: is required in a CronJob's pod template: it defaults "
        "to Always, which a CronJob refuses"
    ]


def test_container_restart_policy_only_on_init_containers() -> None:
    sidecar = workload("Deployment", template_spec={"initContainers": [container("proxy", restartPolicy="Always")]})
    assert found(rules.restart_policy, sidecar) == []
    bad = workload("Deployment", container(restartPolicy="Always"))
    assert found(rules.restart_policy, bad) == [
        "spec.template.spec.containers[0].restartPolicy: may only be set on init containers (a sidecar), not in "
        "containers"
    ]


def test_dns_policy() -> None:
    assert found(rules.dns_policy, pod(dnsPolicy="ClusterFirstWithHostNet")) == []
    assert found(rules.dns_policy, pod(dnsPolicy="None", dnsConfig={"nameservers": ["1.1.1.1"]})) == []
    assert found(rules.dns_policy, pod(dnsPolicy="Cluster")) == [
        "spec.dnsPolicy: dnsPolicy 'Cluster' is not supported; supported values: \"ClusterFirstWithHostNet\", "
        '"ClusterFirst", "Default", "None"'
    ]
    assert found(rules.dns_policy, pod(dnsPolicy="None")) == [
        "spec.dnsConfig.nameservers: must have at least one nameserver when dnsPolicy is None"
    ]


def test_tolerations() -> None:
    ok = [{"key": "gpu", "operator": "Exists", "effect": "NoSchedule"}, {"operator": "Exists"}]
    assert found(rules.tolerations, pod(tolerations=ok)) == []
    bad = [{"key": "gpu", "operator": "Exist"}, {"key": "a", "operator": "Exists", "value": "x", "effect": "NoRun"}]
    assert found(rules.tolerations, pod(tolerations=bad)) == [
        "spec.tolerations[0].operator: toleration operator 'Exist' is not supported; supported values: "
        '"Exists", "Equal"',
        "spec.tolerations[1].effect: toleration effect 'NoRun' is not supported; supported values: "
        '"NoSchedule", "PreferNoSchedule", "NoExecute"',
        "spec.tolerations[1].value: must be empty when operator is Exists, got 'x'",
    ]


# ------------------------------------------------------------------------------ ports


def test_port_numbers() -> None:
    ok = container(ports=[{"containerPort": 8080, "hostPort": 0}, {"containerPort": 65535, "hostPort": 1}])
    assert found(rules.port_numbers, pod(ok)) == []
    bad = container(ports=[{"containerPort": 0}, {"containerPort": 70000, "hostPort": -1}, {"name": "x"}])
    assert found(rules.port_numbers, pod(bad)) == [
        "spec.containers[0].ports[0].containerPort: containerPort 0 must be between 1 and 65535, inclusive",
        "spec.containers[0].ports[1].containerPort: containerPort 70000 must be between 1 and 65535, inclusive",
        "spec.containers[0].ports[1].hostPort: hostPort -1 must be between 1 and 65535, inclusive",
        "spec.containers[0].ports[2].containerPort: is required",
    ]
    svc = service(
        "web", {"name": "a", "port": 80, "targetPort": "http"}, {"name": "b", "port": 443, "targetPort": 8443}
    )
    assert found(rules.port_numbers, svc) == []
    svc = service(
        "web", {"name": "a", "port": 0, "targetPort": "http_alt"}, {"name": "b", "port": 1, "targetPort": 65536}
    )
    assert found(rules.port_numbers, svc) == [
        "spec.ports[0].port: port 0 must be between 1 and 65535, inclusive",
        "spec.ports[0].targetPort: targetPort 'http_alt' is neither a port number nor a valid port name: must "
        "contain only a-z, 0-9 and '-'",
        "spec.ports[1].targetPort: targetPort 65536 must be between 1 and 65535, inclusive",
    ]


def test_node_ports() -> None:
    assert found(rules.node_ports, service("web", {"port": 80, "nodePort": 30080}, type="NodePort")) == []
    assert found(rules.node_ports, service("web", {"port": 80, "nodePort": 8080}, type="NodePort")) == [
        "spec.ports[0].nodePort: nodePort 8080 must be between 30000 and 32767, inclusive"
    ]
    assert found(rules.node_ports, service("web", {"port": 80, "nodePort": 30080})) == [
        "spec.ports[0].nodePort: may not be used when the Service type is ClusterIP"
    ]


def test_protocols() -> None:
    assert found(rules.protocols, pod(container(ports=[{"containerPort": 53, "protocol": "UDP"}]))) == []
    assert found(rules.protocols, pod(container(ports=[{"containerPort": 53, "protocol": "udp"}]))) == [
        "spec.containers[0].ports[0].protocol: protocol 'udp' is not supported; supported values: \"TCP\", "
        '"UDP", "SCTP"'
    ]
    assert found(rules.protocols, service("dns", {"port": 53, "protocol": "HTTP"})) == [
        'spec.ports[0].protocol: protocol \'HTTP\' is not supported; supported values: "TCP", "UDP", "SCTP"'
    ]
    policy = obj(
        "networking.k8s.io/v1", "NetworkPolicy", "p", spec={"egress": [{"ports": [{"port": 53, "protocol": "ICMP"}]}]}
    )
    assert found(rules.protocols, policy) == [
        'spec.egress[0].ports[0].protocol: protocol \'ICMP\' is not supported; supported values: "TCP", "UDP", "SCTP"'
    ]


# ------------------------------------------------------------------------------ services


def test_service_type() -> None:
    assert found(rules.service_type, service(type="LoadBalancer")) == []
    assert found(rules.service_type, service(type="Internal")) == [
        'spec.type: Service type \'Internal\' is not supported; supported values: "ClusterIP", "NodePort", '
        '"LoadBalancer", "ExternalName"'
    ]
    assert found(rules.service_type, service(type="ExternalName")) == [
        "spec.externalName: is required for an ExternalName Service"
    ]


def test_service_policies() -> None:
    assert found(rules.service_policies, service(type="LoadBalancer", externalTrafficPolicy="Local")) == []
    assert found(rules.service_policies, service(sessionAffinity="Sticky", externalTrafficPolicy="Local")) == [
        'spec.sessionAffinity: sessionAffinity \'Sticky\' is not supported; supported values: "ClientIP", "None"',
        "spec.externalTrafficPolicy: may only be set on NodePort and LoadBalancer Services, not ClusterIP",
    ]


# ------------------------------------------------------------------------------ storage


def pvc(**spec: object) -> dict[str, object]:
    return obj("v1", "PersistentVolumeClaim", "data", spec={"resources": {"requests": {"storage": "1Gi"}}, **spec})


def test_access_modes() -> None:
    assert found(rules.access_modes, pvc(accessModes=["ReadWriteMany"])) == []
    assert found(rules.access_modes, pvc()) == ["spec.accessModes: at least 1 access mode is required"]
    assert found(rules.access_modes, pvc(accessModes=["ReadWriteOnly", "ReadWriteOncePod"])) == [
        "spec.accessModes[0]: access mode 'ReadWriteOnly' is not supported; supported values: \"ReadWriteOnce\", "
        '"ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"',
        "spec.accessModes: may not use ReadWriteOncePod with other access modes",
    ]


def test_volume_mode() -> None:
    assert found(rules.volume_mode, pvc(accessModes=["ReadWriteOnce"], volumeMode="Block")) == []
    assert found(rules.volume_mode, pvc(accessModes=["ReadWriteOnce"], volumeMode="File")) == [
        'spec.volumeMode: volumeMode \'File\' is not supported; supported values: "Block", "Filesystem"'
    ]


def test_reclaim_policies() -> None:
    pv = obj("v1", "PersistentVolume", "nfs", None, spec={"persistentVolumeReclaimPolicy": "Retain"})
    assert found(rules.reclaim_policy, pv) == []
    pv["spec"]["persistentVolumeReclaimPolicy"] = "Keep"
    assert found(rules.reclaim_policy, pv) == [
        "spec.persistentVolumeReclaimPolicy: persistentVolumeReclaimPolicy 'Keep' is not supported; supported "
        'values: "Delete", "Recycle", "Retain"'
    ]
    sc = obj("storage.k8s.io/v1", "StorageClass", "nfs", None, provisioner="x", reclaimPolicy="Recycle")
    assert found(rules.reclaim_policy, sc) == [
        'reclaimPolicy: reclaimPolicy \'Recycle\' is not supported; supported values: "Delete", "Retain"'
    ]


# ------------------------------------------------------------------------------ workloads


def test_replicas() -> None:
    assert found(rules.replicas, workload("Deployment", replicas=0)) == []
    assert found(rules.replicas, workload("StatefulSet", replicas=-1)) == [
        "spec.replicas: replicas is -1; must be greater than or equal to 0"
    ]


def test_counts() -> None:
    ok = workload("Job", backoffLimit=0, ttlSecondsAfterFinished=0)
    assert found(rules.counts, ok) == []
    assert found(rules.counts, workload("Job", backoffLimit=-1, template_spec={"activeDeadlineSeconds": 0})) == [
        "spec.backoffLimit: backoffLimit is -1; must be greater than or equal to 0",
        "spec.template.spec.activeDeadlineSeconds: activeDeadlineSeconds is 0; must be at least 1",
    ]
    assert found(rules.counts, cronjob(successfulJobsHistoryLimit=-3)) == [
        "spec.successfulJobsHistoryLimit: successfulJobsHistoryLimit is -3; must be greater than or equal to 0"
    ]
    assert found(rules.counts, workload("Deployment", minReadySeconds=30, progressDeadlineSeconds=30)) == [
        "spec.progressDeadlineSeconds: progressDeadlineSeconds 30 must be greater than minReadySeconds 30"
    ]
    assert found(rules.counts, pod(terminationGracePeriodSeconds=-5)) == [
        "spec.terminationGracePeriodSeconds: terminationGracePeriodSeconds is -5; must be greater than or equal to 0"
    ]


def test_update_strategies() -> None:
    assert found(rules.strategy, workload("Deployment", strategy={"type": "Recreate"})) == []
    assert found(rules.strategy, workload("Deployment", strategy={"type": "OnDelete"})) == [
        'spec.strategy.type: strategy type \'OnDelete\' is not supported; supported values: "Recreate", "RollingUpdate"'
    ]
    bad = workload("DaemonSet", updateStrategy={"type": "OnDelete", "rollingUpdate": {"maxUnavailable": 1}})
    assert found(rules.strategy, bad) == [
        "spec.updateStrategy.rollingUpdate: may not be specified when the updateStrategy type is OnDelete"
    ]


def test_statefulset_policies() -> None:
    assert found(rules.statefulset_policies, workload("StatefulSet", podManagementPolicy="Parallel")) == []
    assert found(rules.statefulset_policies, workload("StatefulSet", podManagementPolicy="Ordered")) == [
        "spec.podManagementPolicy: podManagementPolicy 'Ordered' is not supported; supported values: "
        '"OrderedReady", "Parallel"'
    ]


def test_job_policies() -> None:
    assert found(rules.job_policies, cronjob(concurrencyPolicy="Forbid")) == []
    assert found(rules.job_policies, cronjob(concurrencyPolicy="Skip")) == [
        "spec.concurrencyPolicy: concurrencyPolicy 'Skip' is not supported; supported values: \"Allow\", "
        '"Forbid", "Replace"'
    ]
    assert found(rules.job_policies, workload("Job", completionMode="Parallel")) == [
        'spec.completionMode: completionMode \'Parallel\' is not supported; supported values: "NonIndexed", "Indexed"'
    ]


# ------------------------------------------------------------------------------ schedules


@pytest.mark.parametrize(
    "text",
    [
        "*/5 * * * *",
        "0 3 * * 0",
        "30 2 1,15 jan-mar MON-fri",
        "0 0 ? * *",
        "5/10 * * * *",
        "@daily",
        "@midnight",
        "@every 1h30m",
        "0  0 * * *",
    ],
)
def test_schedules_the_controller_accepts(text: str) -> None:
    assert schedule_problems(text) == ()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("0 0 * * 7", "day of week: end of range (7) above maximum (6): '7'"),
        ("61 * * * *", "minute: end of range (61) above maximum (59): '61'"),
        ("0 0 0 * *", "day of month: beginning of range (0) below minimum (1): '0'"),
        ("5-3 * * * *", "minute: beginning of range (5) beyond end of range (3): '5-3'"),
        ("*/0 * * * *", "minute: step of range should be a positive number: '*/0'"),
        ("0 0 L * *", "failed to parse int from 'L' in 'L'"),
        ("0 0 * * 1#2", "failed to parse int from '1#2' in '1#2'"),
        ("0 0 * * * *", "expected exactly 5 fields, found 6: ['0', '0', '*', '*', '*', '*']"),
        ("@reboot", "unrecognized descriptor: '@reboot'"),
        ("@every 5 minutes", "failed to parse duration '@every 5 minutes'"),
        ("1-2-3 * * * *", "too many hyphens: '1-2-3'"),
    ],
)
def test_schedules_the_controller_refuses(text: str, problem: str) -> None:
    assert schedule_problems(text) == (problem,)


def test_schedule_rule_refuses_tz_in_the_schedule() -> None:
    assert found(rules.schedule, cronjob()) == []
    assert found(rules.schedule, cronjob(schedule="CRON_TZ=Europe/Berlin 0 3 * * *")) == [
        "spec.schedule: schedule 'CRON_TZ=Europe/Berlin 0 3 * * *' is not valid: cannot use TZ or CRON_TZ in "
        "schedule, use the timeZone field instead"
    ]


def test_time_zone() -> None:
    assert time_zone_problems("America/Argentina/Buenos_Aires") == ()
    assert found(rules.time_zone, cronjob(timeZone="Etc/UTC")) == []
    assert found(rules.time_zone, cronjob(timeZone="Europe/Paris ")) == [
        "spec.timeZone: timeZone 'Europe/Paris ' is not valid: unknown time zone 'Europe/Paris '"
    ]
    assert found(rules.time_zone, cronjob(timeZone="Mars/Olympus")) == [
        "spec.timeZone: timeZone 'Mars/Olympus' is not valid: unknown time zone 'Mars/Olympus'"
    ]
    assert found(rules.time_zone, cronjob(timeZone="Local")) == [
        "spec.timeZone: timeZone 'Local' is not valid: must be an explicit time zone as defined in "
        "https://www.iana.org/time-zones"
    ]


def test_ingress_path_type() -> None:
    def ingress(path: dict[str, object]) -> dict[str, object]:
        return obj("networking.k8s.io/v1", "Ingress", "web", spec={"rules": [{"http": {"paths": [path]}}]})

    assert found(rules.ingress_path_type, ingress({"path": "/", "pathType": "Prefix"})) == []
    assert found(rules.ingress_path_type, ingress({"path": "/"})) == [
        "spec.rules[0].http.paths[0].pathType: pathType must be specified"
    ]
    assert found(rules.ingress_path_type, ingress({"path": "/", "pathType": "prefix"})) == [
        "spec.rules[0].http.paths[0].pathType: pathType 'prefix' is not supported; supported values: \"Exact\", "
        '"Prefix", "ImplementationSpecific"'
    ]


# ------------------------------------------------------------------------------ probes


def probe(**body: object) -> dict[str, object]:
    return {"httpGet": {"path": "/", "port": 80}, **body}


def test_probes() -> None:
    ok = container(livenessProbe=probe(periodSeconds=5, successThreshold=1), readinessProbe=probe(successThreshold=3))
    assert found(rules.probes, pod(ok)) == []
    bad = container(
        livenessProbe=probe(successThreshold=2, timeoutSeconds=-1), readinessProbe=probe(failureThreshold=0)
    )
    assert found(rules.probes, pod(bad)) == [
        "spec.containers[0].livenessProbe.timeoutSeconds: timeoutSeconds is -1; must be greater than or equal to 0",
        "spec.containers[0].livenessProbe.successThreshold: successThreshold 2 must be 1 for a livenessProbe",
        "spec.containers[0].readinessProbe.failureThreshold: failureThreshold is 0, which the API server replaces "
        "with the default 3",
    ]
    assert severities(rules.probes, pod(bad)) == ["error", "error", "warning"]
    init = workload("Deployment", template_spec={"initContainers": [container("migrate", startupProbe=probe())]})
    assert found(rules.probes, init) == [
        "spec.template.spec.initContainers[0].startupProbe: may not be set on an init container (container "
        "'migrate') unless it is a sidecar (restartPolicy: Always)"
    ]
