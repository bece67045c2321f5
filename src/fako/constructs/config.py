"""`ConfigMap`, with file contents carried verbatim.

Scripts and config files live beside the app module and are read with `read_file`, so
they stay byte-for-byte what their authors wrote (no re-indentation, no `${VAR}` touched).
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from pydantic import Field

from fako.constructs.base import ObjectSpec, TypedObject
from fako.errors import FakoError
from fako.text import shown

__all__ = ["ConfigMap", "ConfigMapSpec", "read_env", "read_file", "shipped_file"]


class ConfigMapSpec(ObjectSpec):
    """A `v1` ConfigMap: string `data` (emitted verbatim), optional `binary_data`, `immutable`."""

    data: dict[str, str] | None = None
    binary_data: dict[str, str] | None = Field(None, alias="binaryData")
    immutable: bool | None = None


class ConfigMap(TypedObject):
    """A `v1/ConfigMap`."""

    api_version = "v1"
    kind = "ConfigMap"
    spec_type = ConfigMapSpec
    body = ""


def shipped_file(module_file: str, relative: str) -> Path:
    """The path of a file shipped beside a module, in its `files/<module name>/` folder.

    `relative` must stay inside that folder: absolute paths, `..` and symbolic links
    leading out are refused, so an app can only read what it ships.
    """
    if not isinstance(module_file, str) or not isinstance(relative, str):
        raise FakoError("read_file(module_file, relative) takes two strings: read_file(__file__, 'script.sh')")
    here = Path(module_file)
    base = here.parent / "files" / here.stem
    parts = PurePosixPath(relative.replace("\\", "/"))
    if not relative or parts.is_absolute() or ".." in parts.parts:
        raise FakoError(
            f"{shown(repr(relative))}: not a path inside {base.name}/ of {here.name}; "
            "an app reads only the files it ships (no absolute paths, no '..')"
        )
    path = (base / parts).resolve()
    if not path.is_relative_to(base.resolve()):
        raise FakoError(
            f"{shown(repr(relative))}: leads outside {base} (a symbolic link?); an app reads only its own files"
        )
    return path


def read_file(module_file: str, relative: str) -> str:
    """The text of a file shipped beside an app module, exactly as written.

    `module_file` is the calling module's `__file__`; `relative` a path under its
    `files/<module name>/` folder, e.g. `read_file(__file__, "backup.sh")`; nothing
    outside that folder can be read.
    """
    path = shipped_file(module_file, relative)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FakoError(f"{shown(path)}: file not found (read by {shown(Path(module_file).name)})") from None
    except UnicodeDecodeError as exc:
        raise FakoError(f"{shown(path)}: not UTF-8 text (byte {exc.start}); ship text files only") from None


def read_env(module_file: str, relative: str) -> dict[str, str]:
    """The `KEY=value` lines of a file beside an app module (as `read_file` finds it), in
    file order: ConfigMap data kept as an env file. Values are taken verbatim after the
    first `=`; blank lines are skipped."""
    lines = read_file(module_file, relative).splitlines()
    return {key: value for key, _, value in (line.partition("=") for line in lines if line)}
