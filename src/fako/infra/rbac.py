"""Short forms for the platform's RBAC and one-shot kubectl Jobs.

`grant(scope, account=..., role=..., rules=[rule("", ["nodes"], ["get"])])` makes the
ServiceAccount, the ClusterRole (or Role) and its binding to the account, the way the
platform units write them; `script_job` a Job running one verbatim script as that account.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
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
from fako.tree import Group, Scope

__all__ = ["grant", "rule", "script_job"]


def rule(group: str, resources: list[str], verbs: list[str], names: list[str] | None = None) -> k8s.PolicyRule:
    """One policy rule on `resources` of API group `group` ("" = core)."""
    extra: dict[str, Any] = {"resource_names": names} if names else {}
    return k8s.PolicyRule(api_groups=[group], resources=resources, verbs=verbs, **extra)


def grant(
    scope: Scope,
    *,
    account: str,
    role: str,
    rules: list[k8s.PolicyRule],
    binding: str | None = None,
    cluster: bool = True,
    make_account: bool = True,
    id: str | None = None,
) -> None:
    """ServiceAccount `account` (unless `make_account=False`), (Cluster)Role `role` and its binding."""
    group = Group(scope, id or f"grant-{role}")
    ns = group.default_namespace
    if make_account:
        ServiceAccount(group, "account", ServiceAccountSpec(name=account))
    role_cls, binding_cls = (ClusterRole, ClusterRoleBinding) if cluster else (Role, RoleBinding)
    role_cls(group, "role", RoleSpec(name=role, rules=rules))
    binding_cls(
        group,
        "binding",
        RoleBindingSpec(
            name=binding or role,
            role_ref=k8s.RoleRef(api_group="rbac.authorization.k8s.io", kind=role_cls.kind, name=role),
            subjects=[k8s.Subject(kind="ServiceAccount", name=account, namespace=ns)],
        ),
    )


def script_job(
    scope: Scope,
    name: str,
    *,
    script: str,
    image: str,
    account: str,
    container: str,
    shell: str = "/bin/bash",
    annotations: dict[str, str] | None = None,
) -> Job:
    """A Job `name` running `script` once with `shell -c` as `account` (restart OnFailure)."""
    pod = k8s.PodSpec(
        containers=[k8s.Container(name=container, image=image, command=[shell, "-c", script])],
        restart_policy="OnFailure",
        service_account_name=account,
    )
    return Job(scope, name, JobSpec(name=name, annotations=annotations, template=k8s.PodTemplateSpec(spec=pod)))
