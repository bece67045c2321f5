"""YAML out: deterministic, readable, exact, and fast.

Manifests are JSON-shaped (mappings, lists, strings, ints, floats, booleans, null), so
fako writes them with a small emitter of its own instead of PyYAML's general one (whose
pure-Python representer cost more than the rest of rendering). The layout is kubectl's:
keys sorted with `apiVersion`, `kind`, `metadata` first, lists not indented under their
key, multi-line strings as literal blocks so scripts read as written. Scalars keep their
types: a string that any YAML 1.1 or 1.2 reader (PyYAML, go-yaml in kustomize) could take
for something else (`"true"`, `"1"`, `"on"`, `"0x1F"`) is quoted; plain style is used only
where it cannot be misread. `tests/test_emit.py` parses every rendered document back.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

__all__ = ["EmitMemo", "dump_all", "load_all"]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FIRST = {"apiVersion": 0, "kind": 1, "metadata": 2}

# Plain only when no reader can take it for anything but a string: a word starting with a
# letter, `_` or `/` (then no spaces, quotes, `#`, and no `:` at the end); a command-line
# flag (`-c`, `--config=x`); or a number with a unit (`100m`, `1.5Gi`, `30s`), which
# neither YAML 1.1 nor 1.2 reads as a number (exponents and 0x/0o/0b prefixes excluded).
_PLAIN = re.compile(
    r"(?:[A-Za-z_/][A-Za-z0-9_./@:+=,-]*(?<!:)"
    r"|--?[A-Za-z][A-Za-z0-9_./@:+=,-]*(?<!:)"
    r"|(?![0-9]+[eE])(?!0[xXoObB])[0-9]+(?:\.[0-9]+)?[A-Za-z][A-Za-z0-9]*)\Z"
)
# Words YAML 1.1 (PyYAML, go-yaml v2) reads as booleans or null, in any case.
_RESERVED = frozenset(["y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"])
_PRINTABLE = re.compile(r"[\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff\n]*\Z")


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        if "." not in text and "e" in text:  # 1e-05 -> 1.0e-05, as YAML 1.1 needs
            text = text.replace("e", ".0e", 1)
        return text
    return _string(str(value))


def _string(text: str) -> str:
    if _PLAIN.match(text) and text.lower() not in _RESERVED:
        return text
    if "\n" not in text and _PRINTABLE.match(text):
        return "'" + text.replace("'", "''") + "'"
    return _double_quoted(text)


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _double_quoted(text: str) -> str:
    """A YAML double-quoted scalar: escapes for quotes, backslashes and anything unprintable."""
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _PRINTABLE.match(ch):
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return '"' + "".join(out) + '"'


def _block(text: str) -> bool:
    """Whether `text` can be written as a literal block and read back unchanged."""
    if "\r" in text or not _PRINTABLE.match(text) or text.startswith(("\n", " ")):
        return False
    return not any(line != line.rstrip(" \t") for line in text.split("\n"))


def _emit_block(text: str, indent: str, out: list[str]) -> None:
    if text.endswith("\n\n"):
        chomp = "+"
    elif text.endswith("\n"):
        chomp = ""
    else:
        chomp = "-"
    out.append(f"|{chomp}\n")
    body = text[:-1] if text.endswith("\n") else text
    for line in body.split("\n"):
        out.append(f"{indent}{line}\n" if line else "\n")


def _key(key: Any) -> str:
    return _string(key) if isinstance(key, str) else _scalar(key)


def _emit(value: Any, indent: str, out: list[str]) -> None:
    """Write `value`, which follows a `key:` or `- ` already written, at `indent`."""
    if isinstance(value, dict):
        if not value:
            out.append(" {}\n")
            return
        out.append("\n")
        _mapping(value, indent, out)
    elif isinstance(value, list):
        if not value:
            out.append(" []\n")
            return
        out.append("\n")
        _sequence(value, indent[:-2] if indent else indent, out)
    elif isinstance(value, str) and "\n" in value and _block(value):
        out.append(" ")
        _emit_block(value, indent, out)
    else:
        out.append(f" {_scalar(value)}\n")


def _mapping(value: dict[Any, Any], indent: str, out: list[str], keys: list[Any] | None = None) -> None:
    for key in keys if keys is not None else sorted(value):
        out.append(f"{indent}{_key(key)}:")
        _emit(value[key], indent + "  ", out)


def _sequence(items: list[Any], indent: str, out: list[str]) -> None:
    for item in items:
        if isinstance(item, dict) and item:
            keys = sorted(item)
            first, rest = keys[0], keys[1:]
            out.append(f"{indent}- {_key(first)}:")
            _emit(item[first], indent + "    ", out)
            _mapping(item, indent + "  ", out, rest)
        elif isinstance(item, list) and item:
            out.append(f"{indent}-")
            _emit(item, indent + "    ", out)
        else:
            out.append(f"{indent}-")
            _emit(item, indent + "  ", out)


def _document(doc: dict[str, Any], out: list[str]) -> None:
    keys = sorted(doc, key=lambda k: (_FIRST.get(k, 3), k))
    _mapping(doc, "", out, keys)


def dump_all(documents: list[dict[str, Any]]) -> str:
    """Several manifests as one multi-document YAML text (`---` between documents)."""
    out: list[str] = []
    for i, doc in enumerate(documents):
        if i:
            out.append("---\n")
        _document(doc, out)
    return "".join(out)


def load_all(text: str) -> list[Any]:
    """Parse a multi-document YAML text (safe loader, libyaml when available)."""
    return list(yaml.load_all(text, Loader=_Loader))


class EmitMemo:
    """The YAML of each app's documents, remembered by their exact content.

    Emitting YAML is most of the time a render spends laying out files; a long-lived
    process (`fako watch`) renders the same unchanged apps again and again. The key is
    the documents as JSON (key order, types and values all distinguish), so an entry is
    reused only for identical documents; documents JSON cannot express are not kept.
    """

    def __init__(self, limit: int = 4096) -> None:
        self.limit = limit
        self._texts: dict[str, str] = {}

    def dump_all(self, docs: list[dict[str, Any]]) -> str:
        """`fako.emit.dump_all(docs)`, from memory when these exact documents were emitted."""
        try:
            key = json.dumps(docs, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError):
            return dump_all(docs)
        text = self._texts.get(key)
        if text is None:
            if len(self._texts) >= self.limit:
                self._texts.clear()
            text = self._texts[key] = dump_all(docs)
        return text
