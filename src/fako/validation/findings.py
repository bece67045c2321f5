"""`Finding` (one thing wrong with the rendered tree) and `Report` (all of them, rendered)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from fako.rendered import RenderedObject
from fako.text import shown

__all__ = ["Finding", "Report", "Severity", "finding"]

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    """One problem in the rendered tree, in the user's words.

    `check` is the check id (`ref.secret`, `policy.image-tag`, ...), `ref` the object as
    `Kind/namespace/name`, `construct` and `source` the construct class and `file:line`
    that produced it, `path` the rendered file, `layer` and `app` where it was rendered. `message` says what is wrong (with the
    value), `fix` what to do (with the allowed values). `allowed` holds the reason of the
    allow-list entry that accepted the finding; an allowed finding never fails a run.
    """

    severity: Severity
    check: str
    ref: str
    message: str
    fix: str = ""
    construct: str = ""
    source: str = ""
    path: str = ""
    layer: str = ""
    app: str = ""
    allowed: str = ""
    field: str = ""
    value: str = ""

    @property
    def fails(self) -> bool:
        """True when this finding makes the run fail: an error nobody allowed."""
        return self.severity == "error" and not self.allowed

    def sort_key(self) -> tuple[str, str, str, str, str]:
        return (self.ref, self.check, self.field, self.message, self.source)

    def render(self) -> str:
        """One line: `error  Kind/ns/name  (source Construct)  check: field: message; fix: ...`,
        every part escaped for the terminal."""
        label = "allowed" if self.allowed else self.severity
        where = " ".join(part for part in (self.source, self.construct) if part)
        text = f"{label}  {self.ref}  "
        if where:
            text += f"({where})  "
        text += f"{self.check}: "
        if self.field:
            text += f"{self.field}: "
        text += self.message
        if self.fix:
            text += f"; fix: {self.fix}"
        if self.allowed:
            text += f"; allowed: {self.allowed}"
        return shown(text)


def finding(
    obj: RenderedObject | None,
    check: str,
    message: str,
    fix: str = "",
    *,
    severity: Severity = "error",
    ref: str = "",
    field: str = "",
    value: str = "",
) -> Finding:
    """A finding about `obj`, carrying its ref, construct and source."""
    if obj is None:
        return Finding(severity=severity, check=check, ref=ref, message=message, fix=fix, field=field, value=value)
    return Finding(
        field=field,
        value=value,
        severity=severity,
        check=check,
        ref=ref or obj.ref,
        message=message,
        fix=fix,
        construct=obj.construct_class or obj.construct_path,
        source=obj.source,
        path=obj.path,
        layer=obj.layer,
        app=obj.app,
    )


@dataclass(frozen=True)
class Report:
    """The findings of one validation run, sorted by object ref then check id.

    `objects` is how many objects were checked; `ok` is True when no error remains
    after the allow-list (warnings and allowed findings do not fail a run).
    """

    findings: tuple[Finding, ...] = ()
    objects: int = 0
    counts: dict[str, int] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.findings, key=Finding.sort_key))
        object.__setattr__(self, "findings", ordered)
        counts = {"error": 0, "warning": 0, "allowed": 0}
        for f in ordered:
            counts["allowed" if f.allowed else f.severity] += 1
        object.__setattr__(self, "counts", counts)

    @classmethod
    def of(cls, findings: Iterable[Finding], objects: int) -> Report:
        return cls(findings=tuple(findings), objects=objects)

    @property
    def ok(self) -> bool:
        return not any(f.fails for f in self.findings)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.fails)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "warning" and not f.allowed)

    def summary(self) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        c = self.counts
        verdict = "ok" if self.ok else "failed"
        return (
            f"{plural(c['error'], 'error')}, {plural(c['warning'], 'warning')}, "
            f"{c['allowed']} allowed in {plural(self.objects, 'object')}: {verdict}"
        )

    def to_text(self) -> str:
        """One line per finding, then the summary line."""
        return "\n".join([*(f.render() for f in self.findings), self.summary()])

    def as_dict(self) -> dict[str, Any]:
        return {
            "findings": [asdict(f) for f in self.findings],
            "summary": {**self.counts, "objects": self.objects, "ok": self.ok},
        }

    def to_json(self) -> str:
        """`{"findings": [...], "summary": {...}}`, keys sorted, indented."""
        return json.dumps(self.as_dict(), indent=2, sort_keys=True)
