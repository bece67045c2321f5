"""A Flux HelmRepository + HelmRelease pair as one `HelmApp(self, HelmAppSpec(...))`.

The spec is read off the two objects (chart, version, values, intervals, timeout, CRD
policy, remediation retries); release fields the spec has no name for go to `extra`
verbatim. The pair is taken only when `HelmApp` renders both exactly.
"""

from __future__ import annotations

from typing import Any

from fako.importer.bundles import dump_yaml
from fako.importer.code import Call, Const, Expr, FileText, Local, Stmt, lit, walk
from fako.importer.context import Context, Piece, rank_of
from fako.importer.loading import Manifest
from fako.importer.typed import name_of
from fako.patterns.helm import HelmApp, HelmAppSpec

__all__ = ["helm_pieces"]

_KNOWN = {"chart", "interval", "install", "upgrade", "timeout", "values", "valuesFrom"}


def _policy(raw: Any) -> tuple[str | None, int | None] | None:
    """(crds, retries) of an install/upgrade block the spec can say, else None."""
    if raw is None:
        return (None, None)
    if not isinstance(raw, dict) or set(raw) - {"crds", "remediation"}:
        return None
    remediation = raw.get("remediation")
    if remediation is not None and (not isinstance(remediation, dict) or set(remediation) != {"retries"}):
        return None
    return raw.get("crds"), (remediation or {}).get("retries")


def _spec_fields(release: Manifest, repo: Manifest, ctx: Context) -> list[tuple[str, Any]] | None:
    spec = release.body.get("spec") or {}
    try:
        chart = spec["chart"]["spec"]
    except (KeyError, TypeError):
        return None
    if set(spec["chart"]) != {"spec"} or set(chart) - {"chart", "sourceRef", "version", "interval"}:
        return None
    repo_spec = repo.body.get("spec") or {}
    if set(repo_spec) - {"interval", "url"} or repo.meta.get("labels") != release.meta.get("labels"):
        return None
    fields: list[tuple[str, Any]] = [
        ("name", release.name),
        ("chart", chart.get("chart")),
        ("url", repo_spec.get("url")),
    ]
    optional = {"version": chart.get("version"), "values": spec.get("values"), "values_from": spec.get("valuesFrom")}
    fields += [(k, v) for k, v in optional.items() if v is not None]
    if repo.name != release.name:
        fields.append(("repo", repo.name))
    if repo.namespace != ctx.namespace:
        fields.append(("repo_namespace", repo.namespace))
    for key, value, default in (
        ("repo_interval", repo_spec.get("interval"), "24h"),
        ("interval", spec.get("interval"), "30m"),
        ("timeout", spec.get("timeout"), "10m"),
    ):
        if value != default:
            fields.append((key, value))
    if "interval" in chart:
        fields.append(("chart_interval", chart["interval"]))
    install, upgrade = _policy(spec.get("install")), _policy(spec.get("upgrade"))
    extra = {k: v for k, v in spec.items() if k not in _KNOWN}
    if install is None or upgrade is None or install[1] != upgrade[1]:
        extra.update({k: spec[k] for k in ("install", "upgrade") if k in spec})
        fields += [("crds", None), ("retries", None)]
    else:
        if upgrade[0] != "CreateReplace":
            fields.append(("crds", upgrade[0]))
        if install[0] != upgrade[0]:
            fields.append(("install_crds", install[0]))
        if upgrade[1] != 3:
            fields.append(("retries", upgrade[1]))
    if extra:
        fields.append(("extra", extra))
    if release.meta.get("labels") is not None:
        fields.append(("labels", release.meta["labels"]))
    return fields


VALUES_LINES = 15
"""Chart values longer than this (as YAML) go to `files/<module>/values.yaml`."""


def _value(key: str, value: Any, ctx: Context, to_file: bool) -> Expr:
    """A spec field as code; long chart values as `values_file(__file__)`, as hand-written apps keep them."""
    if key == "values" and to_file and isinstance(value, dict):
        text = dump_yaml([value], start=False)
        if len(text.splitlines()) > VALUES_LINES:
            return FileText(ctx.file_key("helm", "values.yaml"), text, values=True)
    return lit(value)


def helm_pieces(ctx: Context) -> list[Piece]:
    """Every HelmRelease of the app's namespace whose HelmRepository is in the input too."""
    pieces = []
    for release in [m for m in ctx.remaining() if m.kind == "HelmRelease" and ctx.in_main(m)]:
        try:
            source = release.body["spec"]["chart"]["spec"]["sourceRef"]
        except (KeyError, TypeError):
            continue
        if not isinstance(source, dict) or source.get("kind") != "HelmRepository":
            continue
        repo = next(
            (
                m
                for m in ctx.remaining()
                if m.kind == "HelmRepository"
                and m.name == source.get("name")
                and m.namespace == (source.get("namespace") or ctx.namespace)
            ),
            None,
        )
        if repo is None or set(release.meta) - {"name", "namespace", "labels"}:
            continue
        fields = _spec_fields(release, repo, ctx)
        if fields is None:
            continue
        id = ctx.free_id("self", "helm", release.name)
        kwargs: tuple[tuple[str, Expr], ...] = (("id", Const(id)),) if id != "helm" else ()
        for long_values in (True, False):
            spec = Call(name_of(HelmAppSpec), kwargs=tuple((k, _value(k, v, ctx, long_values)) for k, v in fields))
            stmt = Stmt(Call(name_of(HelmApp), (Local("self"), spec), kwargs))
            if ctx.scratch.matches([stmt], [repo, release]):
                ctx.take_id("self", id)
                for node in walk(stmt.expr):
                    if isinstance(node, FileText):
                        ctx.files[node.key] = node.text
                pieces.append(ctx.claim(Piece([stmt], [repo, release], rank_of("HelmRelease"))))
                break
    return pieces
