"""Mutation tests for `fako.validation.security`'s helpers (`_requests_a_gpu`, `_runs_as_root`,
`_wildcards`) and `check_rbac`: exact violations and findings, written by hand from the Pod
Security Standards (Baseline) and the RBAC good practices the module cites."""

from __future__ import annotations

from typing import Any

from fako.rendered import RenderedObject
from fako.validation import security as rules
from fako.validation.findings import Finding
from fako.validation.rules import Violation
from ruletest import container, pod

RBAC = "rbac.authorization.k8s.io/v1"
ADMIN_FIX = "bind a role with only the verbs and resources the app uses"
WILD_FIX = "list the verbs, resources and API groups the app uses"

# ------------------------------------------------------------------------------ _requests_a_gpu


def ipc(**spec: Any) -> list[Violation]:
    return list(rules.host_namespaces(pod(*spec.pop("containers", ()), hostIPC=True, **spec)))


IPC = Violation(
    "spec.hostIPC",
    "the pod shares the node's ipc namespace",
    "remove hostIPC (GPU pools that need hostIPC get it from fako.patterns.gpu, reviewed)",
    "hostIPC",
)


def test_host_ipc_is_refused_without_a_gpu() -> None:
    assert ipc() == [IPC]
    assert ipc(containers=[container(resources={"limits": {"cpu": "1"}, "requests": {"amd.com/gpu": 1}})]) == [IPC]
    assert ipc(containers=[container(resources="nvidia.com/gpu")]) == [IPC]


def test_host_ipc_is_accepted_with_a_gpu_limit_or_request() -> None:
    assert ipc(containers=[container(resources={"limits": {"nvidia.com/gpu": 1}})]) == []
    assert ipc(containers=[container(resources={"requests": {"nvidia.com/gpu": 1}})]) == []
    # any container of the pod, init containers too
    assert ipc(containers=[container("a"), container("b", resources={"limits": {"nvidia.com/gpu": 2}})]) == []
    assert ipc(initContainers=[container("i", resources={"requests": {"nvidia.com/gpu": 1}})]) == []


def test_a_gpu_excuses_host_ipc_only() -> None:
    gpu = container(resources={"limits": {"nvidia.com/gpu": 1}})
    manifest = pod(gpu, hostIPC=True, hostNetwork=True, hostPID=True)
    assert [v.field for v in rules.host_namespaces(manifest)] == ["spec.hostNetwork", "spec.hostPID"]


# ------------------------------------------------------------------------------ _runs_as_root


def escalation(context: dict[str, Any], pod_context: dict[str, Any] | None = None) -> list[Violation]:
    body = container(securityContext={"allowPrivilegeEscalation": True, **context})
    spec = {"securityContext": pod_context} if pod_context is not None else {}
    return list(rules.privilege_escalation(pod(body, **spec)))


ESCALATION = Violation(
    "spec.containers[0].securityContext.allowPrivilegeEscalation",
    "container 'web' may run as root and allows privilege escalation",
    "set allowPrivilegeEscalation: false (and runAsNonRoot: true)",
    "web",
)


def test_run_as_user_decides_when_it_is_an_integer() -> None:
    assert escalation({"runAsUser": 0}) == [ESCALATION]
    assert escalation({"runAsUser": 1}) == []
    assert escalation({"runAsUser": 1000, "runAsNonRoot": False}) == []
    assert escalation({"runAsUser": 0, "runAsNonRoot": True}) == [ESCALATION]


def test_the_pod_run_as_user_applies_unless_the_container_sets_one() -> None:
    assert escalation({}, {"runAsUser": 0}) == [ESCALATION]
    assert escalation({}, {"runAsUser": 1}) == []
    assert escalation({"runAsUser": 1}, {"runAsUser": 0}) == []
    assert escalation({"runAsUser": 0}, {"runAsUser": 1}) == [ESCALATION]


def test_without_a_user_run_as_non_root_decides() -> None:
    assert escalation({}) == [ESCALATION]
    assert escalation({"runAsUser": "0"}) == [ESCALATION]
    assert escalation({"runAsNonRoot": True}) == []
    assert escalation({"runAsNonRoot": False}) == [ESCALATION]
    assert escalation({"runAsNonRoot": "true"}) == [ESCALATION]
    assert escalation({}, {"runAsNonRoot": True}) == []
    assert escalation({"runAsNonRoot": False}, {"runAsNonRoot": True}) == [ESCALATION]
    assert escalation({"runAsNonRoot": True}, {"runAsNonRoot": False}) == []


# ------------------------------------------------------------------------------ check_rbac


def rendered(manifest: dict[str, Any], n: int = 0) -> RenderedObject:
    return RenderedObject(
        layer="apps",
        app="blog",
        manifest=manifest,
        path=f"dist/apps/blog/{n}.yaml",
        construct_path=f"blog/obj{n}",
        construct_class=f"Construct{n}",
        source=f"apps/blog.py:{n}",
    )


def role(kind: str, name: str, namespace: str | None, rules_: Any, api: str = RBAC) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name} if name else {}
    if namespace:
        meta["namespace"] = namespace
    return {"apiVersion": api, "kind": kind, "metadata": meta, "rules": rules_}


def binding(kind: str, name: str, namespace: str | None, subjects: Any, ref: Any, api: str = RBAC) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return {"apiVersion": api, "kind": kind, "metadata": meta, "subjects": subjects, "roleRef": ref}


def sa(name: str, namespace: str | None = None) -> dict[str, Any]:
    return {"kind": "ServiceAccount", "name": name, **({"namespace": namespace} if namespace else {})}


def ref(kind: str, name: str) -> dict[str, str]:
    return {"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": name}


def expected(obj: RenderedObject, check: str, message: str, fix: str, value: str) -> Finding:
    return Finding(
        severity="error",
        check=check,
        ref=obj.ref,
        message=message,
        fix=fix,
        construct=obj.construct_class,
        source=obj.source,
        path=obj.path,
        layer="apps",
        app="blog",
        field="roleRef.name",
        value=value,
    )


ALL_WILD = [
    {"verbs": ["*"], "resources": ["pods"], "apiGroups": [""]},
    {"verbs": ["*"], "resources": ["*"], "apiGroups": ["*"]},
]


def test_rbac_findings() -> None:
    manifests = [
        role("Role", "reader", "blog", [{"verbs": ["get"], "resources": ["pods"], "apiGroups": [""]}, "junk"]),
        role("Role", "wild", "blog", ALL_WILD),
        role("Role", "only-there", "other", [{"verbs": ["*"]}]),
        role("ClusterRole", "groups", None, [{"apiGroups": ["*"], "verbs": ["get"]}]),
        role("Role", "", "blog", [{"resources": ["*"]}]),
        role("Role", "cluster-admin", "blog", [{"verbs": ["get"]}]),
        role("Role", "fake", "blog", [{"verbs": ["*"]}], api="example.com/v1"),
        # a binding without ServiceAccount subjects, then bindings that are none
        binding("RoleBinding", "users", "blog", [{"kind": "User", "name": "alice"}], ref("Role", "wild")),
        binding("RoleBinding", "foreign", "blog", [sa("app")], ref("Role", "wild"), api="example.com/v1"),
        binding(
            "ClusterRoleBinding",
            "admin",
            None,
            [sa("app", "blog"), {"kind": "Group", "name": "g"}],
            ref("ClusterRole", "cluster-admin"),
        ),
        binding(
            "RoleBinding",
            "wild",
            "blog",
            [{"kind": "User", "name": "bob"}, sa("app"), sa("ci", "tools")],
            ref("Role", "wild"),
        ),
        binding("RoleBinding", "groups", "blog", [sa("app")], ref("ClusterRole", "groups")),
        binding("RoleBinding", "reader", "blog", [sa("app")], ref("Role", "reader")),
        binding("RoleBinding", "elsewhere", "blog", [sa("app")], ref("Role", "only-there")),
        binding("RoleBinding", "admin-role", "blog", [sa("app")], ref("Role", "cluster-admin")),
        binding("RoleBinding", "admin-view", "blog", [sa("app")], ref("ClusterRole", "admin")),
        binding("RoleBinding", "fake", "blog", [sa("app")], ref("Role", "fake")),
        binding("RoleBinding", "unnamed", "blog", [sa("app")], {"kind": "Role"}),
        binding("RoleBinding", "nothing", "blog", [sa("app")], None),
    ]
    objects = [rendered(m, i) for i, m in enumerate(manifests)]
    assert list(rules.check_rbac(objects)) == [
        expected(
            objects[9],
            "security.cluster-admin",
            "gives ServiceAccount blog/app cluster-admin: full control of the whole cluster",
            ADMIN_FIX,
            "cluster-admin",
        ),
        expected(
            objects[10],
            "security.wildcard-role",
            "gives ServiceAccount blog/app, tools/ci Role wild, whose rules use '*' in apiGroups, resources, verbs",
            WILD_FIX,
            "wild",
        ),
        expected(
            objects[11],
            "security.wildcard-role",
            "gives ServiceAccount blog/app ClusterRole groups, whose rules use '*' in apiGroups",
            WILD_FIX,
            "groups",
        ),
        expected(
            objects[17],
            "security.wildcard-role",
            "gives ServiceAccount blog/app Role , whose rules use '*' in resources",
            WILD_FIX,
            "",
        ),
    ]
    assert objects[9].ref == "ClusterRoleBinding/admin"
    assert objects[10].ref == "RoleBinding/blog/wild"


def test_a_cluster_role_binding_to_a_wildcard_cluster_role() -> None:
    objects = [
        rendered(binding("ClusterRoleBinding", "ops", None, [sa("bot", "ops")], ref("ClusterRole", "everything")), 1),
        rendered(role("ClusterRole", "everything", None, [{"verbs": ["*"], "resources": ["*"]}]), 2),
    ]
    assert list(rules.check_rbac(objects)) == [
        expected(
            objects[0],
            "security.wildcard-role",
            "gives ServiceAccount ops/bot ClusterRole everything, whose rules use '*' in resources, verbs",
            WILD_FIX,
            "everything",
        )
    ]


def test_no_bindings_no_findings() -> None:
    assert list(rules.check_rbac([rendered(role("Role", "wild", "blog", ALL_WILD))])) == []
    assert list(rules.check_rbac([])) == []
