"""Showing untrusted text safely: on a terminal, in a message, without leaking a secret.

Everything fako prints can carry strings an app author, a YAML file or a command line
chose: app names, field values, file names. `shown()` escapes what a terminal would act
on (ANSI escapes, carriage returns, backspaces, bidirectional overrides, line breaks), so
a name can neither erase an error nor print a fake success line. `masked()` shows a
value that may be a secret by its length and a two-character prefix only.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["masked", "safe_lines", "shown", "value_of"]

# C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text
# (bidi embeddings/overrides/isolates, zero-width joiners, the BOM, line/paragraph
# separators): what "Trojan Source" (CVE-2021-42574) and ANSI injection rely on.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\x1b"}


def _escape(match: re.Match[str]) -> str:
    ch = match.group(0)
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def shown(value: object) -> str:
    """`value` as text with every control or reordering character escaped (`\\x1b`, `\\n`)."""
    return _UNSAFE.sub(_escape, value if isinstance(value, str) else str(value))


def safe_lines(text: str) -> str:
    """A multi-line message made safe to print: line breaks kept, everything else escaped.

    The last line of defence where messages are printed; the parts a user controls are
    escaped where they are put into a message (`shown`), so they cannot add lines either.
    """
    return "\n".join(shown(line) for line in text.split("\n"))


def masked(value: str) -> str:
    """A value that may be a secret: its first two characters and its length, never more."""
    if len(value) <= 4:
        return f"'***' ({len(value)} characters)"
    return f"'{shown(value[:2])}***' ({len(value)} characters)"


def value_of(value: Any, *, secret: bool = False, limit: int = 60) -> str:
    """A value for an error message: `repr` shortened to `limit`, escaped; `secret` masks
    every string in it (and any value that is not a plain scalar)."""
    if secret:
        if isinstance(value, str):
            return masked(value)
        if isinstance(value, bool | int | float) or value is None:
            return repr(value)
        return f"<{type(value).__name__}, not shown>"
    text = shown(repr(value))
    return text if len(text) <= limit else text[: limit - 3] + "..."
