"""Short forms for RBAC: an account, the rights it is granted, and one-shot Jobs run as it.

`grant(scope, account=..., role=..., rules=[rule("", ["nodes"], ["get"])])` makes the
ServiceAccount, the ClusterRole (or Role) and its binding to the account, in that order;
`bind` one binding on its own (a ClusterRole bound in several namespaces, a role shared by
accounts of other namespaces); `service_account` the namespaced form where every object
has the account's name; `script_job` a Job running one verbatim script as an account.
Every object gets the explicit name the call gives, and only the fields the call says.
"""

from __future__ import annotations

from typing import Any, Literal

from fako import k8s
from fako.checked import checked
from fako.constructs.jobs import Job, JobSpec
from fako.constructs.rbac import (
    ClusterRole,
    ClusterRoleBinding,
    Role,
    RoleBinding,
    RoleBindingSpec,
    RoleSpec,
    ServiceAccount,
    ServiceAccountSpec,
)
from fako.errors import FakoError
from fako.tree import Group, Scope, context_of

__all__ = ["bind", "grant", "rule", "script_job", "service_account"]

RBAC_GROUP = "rbac.authorization.k8s.io"


@checked
def rule(group: str, resources: list[str], verbs: list[str], names: list[str] | None = None) -> k8s.PolicyRule:
    """One policy rule on `resources` of API group `group` ("" = core).

    `names` limits it to those objects (`resourceNames`); default: every object of the kinds.

    Example: `rule("apps", ["deployments"], ["get", "patch"], names=["web"])`
    """
    extra: dict[str, Any] = {"resource_names": names} if names else {}
    return k8s.PolicyRule(api_groups=[group], resources=resources, verbs=verbs, **extra)


@checked
def bind(
    scope: Scope,
    name: str,
    *,
    role: str,
    account: str,
    cluster: bool = True,
    role_kind: Literal["ClusterRole", "Role"] | None = None,
    namespace: str | None = None,
    account_namespace: str | None = None,
    labels: dict[str, str] | None = None,
    id: str | None = None,
) -> ClusterRoleBinding | RoleBinding:
    """A binding `name` of role `role` to ServiceAccount `account`.

    `cluster=True` (default) makes a ClusterRoleBinding, `False` a RoleBinding in `namespace`
    (default: the scope's namespace). `role_kind` is the kind of `role`; default: ClusterRole
    for a ClusterRoleBinding, Role for a RoleBinding (a RoleBinding may name a ClusterRole).
    `account_namespace` is where the account lives; default: the scope's namespace.
    `labels` go on the binding; default: none. The construct id defaults to
    `binding-<name>`, with `-<namespace>` when `namespace` is given.

    Example: `bind(self, "reader", role="view", account="reporter")`
    """
    ns = context_of(scope).namespace or ""
    kind = role_kind or ("ClusterRole" if cluster else "Role")
    spec = RoleBindingSpec(
        name=name,
        namespace=namespace,
        labels=labels,
        role_ref=k8s.RoleRef(api_group=RBAC_GROUP, kind=kind, name=role),
        subjects=[k8s.Subject(kind="ServiceAccount", name=account, namespace=account_namespace or ns)],
    )
    default_id = f"binding-{name}" if namespace is None else f"binding-{name}-{namespace}"
    binding_cls = ClusterRoleBinding if cluster else RoleBinding
    return binding_cls(scope, id or default_id, spec)


@checked
def grant(
    scope: Scope,
    *,
    account: str,
    role: str,
    rules: list[k8s.PolicyRule],
    binding: str | None = None,
    cluster: bool = True,
    make_account: bool = True,
    namespace: str | None = None,
    labels: dict[str, str] | None = None,
    id: str | None = None,
) -> None:
    """ServiceAccount `account`, (Cluster)Role `role` with `rules`, and the binding of the two.

    `cluster=True` (default) makes a ClusterRole and ClusterRoleBinding, `False` a Role and
    RoleBinding. `binding` names the binding; default: the role's name. `make_account=False`
    leaves the account out (another grant, a chart or the namespace makes it). `namespace`
    is where a Role and its RoleBinding live; default: the scope's namespace, the account's
    own. `labels` go on every object made; default: none. The objects sit in a group with
    id `id`; default: `grant-<role>`. The account always lives in the scope's namespace.

    Example: `grant(self, account="reporter", role="pod-reader", rules=[rule("", ["pods"], ["get", "list"])], cluster=False)`
    """
    if cluster and namespace is not None:
        raise FakoError(f"grant {role!r}: namespace={namespace!r} needs cluster=False (a ClusterRole has no namespace)")
    group = Group(scope, id or f"grant-{role}")
    if make_account:
        ServiceAccount(group, "account", ServiceAccountSpec(name=account, labels=labels))
    role_cls = ClusterRole if cluster else Role
    role_cls(group, "role", RoleSpec(name=role, namespace=namespace, labels=labels, rules=rules))
    bind(
        group,
        binding or role,
        role=role,
        account=account,
        cluster=cluster,
        namespace=namespace,
        labels=labels,
        id="binding",
    )


@checked
def service_account(
    scope: Scope, name: str, rules: list[k8s.PolicyRule] | None, *, labels: dict[str, str] | None = None
) -> None:
    """ServiceAccount `name`, and (unless `rules` is None) a Role `name` with `rules` bound to it
    by a RoleBinding `name`: `grant(..., cluster=False)` where every object has one name.

    `labels` go on every object; default: none.

    Example: `service_account(self, "labeler", [rule("", ["nodes"], ["get", "patch"])])`
    """
    if rules is None:
        ServiceAccount(scope, f"{name}-sa", ServiceAccountSpec(name=name, labels=labels))
    else:
        grant(scope, account=name, role=name, rules=rules, cluster=False, labels=labels)


@checked
def script_job(
    scope: Scope,
    name: str,
    *,
    script: str,
    image: str,
    account: str,
    container: str,
    shell: str = "/bin/bash",
    restart_policy: Literal["OnFailure", "Never"] = "OnFailure",
    ttl_s: int | None = None,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    id: str | None = None,
) -> Job:
    """A Job `name` running `script` once with `shell -c` in container `container`, as `account`.

    `restart_policy` defaults to OnFailure (the pod retries in place). `ttl_s` deletes the
    finished Job after that many seconds; default: it stays as a completed object.
    `labels`/`annotations` go on the Job; default: none. The construct id defaults to `name`.

    Example: `script_job(self, "label-nodes", script="kubectl label node a x=y", image=IMAGE, account="labeler", container="kubectl")`
    """
    pod = k8s.PodSpec(
        containers=[k8s.Container(name=container, image=image, command=[shell, "-c", script])],
        restart_policy=restart_policy,
        service_account_name=account,
    )
    spec = JobSpec(
        name=name,
        labels=labels,
        annotations=annotations,
        ttl_seconds_after_finished=ttl_s,
        template=k8s.PodTemplateSpec(spec=pod),
    )
    return Job(scope, id or name, spec)
