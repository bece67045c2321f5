"""Edit the `OFF` table of switched-off apps (`src/fako/clusters/staging_apps.py`) in place.

The table is a sorted `frozenset({...})` literal, one `"name",` per line. `add_off`
inserts a name at its sorted place and changes nothing else in the file; it refuses a
file whose table is not in that shape instead of guessing, and checks the result parses
to exactly the old names plus the new one.
"""

from __future__ import annotations

import ast
import re

from fako.errors import FakoError

__all__ = ["add_off", "off_names"]

_START = re.compile(r"^OFF = frozenset\(\n    \{\n", re.M)
_ENTRY = re.compile(r'        "([a-z0-9-]+)",\n')
_END = "    }\n)\n"


def off_names(source: str) -> list[str]:
    """The names of the `OFF` literal in `source` (`FakoError` when there is none)."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "OFF" for t in node.targets):
            call = node.value
            if isinstance(call, ast.Call) and call.args and isinstance(call.args[0], ast.Set):
                return [ast.literal_eval(e) for e in call.args[0].elts]
    raise FakoError("found no `OFF = frozenset({...})` table to edit")


def add_off(source: str, name: str, *, where: str = "staging_apps.py") -> str:
    """`source` with `name` added to `OFF` at its sorted place."""
    start = _START.search(source)
    if start is None:
        raise FakoError(f"{where}: `OFF = frozenset(` is not laid out as expected; add {name!r} to OFF by hand")
    pos = start.end()
    entries: list[tuple[int, str]] = []
    while not source.startswith(_END, pos):
        match = _ENTRY.match(source, pos)
        if match is None:
            raise FakoError(f'{where}: a line of OFF is not `"name",`; add {name!r} to OFF by hand')
        entries.append((pos, match.group(1)))
        pos = match.end()
    names = [n for _, n in entries]
    if name in names:
        return source
    at = next((p for p, n in entries if n > name), pos)
    result = source[:at] + f'        "{name}",\n' + source[at:]
    if sorted(off_names(result)) != sorted([*off_names(source), name]):
        raise FakoError(f"{where}: editing OFF went wrong; add {name!r} to OFF by hand")
    return result
