"""`fako import`: Kubernetes YAML in, a typed fako app module out, checked by a round trip.

    result = import_app([Path("rendered.yaml")], "my-app", Path("src/fako/apps"))
    print(result.comparison.summary())   # "12/12 objects exact; 12/12 typed (100%)"

The modules of this package each do one job: `loading` reads and refuses input (and
flattens `List`/`<Kind>List` documents); `plan` decides which code stands for which
objects, asking the recognisers of the cluster's patterns (`secrets`, `workloads`,
`netpol`, `helm`, `sidecars`, `rbac`, `gpu`, `volumes`, `cnpg`, `bundles` for CRDs) and,
for what is left, `objects` (`typed` writes any construct's spec, core types as
`k8s.X(...)` or their short forms); `check` runs every candidate in a scratch tree and
keeps it only when it makes exactly its objects; `code` is the code as data, `constants`
and `loops` tidy it, `module` and `layout` write it in the dense style of the hand-written
app modules; `roundtrip` renders the written module and compares it with the input: any
object that differs, is missing or is extra fails it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from fako.errors import FakoError, UsageError
from fako.importer.check import Scratch
from fako.importer.context import Context
from fako.importer.loading import Manifest, load_manifests
from fako.importer.module import module_name, module_source
from fako.importer.plan import plan
from fako.importer.roundtrip import Comparison, roundtrip
from fako.importer.typed import construct_for

__all__ = ["CLUSTER_SCOPED", "ImportResult", "import_app"]

_APP_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

CLUSTER_SCOPED = frozenset(
    {
        "APIService",
        "CSIDriver",
        "CSINode",
        "CertificateSigningRequest",
        "ClusterIssuer",
        "ClusterRole",
        "ClusterRoleBinding",
        "ClusterSecretStore",
        "CustomResourceDefinition",
        "FlowSchema",
        "IngressClass",
        "MutatingWebhookConfiguration",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PriorityClass",
        "PriorityLevelConfiguration",
        "RuntimeClass",
        "StorageClass",
        "ValidatingAdmissionPolicy",
        "ValidatingAdmissionPolicyBinding",
        "ValidatingWebhookConfiguration",
        "VolumeAttachment",
    }
)
"""Kinds that never take a namespace, whether or not fako has a construct for them."""


@dataclass
class ImportResult:
    """What an import wrote and how its round trip went; `notes` are for stderr (no values)."""

    module: Path
    files: list[Path]
    class_name: str
    comparison: Comparison
    notes: list[str] = field(default_factory=list)


def _crd_scopes(manifests: list[Manifest]) -> dict[tuple[str, str], bool]:
    """(group, kind) -> namespaced, for the custom resources the input's CRDs define."""
    scopes: dict[tuple[str, str], bool] = {}
    for m in manifests:
        spec = m.body.get("spec")
        if m.kind != "CustomResourceDefinition" or not isinstance(spec, dict):
            continue
        kind = (spec.get("names") or {}).get("kind")
        if isinstance(kind, str) and isinstance(spec.get("group"), str):
            scopes[(spec["group"], kind)] = spec.get("scope") != "Cluster"
    return scopes


def _namespaced(m: Manifest, crds: dict[tuple[str, str], bool]) -> bool | None:
    """Whether `m`'s kind takes a namespace; None when nothing here knows."""
    if m.kind in CLUSTER_SCOPED:
        return False
    scope = crds.get((m.api_version.rpartition("/")[0], m.kind))
    if scope is not None:
        return scope
    construct = construct_for(m)
    return construct.namespaced if construct is not None else None


def _main_namespace(app: str, manifests: list[Manifest]) -> str:
    counts = Counter(m.namespace for m in manifests if m.namespace)
    if not counts:
        return app
    declared = {m.name for m in manifests if m.kind == "Namespace"}
    best = max(counts.values())
    tied = [ns for ns, n in counts.items() if n == best]
    for ns in tied:
        if ns == app:
            return ns
    for ns in tied:
        if ns in declared:
            return ns
    return tied[0]


def _place(manifests: list[Manifest], namespace: str) -> list[str]:
    """Give namespaced objects without a namespace (helm template output) the app's, as
    `kustomize` with `namespace:` would; a kind fako does not know is taken as namespaced
    unless it is a known cluster-scoped kind."""
    placed = []
    crds = _crd_scopes(manifests)
    for m in manifests:
        if not m.namespace and _namespaced(m, crds) is not False:
            m.body["metadata"] = {**m.meta, "namespace": namespace}
            placed.append(f"{m.kind} {m.name}")
    if not placed:
        return []
    return [f"{len(placed)} namespaced objects had no namespace; placed in {namespace!r}: {', '.join(placed)}"]


def _external_namespace(manifests: list[Manifest], namespace: str) -> list[tuple[str, str]]:
    """The app's namespace, declared external when the input does not create it (helm
    output, a kustomize overlay with `namespace:`), so the imported app validates on its own.
    Other namespaces the input reaches into belong to other apps and stay as they are."""
    created = {m.name for m in manifests if m.kind == "Namespace" and m.api_version == "v1"}
    used = any(m.namespace == namespace for m in manifests)
    return [("Namespace", namespace)] if used and namespace not in created else []


def import_app(
    files: list[Path],
    name: str,
    out: Path,
    *,
    root: Path | None = None,
    overwrite: bool = False,
    stdin: bytes | None = None,
) -> ImportResult:
    """Import `files` as app `name` into `out/<module>.py` (+ `out/files/<module>/`) and
    check the round trip. `root` is where encrypted files are looked up (`root/secrets/`);
    a file `-` is `stdin`, already read."""
    if not _APP_NAME.match(name) or len(name) > 63:
        raise UsageError(f"--name {name!r}: must be a lowercase DNS label (a-z, 0-9, '-'), e.g. 'hume-collector'")
    manifests = load_manifests(files, stdin)
    namespace = _main_namespace(name, manifests)
    notes = _place(manifests, namespace)
    module = module_name(name)
    target = out / f"{module}.py"
    if target.exists() and not overwrite:
        raise FakoError(f"{target} exists; pick another --name or --out (or pass --force to replace it)")
    scratch = Scratch(name, None if namespace == name else namespace)
    try:
        ctx = Context(app=name, module=module, namespace=namespace, scratch=scratch, manifests=manifests)
        ctx.external.extend(_external_namespace(manifests, namespace))
        pieces = plan(ctx)
    finally:
        scratch.close()
    raw = [m for p in pieces for s in p.stmts for m in p.covers if any(c.startswith("Raw:") for c in s.comments)]
    text = module_source(ctx, pieces, files, raw)
    written = _write(out, module, text.source, text.files)
    comparison = roundtrip(target, manifests, root)
    return ImportResult(target, written, text.class_name, comparison, notes + ctx.notes)


def _write(out: Path, module: str, source: str, files: dict[str, str]) -> list[Path]:
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for key, text in sorted(files.items()):
            path = out / "files" / module / key
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            written.append(path)
        target = out / f"{module}.py"
        target.write_text(source, encoding="utf-8")
    except OSError as exc:
        raise FakoError(f"{out}: cannot write the module ({exc.strerror or exc})") from None
    return [target, *written]
