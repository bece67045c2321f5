"""`ConfigMap`, with file contents carried verbatim.

Scripts and config files live beside the app module and are read with `read_file`, so
they stay byte-for-byte what their authors wrote (no re-indentation, no `${VAR}` touched).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from fako.constructs.base import ObjectSpec, TypedObject
from fako.errors import FakoError

__all__ = ["ConfigMap", "ConfigMapSpec", "read_env", "read_file"]


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


def read_file(module_file: str, relative: str) -> str:
    """The text of a file shipped beside an app module, exactly as written.

    `module_file` is the calling module's `__file__`; `relative` a path under its
    `files/<module name>/` folder, e.g. `read_file(__file__, "backup.sh")`.
    """
    here = Path(module_file)
    path = here.parent / "files" / here.stem / relative
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FakoError(f"{path}: file not found (read by {here.name})") from None


def read_env(module_file: str, relative: str) -> dict[str, str]:
    """The `KEY=value` lines of a file beside an app module (as `read_file` finds it), in
    file order: ConfigMap data kept as an env file. Values are taken verbatim after the
    first `=`; blank lines are skipped."""
    lines = read_file(module_file, relative).splitlines()
    return {key: value for key, _, value in (line.partition("=") for line in lines if line)}
