"""The change to the rendered cluster, object by object and field by field.

Objects are loaded from a directory or a git tree (the build branch) and matched by
identity (apiVersion, kind, namespace, name), so moving an object between files is no
change. Secret values are masked and SOPS files only reported as changed.
"""

from __future__ import annotations

import difflib
import html
import json
import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from fako.errors import FakoError
from fako.gitutil import Git, GitError, open_repo
from fako.rendered import identity

__all__ = [
    "ABSENT",
    "MARKDOWN_LIMIT",
    "MASK",
    "Diff",
    "FieldChange",
    "LoadedObject",
    "ObjectChange",
    "Objects",
    "compute",
    "load_against",
    "load_dir",
    "load_files",
    "load_ref",
    "render",
    "render_json",
    "render_markdown",
    "render_text",
]

Identity = tuple[str, str, str, str]
ChangeKind = Literal["added", "removed", "changed"]
Format = Literal["text", "markdown", "json"]

MASK = "***"
MARKDOWN_LIMIT = 60_000
_VALUE_WIDTH = 300
_SECRET_FIELDS = ("data", "stringData")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MARK = {"added": "+", "removed": "-", "changed": "!"}


class _Absent:
    """A field missing on one side of a change (shown `(absent)`, null in JSON)."""

    def __repr__(self) -> str:
        return "(absent)"


ABSENT: Any = _Absent()


@dataclass(frozen=True)
class LoadedObject:
    """One object of a rendered tree: its layer and app (from the path), file and manifest."""

    layer: str
    app: str
    path: str
    manifest: dict[str, Any]

    @property
    def sops(self) -> bool:
        """True for a SOPS-encrypted file: its values are ciphertext."""
        return "sops" in self.manifest


Objects = dict[Identity, LoadedObject]


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its path (`spec.containers[name=api].image`) and both values."""

    path: str
    before: Any
    after: Any


@dataclass(frozen=True)
class ObjectChange:
    """An added, removed or changed object, where it lives, and (if changed) how."""

    layer: str
    app: str
    api_version: str
    kind: str
    namespace: str
    name: str
    change: ChangeKind
    fields: tuple[FieldChange, ...] = ()
    note: str | None = None

    @property
    def unit(self) -> str:
        """`layer/app`, the folder under `dist/` the object lives in."""
        return _unit(self.layer, self.app)

    @property
    def label(self) -> str:
        """`Kind namespace/name (apiVersion)`."""
        name = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"{self.kind} {name} ({self.api_version})"


@dataclass(frozen=True)
class Diff:
    """Every object change between two rendered trees, sorted by app then object.

    `off` holds the units (`layer/app`) the cluster has switched off: their changes are
    shown (a switched-off app is still modelled) and marked.
    """

    changes: tuple[ObjectChange, ...]
    off: frozenset[str] = frozenset()

    def label(self, unit: str) -> str:
        """`layer/app`, with "(switched off)" for a unit the cluster does not run."""
        return f"{unit} (switched off)" if unit in self.off else unit

    @property
    def empty(self) -> bool:
        """True when both trees render the same cluster."""
        return not self.changes

    def counts(self) -> dict[str, int]:
        """Number of changed, added and removed objects, and of apps they belong to."""
        by_kind = Counter(c.change for c in self.changes)
        return {
            "changed": by_kind["changed"],
            "added": by_kind["added"],
            "removed": by_kind["removed"],
            "apps": len({c.unit for c in self.changes}),
        }

    def summary(self) -> str:
        """`3 changed, 1 added, 0 removed objects in 2 apps`."""
        n = self.counts()
        apps = "app" if n["apps"] == 1 else "apps"
        return f"{n['changed']} changed, {n['added']} added, {n['removed']} removed objects in {n['apps']} {apps}"

    def by_unit(self) -> dict[str, list[ObjectChange]]:
        """The changes grouped by `layer/app`, in order."""
        groups: dict[str, list[ObjectChange]] = {}
        for change in self.changes:
            groups.setdefault(change.unit, []).append(change)
        return groups


# --- loading -------------------------------------------------------------------------------


def load_files(files: Mapping[str, bytes]) -> Objects:
    """Objects in `files` (path under the tree root -> content); non-YAML files are ignored."""
    objects: Objects = {}
    for path in sorted(files):
        if not path.endswith((".yaml", ".yml")):
            continue
        parts = path.split("/")
        layer = parts[0] if len(parts) > 1 else ""
        app = parts[1] if len(parts) > 2 else ""
        try:
            docs = list(yaml.load_all(files[path], Loader=_LOADER))
        except yaml.YAMLError as exc:
            # Not str(exc): it quotes the offending line, which may hold a secret.
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}" if mark is not None else ""
            raise FakoError(f"cannot parse {path}{where}: {getattr(exc, 'problem', None) or 'invalid YAML'}") from None
        for doc in docs:
            if not isinstance(doc, dict) or not doc.get("kind") or not doc.get("apiVersion"):
                continue
            if str(doc["apiVersion"]).startswith("kustomize.config.k8s.io/"):
                continue
            ident = identity(doc)
            if ident in objects:
                raise FakoError(f"{_ref(ident)} is defined twice: in {objects[ident].path} and in {path}")
            objects[ident] = LoadedObject(layer, app, path, doc)
    return objects


def load_dir(root: Path) -> Objects:
    """Objects in the YAML files under the directory `root` (a rendered `dist/`)."""
    if not root.is_dir():
        raise FakoError(f"{root} does not exist or is not a directory: run `fako synth` first")
    files: dict[str, bytes] = {}
    for dirpath, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            if name.endswith((".yaml", ".yml")):
                path = Path(dirpath) / name
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return load_files(files)


def load_ref(git: Git, treeish: str) -> Objects:
    """Objects in the git tree `treeish` (a branch, commit or tree), read without a checkout."""
    entries = [e for e in git.ls_tree(treeish) if e.path.endswith((".yaml", ".yml"))]
    blobs = git.read_blobs([e.oid for e in entries])
    return load_files({e.path: blobs[e.oid] for e in entries})


def load_against(against: str, repo: Path, remote: str = "origin") -> tuple[Objects, str]:
    """Objects of `against` and a label for it.

    `against` is tried as a git ref first (a branch, falling back to `<remote>/<branch>`
    when there is no local one; a commit; `REF:path`), then as a directory.
    """
    try:
        git: Git | None = open_repo(repo)
    except GitError:
        git = None
    if git is not None:
        for candidate in (against, f"{remote}/{against}"):
            tree = _resolve_tree(git, candidate)
            if tree is not None:
                return load_ref(git, tree), candidate
    if Path(against).is_dir():
        return load_dir(Path(against)), against
    where = "branch, ref or directory" if git is not None else "directory (and not in a git repository)"
    hint = ""
    if against == "build" and git is not None:
        hint = f": nothing published yet? run `fako publish`, or `git fetch {remote} build`"
    raise FakoError(f"--against {against}: no such {where}{hint}")


def _resolve_tree(git: Git, ref: str) -> str | None:
    if ":" not in ref:
        return git.resolve(f"{ref}^{{tree}}")
    oid = git.resolve(ref)
    if oid is None or git.text("cat-file", "-t", oid) != "tree":
        return None
    return oid


# --- comparing -----------------------------------------------------------------------------


def compute(before: Objects, after: Objects, *, off: frozenset[str] = frozenset()) -> Diff:
    """The changes that turn the `before` objects into the `after` objects (`off`: see `Diff`)."""
    changes: list[ObjectChange] = []
    for ident in before.keys() | after.keys():
        old, new = before.get(ident), after.get(ident)
        if old is None or new is None:
            where = new or old
            assert where is not None
            changes.append(_change(ident, where, "added" if old is None else "removed"))
            continue
        same_place = (old.layer, old.app) == (new.layer, new.app)
        # Most objects are untouched: compare whole manifests at C speed before walking fields
        # (this misses only 1 -> true or 1 -> 1.0, which Python calls equal).
        if same_place and old.manifest == new.manifest:
            continue
        note = None
        if old.sops or new.sops:
            fields: list[FieldChange] = []
            if _fields(old.manifest, new.manifest, secret=False):
                note = "encrypted content changed"
        else:
            fields = _fields(old.manifest, new.manifest, secret=ident[1] == "Secret")
        if not same_place:
            moved = f"moved from {_unit(old.layer, old.app)}"
            note = f"{moved}; {note}" if note else moved
        if fields or note:
            changes.append(_change(ident, new, "changed", tuple(fields), note))
    changes.sort(key=lambda c: (c.layer, c.app, c.kind, c.namespace, c.name, c.api_version))
    return Diff(tuple(changes), off)


def _change(
    ident: Identity,
    where: LoadedObject,
    change: ChangeKind,
    fields: tuple[FieldChange, ...] = (),
    note: str | None = None,
) -> ObjectChange:
    api_version, kind, namespace, name = ident
    return ObjectChange(where.layer, where.app, api_version, kind, namespace, name, change, fields, note)


def _fields(before: Any, after: Any, secret: bool) -> list[FieldChange]:
    out: list[FieldChange] = []
    _walk("", before, after, out)
    if secret:
        out = [FieldChange(f.path, _mask(f.before), _mask(f.after)) if _is_secret(f.path) else f for f in out]
    return out


def _walk(path: str, a: Any, b: Any, out: list[FieldChange]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(a.keys() | b.keys(), key=str):
            _walk(_key(path, key), a.get(key, ABSENT), b.get(key, ABSENT), out)
    elif isinstance(a, list) and isinstance(b, list):
        named_a, named_b = _named(a), _named(b)
        if named_a is not None and named_b is not None:
            found = len(out)
            for name in sorted(named_a.keys() | named_b.keys()):
                _walk(f"{path}[name={name}]", named_a.get(name, ABSENT), named_b.get(name, ABSENT), out)
            if len(out) == found and list(named_a) != list(named_b):
                out.append(FieldChange(f"{path}[*].name (order)", list(named_a), list(named_b)))
        elif len(a) == len(b):
            for i, (x, y) in enumerate(zip(a, b, strict=True)):
                _walk(f"{path}[{i}]", x, y, out)
        elif a != b:
            out.append(FieldChange(path, a, b))
    elif type(a) is not type(b) or a != b:
        out.append(FieldChange(path, a, b))


def _named(items: list[Any]) -> dict[str, Any] | None:
    """Items by `name` when every item is a mapping with a distinct string name."""
    named: dict[str, Any] = {i["name"]: i for i in items if isinstance(i, dict) and isinstance(i.get("name"), str)}
    return named if len(named) == len(items) else None


def _key(path: str, key: object) -> str:
    text = str(key)
    if _PLAIN_KEY.fullmatch(text):
        return f"{path}.{text}" if path else text
    return f"{path}[{json.dumps(text)}]"


def _is_secret(path: str) -> bool:
    return any(path == f or path.startswith((f"{f}.", f"{f}[")) for f in _SECRET_FIELDS)


def _mask(value: Any) -> Any:
    return value if value is ABSENT else MASK


def _unit(layer: str, app: str) -> str:
    return "/".join(p for p in (layer, app) if p) or "."


def _ref(ident: Identity) -> str:
    api_version, kind, namespace, name = ident
    return f"{kind} {namespace + '/' if namespace else ''}{name} ({api_version})"


# --- rendering -----------------------------------------------------------------------------


def render(diff: Diff, fmt: Format, against: str | None = None) -> str:
    """`diff` as `text`, `markdown` (a PR comment) or `json`."""
    if fmt == "json":
        return render_json(diff)
    if fmt == "markdown":
        return render_markdown(diff, against)
    return render_text(diff)


def render_text(diff: Diff) -> str:
    """Changes per app, one line per object and per changed field, then the summary."""
    lines: list[str] = []
    for unit, changes in diff.by_unit().items():
        lines.append(diff.label(unit))
        lines.extend(line for c in changes for line in _object_lines(c, indent="  "))
        lines.append("")
    lines.append(diff.summary())
    return "\n".join(lines) + "\n"


def render_markdown(diff: Diff, against: str | None = None, limit: int = MARKDOWN_LIMIT) -> str:
    """A PR comment: the summary, then one collapsed section per app, cut to `limit` chars."""
    versus = f" against `{against}`" if against else ""
    head = f"<!-- fako-diff -->\n### Rendered cluster diff\n\n**{diff.summary()}**{versus}\n"
    if diff.empty:
        return head + "\nNo change to the rendered cluster.\n"
    budget = limit - len(head) - 400  # room for the truncation note
    parts = [head]
    groups = list(diff.by_unit().items())
    for shown, (unit, changes) in enumerate(groups):
        lines = [line for c in changes for line in _object_lines(c, indent="")]
        label = diff.label(unit)
        section = _details(label, changes, lines)
        if len(section) > budget:
            section = _details(label, changes, _fit(lines, budget - len(_details(label, changes, []))))
            if len(section) <= budget:
                parts.append(section)
                shown += 1
            hidden = groups[shown:]
            rest = f" {len(hidden)} more app(s) ({sum(len(c) for _, c in hidden)} object changes) not shown."
            parts.append(
                f"\n> [!NOTE]\n> Diff truncated to fit {limit:,} characters:{rest if hidden else ''}"
                " Run `fako diff` locally for the full diff.\n"
            )
            break
        parts.append(section)
        budget -= len(section)
    return "".join(parts)


def render_json(diff: Diff) -> str:
    """`{summary, changes}` with a stable schema; absent values are null."""
    data = {
        "summary": {"text": diff.summary(), **diff.counts()},
        "changes": [
            {
                "layer": c.layer,
                "app": c.app,
                "apiVersion": c.api_version,
                "kind": c.kind,
                "namespace": c.namespace,
                "name": c.name,
                "change": c.change,
                "note": c.note,
                "switched_off": c.unit in diff.off,
                "fields": [{"path": f.path, "before": _plain(f.before), "after": _plain(f.after)} for f in c.fields],
            }
            for c in diff.changes
        ],
    }
    return json.dumps(data, indent=2, sort_keys=True, default=str) + "\n"


def _object_lines(change: ObjectChange, indent: str) -> list[str]:
    lines = [f"{indent}{_MARK[change.change]} {change.label}"]
    if change.note:
        lines.append(f"{indent}    ({change.note})")
    for f in change.fields:
        lines.extend(f"{indent}    {line}" for line in _field_lines(f))
    return lines


def _field_lines(f: FieldChange) -> list[str]:
    before, after = f.before, f.after
    multiline = any(isinstance(v, str) and "\n" in v for v in (before, after))
    if multiline and all(isinstance(v, str) or v is ABSENT for v in (before, after)):
        old = before.splitlines() if isinstance(before, str) else []
        new = after.splitlines() if isinstance(after, str) else []
        body = list(difflib.unified_diff(old, new, lineterm="", n=1))[2:]
        return [f"{f.path}:", *(f"  {line}" for line in body)]
    old_text, new_text = _show(before), _show(after)
    if old_text == new_text and old_text != MASK:
        old_text, new_text = _json(before), _json(after)
    return [f"{f.path}: {old_text} -> {new_text}"]


def _show(value: Any) -> str:
    if value is ABSENT:
        return "(absent)"
    text = value if isinstance(value, str) and value and value.strip() == value else _json(value)
    return text if len(text) <= _VALUE_WIDTH else f"{text[:_VALUE_WIDTH]}… ({len(text)} chars)"


def _json(value: Any) -> str:
    return "(absent)" if value is ABSENT else json.dumps(value, sort_keys=True, default=str)


def _plain(value: Any) -> Any:
    return None if value is ABSENT else value


def _details(unit: str, changes: list[ObjectChange], lines: list[str]) -> str:
    counts = Counter(c.change for c in changes)
    what = ", ".join(f"{counts[k]} {k}" for k in ("changed", "added", "removed") if counts[k])
    body = "\n".join(lines)
    fence = "`" * max(3, _longest_backtick_run(body) + 1)
    return (
        f"\n<details><summary><code>{html.escape(unit)}</code>: {what}</summary>\n\n"
        f"{fence}diff\n{body}\n{fence}\n\n</details>\n"
    )


def _fit(lines: list[str], budget: int) -> list[str]:
    kept: list[str] = []
    used = len("… (cut)") + 1
    for line in lines:
        if used + len(line) + 1 > budget:
            kept.append("… (cut)")
            break
        kept.append(line)
        used += len(line) + 1
    return kept


def _longest_backtick_run(text: str) -> int:
    return max((len(m) for m in re.findall(r"`+", text)), default=0)
