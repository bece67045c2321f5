"""Reviewed warnings: the ones a repository has already looked at, kept in a file.

`fako validate` prints errors, and only the warnings that are new: a warning listed in
the cluster's baseline file (`src/fako/clusters/<cluster>_baseline.txt`) has been
reviewed and is counted, not printed, so a change's one new warning is not lost among
hundreds of known ones. `fako validate --all` prints everything;
`fako validate --update-baseline` rewrites the file from the current warnings.

A line is `check<TAB>object<TAB>field<TAB>value` (tabs, since values may hold spaces);
`#` starts a comment. The file is plain text so a review sees exactly what was accepted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fako.errors import FakoError
from fako.validation.findings import Finding

__all__ = ["Baseline", "baseline_path", "key_of"]

Key = tuple[str, str, str, str]
_HEADER = (
    "# Reviewed warnings of `fako validate --include-disabled`: printed only by `fako validate --all`.\n"
    "# Regenerate with `fako validate --include-disabled --update-baseline`; review the diff like code.\n"
    "# check\tobject\tfield\tvalue\n"
)


def key_of(finding: Finding) -> Key:
    """What identifies a warning across runs: its check, object, field and value (not its wording)."""
    return (finding.check, finding.ref, finding.field, finding.value or finding.message)


def baseline_path(root: Path, cluster: str) -> Path:
    """The baseline file of `cluster` in the checkout at `root`."""
    return root / "src" / "fako" / "clusters" / f"{cluster}_baseline.txt"


def _clean(text: str) -> str:
    return text.replace("\t", " ").replace("\n", " ")


@dataclass(frozen=True)
class Baseline:
    """The reviewed warnings of one cluster."""

    keys: frozenset[Key]

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """The baseline in `path`; empty when the file does not exist."""
        if not path.is_file():
            return cls(frozenset())
        keys: set[Key] = set()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 4:
                raise FakoError(f"{path}:{number}: a baseline line is check<TAB>object<TAB>field<TAB>value")
            keys.add((parts[0], parts[1], parts[2], parts[3]))
        return cls(frozenset(keys))

    def reviewed(self, finding: Finding) -> bool:
        """True for a warning the baseline lists."""
        return finding.severity == "warning" and not finding.allowed and _key(finding) in self.keys

    @staticmethod
    def write(path: Path, warnings: Iterable[Finding]) -> int:
        """Write the baseline of `warnings` to `path` (sorted, deduplicated); how many lines."""
        lines = sorted({"\t".join(_key(f)) for f in warnings})
        path.write_text(_HEADER + "".join(f"{line}\n" for line in lines), encoding="utf-8")
        return len(lines)


def _key(finding: Finding) -> Key:
    check, ref, field, value = key_of(finding)
    return (_clean(check), _clean(ref), _clean(field), _clean(value))
