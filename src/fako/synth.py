"""`synth`: render a cluster, check it, and replace `dist/` atomically.

The tree is written into a temporary folder beside `dist/`, checked, and only then
swapped in with one `renameat2(RENAME_EXCHANGE)` (two renames where the kernel lacks it,
with recovery on the next run), so a failure or a kill never leaves a half-written
`dist/`. Stale files disappear because the whole tree is replaced.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fako.errors import FakoError, Problem, SpecError
from fako.output import MARKER, MARKER_TEXT, reusable, write_tree
from fako.project import project_root
from fako.rendered import Render
from fako.text import shown

if TYPE_CHECKING:  # the heavy modules (Node, models) load only when a render is built
    from fako.definition import ClusterDefinition
    from fako.rendercache import RenderCache
    from fako.tree import Cluster
    from fako.validation.findings import Report

__all__ = [
    "SynthResult",
    "check_output",
    "diff_trees",
    "is_render",
    "load_definition",
    "put_in_place",
    "recover",
    "swap_in",
    "switched_off",
    "synth",
    "synth_from_cache",
]

Check = Callable[["Cluster", Render], "Report | None"]


@dataclass
class SynthResult:
    """What a synth produced: the render, and for `--check` the files that differ."""

    render: Render
    stale: list[str] = field(default_factory=list)
    report: Report | None = None
    """The validation report of the render, when checks ran."""
    warnings: int = 0
    """How many warnings the checks found (also when the report came from the cache)."""
    cached: bool = False
    """True when the whole render came from the render cache."""


def load_definition(name: str) -> ClusterDefinition:
    """The definition of cluster `name` (module `fako.clusters.<name>`, attribute `CLUSTER`)."""
    from fako.definition import ClusterDefinition

    try:
        module = importlib.import_module(f"fako.clusters.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"fako.clusters.{name}":
            raise FakoError(f"no cluster named {name!r} (expected module fako.clusters.{name})") from None
        raise
    definition = getattr(module, "CLUSTER", None)
    if not isinstance(definition, ClusterDefinition):
        raise FakoError(f"fako.clusters.{name} defines no CLUSTER = ClusterDefinition(...)")
    return definition


def _tree_files(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def diff_trees(files: dict[str, bytes], root: Path) -> list[str]:
    """Relative paths that differ between rendered `files` and the tree at `root`."""
    existing = _tree_files(root)
    return sorted(p for p in set(files) | set(existing) if files.get(p) != existing.get(p))


def is_render(folder: Path) -> bool:
    """Whether `folder` is a render fako made (it holds fako's marker file)."""
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def check_output(out: Path, *, root: Path) -> Path:
    """`out` as an absolute path, when fako may replace it; a FakoError saying why not.

    fako replaces its output folder whole, so it writes only where that loses nothing:
    a folder that does not exist yet, an empty one, or an earlier render (it carries
    fako's marker file). Never the working directory, the checkout `root`, the home
    folder or a folder above any of them, and never through a symbolic link.
    """
    label = shown(str(out))
    absolute = Path(os.path.abspath(out))
    if absolute.is_symlink():
        raise FakoError(
            f"--out {label} is a symbolic link: fako replaces the folder itself, so it would replace the "
            "link, not what it points at; give the real folder"
        )
    real = absolute.resolve()
    protected = {
        Path.cwd().resolve(): "the working directory",
        root.resolve(): "the checkout",
        Path.home().resolve(): "the home folder",
    }
    for folder, what in protected.items():
        if real == folder or real in folder.parents:
            inside = "is" if real == folder else "holds"
            raise FakoError(
                f"--out {label} {inside} {what} ({shown(str(folder))}); fako replaces its output folder whole, "
                "so it must be a folder of its own, e.g. --out dist"
            )
    if not real.exists():
        return real
    if not real.is_dir():
        raise FakoError(f"--out {label} is a file, not a folder; fako writes a folder of YAML files")
    entries = sorted(os.listdir(real))
    if entries and not is_render(real):
        sample = ", ".join(shown(e) for e in entries[:3]) + (", ..." if len(entries) > 3 else "")
        raise FakoError(
            f"--out {label} is not empty ({len(entries)} {'entry' if len(entries) == 1 else 'entries'}: {sample}) "
            "and is not a fako render "
            f"(no {MARKER} file): fako replaces only an empty folder or one it rendered; choose a new "
            "folder, or empty this one yourself"
        )
    return real


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2; False when the platform cannot."""
    # The interpreter's own symbols include libc's: no `ldconfig` subprocess to find it.
    fn = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if fn is None:
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(rc == 0)


def _backup(out: Path) -> Path:
    return out.with_name(f".{out.name}.fako-old")


def _delete_render(folder: Path) -> None:
    """Delete a render fako made, its marker last: a kill halfway leaves a folder still
    marked as fako's, which the next run's `recover` finishes deleting."""
    for child in folder.iterdir():
        if child.name == MARKER:
            continue
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    (folder / MARKER).unlink(missing_ok=True)
    folder.rmdir()


def _remove_render(folder: Path) -> None:
    """Delete a folder only when fako made it (it holds the marker, or is empty)."""
    if folder.is_dir() and not folder.is_symlink() and (is_render(folder) or not any(folder.iterdir())):
        _delete_render(folder)


def recover(out: Path) -> None:
    """Put back an `out` left aside by an interrupted swap; drop renders a kill left behind.

    Only folders fako made (they carry its marker from their first write) are touched.
    """
    if out.parent.is_dir():
        for leftover in out.parent.glob(f".{out.name}.fako-new-*"):
            _remove_render(leftover)
    old = _backup(out)
    if is_render(old) and not out.exists():
        old.rename(out)
    else:
        _remove_render(old)


def swap_in(new: Path, out: Path) -> None:
    """Make `new` become `out`, atomically where the kernel allows."""
    if not out.exists():
        new.rename(out)
        return
    if _exchange(new, out):
        _delete_render(new)
        return
    old = _backup(out)
    out.rename(old)
    new.rename(out)
    _delete_render(old)


def switched_off(definition: ClusterDefinition) -> list[str]:
    """The units `definition` keeps modelled but switched off, as `layer/app`."""
    return [f"{layer.name}/{u.app.name}" for layer in definition.layers for u in layer.units if not u.enabled]


def _final_problems(result: Render, cluster_name: str, require_secrets: bool) -> list[Problem]:
    """What makes a render unfit to write, beyond its units' own problems."""
    problems = list(result.problems)
    if require_secrets:
        problems.extend(
            Problem(
                f"app '{absent.app}'",
                f"encrypted file {absent.file} is missing",
                fix="put the owner's SOPS file there, or render without --require-secrets",
            )
            for absent in result.absent
        )
    if not result.objects:
        problems.append(
            Problem(
                f"cluster '{cluster_name}'",
                "rendered no objects at all: nothing to write (every object is an encrypted file this "
                "checkout lacks, or no unit is switched on)",
                fix="switch an app on, or add the owner's secrets/",
            )
        )
    return problems


def synth(
    definition: ClusterDefinition,
    out: Path,
    *,
    include_disabled: bool = False,
    check_only: bool = False,
    root: Path | None = None,
    checks: Sequence[Check] | None = None,
    require_secrets: bool = False,
    cache: RenderCache | None = None,
    check_mode: str = "",
) -> SynthResult:
    """Render `definition` into `out` (or, with `check_only`, compare without writing).

    `out` must be a folder fako may replace (`check_output`); the render is written to a
    temporary folder beside it, checked, then swapped in. With a render `cache`, unchanged
    units are reused, and a render whose checks passed is stored whole (with its findings,
    under `check_mode` when one is given) for `synth_from_cache`.
    """
    from fako.definition import build
    from fako.render import render

    project = root or project_root()
    if not check_only:
        out = check_output(out, root=project)
        recover(out)
    tree_key = cache.tree_key() if cache is not None else ""
    cluster = build(definition, include_disabled=include_disabled, root=root, cache=cache)
    result = render(cluster)
    problems = _final_problems(result, definition.name, require_secrets)
    if problems:
        raise SpecError(problems)
    report: Report | None = None
    for check in checks or []:
        report = check(cluster, result) or report
    warnings = len(report.warnings) if report is not None else 0
    # nothing is stored when a file changed while this ran (the render may mix old and new);
    # a render is stored whole only for a plain cluster (check_mode given)
    if cache is not None and cache.still_current(tree_key):
        cache.flush()
        if check_mode:
            cache.save_render(tree_key, result, list(cluster.layers), switched_off(definition))
            cache.record_units(definition)
            if checks:
                from fako.checks import facts_for

                cache.save_facts(tree_key, facts_for(cluster, definition, result).model_dump(mode="json"))
            found = report.findings if report is not None else ()
            cache.save_report(tree_key, check_mode, [_finding_dict(f) for f in found])
    if check_only:
        return SynthResult(result, diff_trees(result.files, out), report, warnings)
    put_in_place(result.files, out)
    return SynthResult(result, report=report, warnings=warnings)


def _finding_dict(finding: Any) -> dict[str, str]:
    import dataclasses

    return {k: str(v) for k, v in dataclasses.asdict(finding).items()}


def synth_from_cache(
    cache: RenderCache,
    out: Path,
    *,
    cluster_name: str,
    check_mode: str,
    check_only: bool = False,
    root: Path | None = None,
    require_secrets: bool = False,
) -> SynthResult | None:
    """The render stored for the current source, written to `out` (or compared with it);
    None when there is none, or its checks (`check_mode`) did not pass last time."""
    tree_key = cache.tree_key()
    found = cache.load_render(tree_key)
    if found is None:
        return None
    result = found[0]
    findings = cache.load_report(tree_key, check_mode)
    if findings is None or any(f.get("severity") == "error" and not f.get("allowed") for f in findings):
        return None
    if _final_problems(result, cluster_name, require_secrets):
        return None
    warnings = sum(1 for f in findings if f.get("severity") == "warning" and not f.get("allowed"))
    if check_only:
        return SynthResult(result, diff_trees(result.files, out), None, warnings, cached=True)
    out = check_output(out, root=root or project_root())
    recover(out)
    put_in_place(result.files, out)
    return SynthResult(result, warnings=warnings, cached=True)


def put_in_place(files: dict[str, bytes], out: Path) -> None:
    """Make `out` hold exactly `files` (plus the marker): written to a temporary folder
    beside it and swapped in; nothing is written when `out` holds them already."""
    same: dict[str, Path] = {}
    if is_render(out):
        same, exact = reusable({MARKER: MARKER_TEXT, **files}, out)
        if exact:
            return
        same.pop(MARKER, None)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.fako-new-", dir=out.parent))
    try:
        (tmp / MARKER).write_bytes(MARKER_TEXT)  # first: a leftover of a kill is recognisably fako's
        write_tree({k: v for k, v in files.items() if k != MARKER}, tmp, same=same)
        os.chmod(tmp, 0o755)
        try:
            swap_in(tmp, out)
        except OSError as exc:
            raise FakoError(
                f"cannot put the render in place at {shown(str(out))}: {shown(exc.strerror or exc)}"
            ) from exc
    finally:
        if is_render(tmp):
            _delete_render(tmp)
        elif tmp.exists():
            shutil.rmtree(tmp)
