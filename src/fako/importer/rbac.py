"""RBAC as the shared short forms: `grant`, `service_account` and `bind` (rules as `rule(...)`).

A ServiceAccount, the Role or ClusterRole bound to it and the binding become one
`grant(self, account=..., role=..., rules=[...])` (or `service_account(self, name, [...])`
when all three share one name in the app's namespace); a binding of one ServiceAccount on
its own becomes `bind(...)`. Every candidate is written with only the arguments that differ
from the helper's defaults and kept only when it renders its objects exactly.
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.importer.code import Call, Const, Expr, ListOf, Local, Stmt, lit
from fako.importer.context import Context, Piece, rank_of
from fako.importer.loading import Manifest
from fako.importer.typed import Options, model_expr, name_of
from fako.patterns.rbac import RBAC_GROUP, bind, grant, service_account

__all__ = ["bind_piece", "grant_pieces"]

_RBAC = f"{RBAC_GROUP}/v1"


def _plain_meta(m: Manifest) -> bool:
    return not set(m.meta) - {"name", "namespace", "labels"}


def _subject(m: Manifest) -> dict[str, Any] | None:
    """The one ServiceAccount a binding names, as written."""
    subjects = m.body.get("subjects")
    if not isinstance(subjects, list) or len(subjects) != 1 or not isinstance(subjects[0], dict):
        return None
    subject = subjects[0]
    if subject.get("kind") != "ServiceAccount" or set(subject) != {"kind", "name", "namespace"}:
        return None
    return subject


def _role_ref(m: Manifest) -> dict[str, Any] | None:
    ref = m.body.get("roleRef")
    if not isinstance(ref, dict) or set(ref) != {"apiGroup", "kind", "name"} or ref["apiGroup"] != RBAC_GROUP:
        return None
    return ref


def _rules(m: Manifest, opts: Options) -> Expr | None:
    rules = m.body.get("rules")
    if not isinstance(rules, list) or set(m.body) - {"apiVersion", "kind", "metadata", "rules"}:
        return None
    try:
        return ListOf(tuple(model_expr(k8s.PolicyRule.model_validate(r), r, opts) for r in rules))
    except Exception:
        return None


def _labels(*objects: Manifest) -> tuple[bool, Any]:
    """(same labels on every object, those labels)."""
    labels = [m.meta.get("labels") for m in objects]
    return all(x == labels[0] for x in labels), labels[0]


def _find(ctx: Context, kind: str, name: str, namespace: str | None) -> Manifest | None:
    return next(
        (m for m in ctx.remaining() if (m.kind, m.api_version, m.name, m.namespace) == (kind, _RBAC, name, namespace)),
        None,
    )


def _grant_candidates(
    ctx: Context, binding: Manifest, opts: Options
) -> list[tuple[list[Stmt], list[Manifest], str | None]]:
    """(statements, objects, group id taken) for the ways one binding and its role (and its
    account) may be written; the first that renders them exactly is taken."""
    ref, subject = _role_ref(binding), _subject(binding)
    if ref is None or subject is None or not _plain_meta(binding):
        return []
    cluster = binding.kind == "ClusterRoleBinding"
    if ref["kind"] != ("ClusterRole" if cluster else "Role"):
        return []
    role = _find(ctx, ref["kind"], ref["name"], None if cluster else binding.namespace)
    if role is None or not _plain_meta(role) or subject["namespace"] != ctx.namespace:
        return []
    rules = _rules(role, opts)
    if rules is None:
        return []
    account = next(
        (
            m
            for m in ctx.remaining()
            if (m.kind, m.api_version, m.name) == ("ServiceAccount", "v1", subject["name"])
            and ctx.in_main(m)
            and _plain_meta(m)
            and set(m.body) == {"apiVersion", "kind", "metadata"}
        ),
        None,
    )
    out: list[tuple[list[Stmt], list[Manifest], str | None]] = []
    for with_account in (True, False) if account is not None else (False,):
        objects = [role, binding] + ([account] if with_account and account is not None else [])
        same, labels = _labels(*objects)
        if not same:
            continue
        label_kw: list[tuple[str, Expr]] = [("labels", lit(labels))] if labels is not None else []
        name = subject["name"]
        namespace = None if cluster or binding.namespace == ctx.namespace else binding.namespace
        if (
            with_account
            and not cluster
            and namespace is None
            and ref["name"] == binding.name == name
            and ctx.free_id("self", "grant-" + name) == "grant-" + name
        ):
            call = Call(name_of(service_account), (Local("self"), Const(name), rules), tuple(label_kw))
            out.append(([Stmt(call)], objects, "grant-" + name))
        kwargs: list[tuple[str, Expr]] = [("account", Const(name)), ("role", Const(ref["name"])), ("rules", rules)]
        if binding.name != ref["name"]:
            kwargs.append(("binding", Const(binding.name)))
        if not cluster:
            kwargs.append(("cluster", Const(False)))
        if not with_account:
            kwargs.append(("make_account", Const(False)))
        if namespace is not None:
            kwargs.append(("namespace", Const(namespace)))
        kwargs += label_kw
        group = ctx.free_id("self", "grant-" + ref["name"])
        if group != "grant-" + ref["name"]:
            kwargs.append(("id", Const(group)))
        out.append(([Stmt(Call(name_of(grant), (Local("self"),), tuple(kwargs)))], objects, group))
    return out


def grant_pieces(ctx: Context) -> list[Piece]:
    """Every binding of one ServiceAccount whose role is in the input, with the role (and the
    account) it binds, as `grant(...)` or `service_account(...)`."""
    pieces = []
    for opts in (Options(short=True), Options(short=False)):
        for binding in [m for m in ctx.remaining() if m.kind in ("RoleBinding", "ClusterRoleBinding")]:
            if binding.api_version != _RBAC or id(binding) in ctx.claimed:
                continue
            for stmts, objects, group in _grant_candidates(ctx, binding, opts):
                if ctx.scratch.matches(stmts, objects):
                    if group is not None:
                        ctx.take_id("self", group)
                    pieces.append(ctx.claim(Piece(stmts, objects, rank_of("ServiceAccount"))))
                    break
    return pieces


def bind_piece(m: Manifest, ctx: Context, opts: Options) -> Piece | None:
    """A binding of one ServiceAccount as `bind(self, name, role=..., account=...)`."""
    if m.kind not in ("RoleBinding", "ClusterRoleBinding") or m.api_version != _RBAC or not _plain_meta(m):
        return None
    ref, subject = _role_ref(m), _subject(m)
    if ref is None or subject is None or set(m.body) - {"apiVersion", "kind", "metadata", "roleRef", "subjects"}:
        return None
    cluster = m.kind == "ClusterRoleBinding"
    kwargs: list[tuple[str, Expr]] = [("role", Const(ref["name"])), ("account", Const(subject["name"]))]
    if not cluster:
        kwargs.append(("cluster", Const(False)))
    if ref["kind"] != ("ClusterRole" if cluster else "Role"):
        kwargs.append(("role_kind", Const(ref["kind"])))
    namespace = None if cluster or m.namespace == ctx.namespace else m.namespace
    if namespace is not None:
        kwargs.append(("namespace", Const(namespace)))
    if subject["namespace"] != ctx.namespace:
        kwargs.append(("account_namespace", Const(subject["namespace"])))
    if m.meta.get("labels") is not None:
        kwargs.append(("labels", lit(m.meta["labels"])))
    default = f"binding-{m.name}" if namespace is None else f"binding-{m.name}-{namespace}"
    id = ctx.free_id("self", default)
    if id != default:
        kwargs.append(("id", Const(id)))
    stmt = Stmt(Call(name_of(bind), (Local("self"), Const(m.name)), tuple(kwargs)))
    if not ctx.scratch.matches([stmt], [m]):
        return None
    ctx.take_id("self", id)
    return Piece([stmt], [m], rank_of(m.kind))
