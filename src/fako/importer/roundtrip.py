"""The round trip: render the written module as `fako synth --app-file` does, compare with the input.

Objects are paired by identity (apiVersion, kind, namespace, name) and compared as
`parity.py` compares them: nulls and `status` dropped, key order ignored, list order kept.
Encrypted Secrets (and plaintext ones the module turned into SOPS references) are compared
on identity and data keys when the owner's file is in the checkout, on identity alone when
it is not. Only field paths are ever reported, never values.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from fako.appfile import definition_from_file
from fako.definition import build
from fako.importer.check import identity, normalize
from fako.importer.loading import Manifest
from fako.render import Render, render

__all__ = ["Comparison", "ObjectResult", "diff_paths", "roundtrip"]

Verdict = Literal["exact", "differs", "missing", "extra"]


@dataclass(frozen=True)
class ObjectResult:
    """How one object came back: `paths` are the differing field paths (no values)."""

    identity: tuple[str, str, str, str]
    verdict: Verdict
    typed: bool
    paths: tuple[str, ...] = ()
    encrypted: bool = False
    absent: bool = False
    """An encrypted Secret whose SOPS file is not in the checkout: matched on identity alone."""

    @property
    def label(self) -> str:
        api, kind, ns, name = self.identity
        return f"{kind} {ns + '/' if ns else ''}{name} ({api})"


@dataclass
class Comparison:
    """Every input object's result, plus objects the module made that the input lacks.

    The round trip is `ok` only when every input object came back exactly and the module
    made nothing else: an extra object is a failure, not a footnote.
    """

    results: list[ObjectResult] = field(default_factory=list)
    render: Render | None = None

    @property
    def inputs(self) -> list[ObjectResult]:
        return [r for r in self.results if r.verdict != "extra"]

    @property
    def extra(self) -> list[ObjectResult]:
        """Objects the module renders that are not in the input."""
        return [r for r in self.results if r.verdict == "extra"]

    @property
    def exact(self) -> int:
        return sum(1 for r in self.inputs if r.verdict == "exact")

    @property
    def total(self) -> int:
        return len(self.inputs)

    @property
    def typed(self) -> int:
        return sum(1 for r in self.inputs if r.typed)

    @property
    def ok(self) -> bool:
        return bool(self.results) and all(r.verdict == "exact" for r in self.results)

    @property
    def failures(self) -> list[ObjectResult]:
        return [r for r in self.results if r.verdict != "exact"]

    def summary(self) -> str:
        """`12/12 objects exact; 12/12 typed (100%)`, naming extra objects when there are any."""
        share = 100.0 * self.typed / self.total if self.total else 100.0
        extra = len(self.extra)
        made = f", {extra} extra object{'s' if extra != 1 else ''} made" if extra else ""
        return f"{self.exact}/{self.total} objects exact{made}; {self.typed}/{self.total} typed ({share:.0f}%)"


def _leaves(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if not value:
            out[prefix or "/"] = "{}"
        for k, v in value.items():
            _leaves(v, f"{prefix}/{k}", out)
    elif isinstance(value, list):
        names = [v.get("name") for v in value if isinstance(v, dict)]
        by_name = len(names) == len(value) and None not in names and len(set(names)) == len(names)
        if not value:
            out[prefix or "/"] = "[]"
        for i, v in enumerate(value):
            _leaves(v, f"{prefix}[{names[i] if by_name else i}]", out)
    else:
        out[prefix or "/"] = (type(value).__name__, value)


def diff_paths(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    """The field paths where two objects differ, in order."""
    la: dict[str, Any] = {}
    lb: dict[str, Any] = {}
    _leaves(a, "", la)
    _leaves(b, "", lb)
    paths = [p for p in la if la[p] != lb.get(p, object())]
    paths += [p for p in lb if p not in la]
    return paths


def _keys(body: dict[str, Any]) -> list[str]:
    return sorted(set(body.get("data") or {}) | set(body.get("stringData") or {}))


def _secret_like(m: Manifest) -> bool:
    return m.encrypted or (
        m.kind == "Secret" and m.api_version == "v1" and any(m.body.get(k) for k in ("data", "stringData"))
    )


def compare(manifests: Sequence[Manifest], got: Render) -> Comparison:
    """Pair the input with a render and judge each object."""
    rendered = {o.identity: o for o in got.objects}
    absent = {a.identity for a in got.absent}
    out = Comparison(render=got)
    for m in manifests:
        key = identity(m.body)
        obj = rendered.pop(key, None)
        if _secret_like(m):
            if obj is None:
                found = (key[1], key[2], key[3]) in absent
                out.results.append(
                    ObjectResult(key, "exact" if found else "missing", True, encrypted=True, absent=found)
                )
            elif obj.raw is None:
                out.results.append(ObjectResult(key, "differs", obj.typed, ("(not an encrypted file)",), True))
            else:
                same = _keys(obj.manifest) == _keys(m.body)
                paths = () if same else ("data (keys)",)
                out.results.append(ObjectResult(key, "exact" if same else "differs", obj.typed, paths, True))
            continue
        if obj is None:
            out.results.append(ObjectResult(key, "missing", False))
            continue
        a, b = normalize(m.body), normalize(obj.manifest)
        if a == b:
            out.results.append(ObjectResult(key, "exact", obj.typed))
        else:
            out.results.append(ObjectResult(key, "differs", obj.typed, tuple(diff_paths(a, b))))
    for key, obj in rendered.items():
        out.results.append(ObjectResult(key, "extra", obj.typed))
    return out


def render_module(path: Path, root: Path | None = None) -> Render:
    """Render a module's apps standalone, without validation (as `fako synth --app-file --no-validate`).

    No bytecode is written: importing the module must not leave `__pycache__/` in the
    folder the user asked the module to be written to."""
    before = sys.dont_write_bytecode
    sys.dont_write_bytecode = True
    try:
        definition = definition_from_file(path)
    finally:
        sys.dont_write_bytecode = before
    return render(build(definition, root=root))


def roundtrip(path: Path, manifests: Sequence[Manifest], root: Path | None = None) -> Comparison:
    """Render the module at `path` and compare it with `manifests`."""
    return compare(manifests, render_module(path, root))
