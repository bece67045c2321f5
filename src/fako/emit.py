"""YAML out: deterministic, readable, exact.

Keys are sorted (with `apiVersion`, `kind`, `metadata` first, as kubectl prints them),
multi-line strings are emitted as literal blocks so scripts read as written, and scalars
keep their types (`1` stays an int, `"1"` a string). libyaml's emitter is used when
PyYAML has it.
"""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["dump_all", "load_all"]

_Dumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FIRST = {"apiVersion": 0, "kind": 1, "metadata": 2}


class _FakoDumper(_Dumper):  # type: ignore[valid-type,misc]
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_FakoDumper.add_representer(str, _str)


def _sorted(value: Any, top: bool = False) -> Any:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (_FIRST.get(k, 3), k)) if top else sorted(value)
        return {k: _sorted(value[k]) for k in keys}
    if isinstance(value, list):
        return [_sorted(v) for v in value]
    return value


def dump_all(documents: list[dict[str, Any]]) -> str:
    """Several manifests as one multi-document YAML text."""
    return yaml.dump_all(
        [_sorted(d, top=True) for d in documents],
        Dumper=_FakoDumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=1 << 16,
        explicit_start=False,
    )


def load_all(text: str) -> list[Any]:
    """Parse a multi-document YAML text (safe loader, libyaml when available)."""
    return list(yaml.load_all(text, Loader=_Loader))
