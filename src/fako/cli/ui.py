"""How commands talk to the user: one summary line, details with -v, errors always.

Everything goes to stderr except a command's data (YAML with `-o -`, JSON, tables), so
stdout can be piped. Every message is made safe for a terminal (`fako.text.safe_lines`).
`NO_COLOR` is respected; colour is used only on a terminal.
"""

from __future__ import annotations

import os
import sys

from fako.text import safe_lines

__all__ = ["configure", "detail", "error", "info", "plural", "quiet", "verbose", "warn"]

_state = {"quiet": False, "verbose": False}


def configure(*, quiet: bool, verbose: bool) -> None:
    """Set the output level for this run (`-q` wins over `-v`)."""
    _state["quiet"] = quiet
    _state["verbose"] = verbose and not quiet


def quiet() -> bool:
    """True under `-q`."""
    return _state["quiet"]


def verbose() -> bool:
    """True under `-v`."""
    return _state["verbose"]


def _color(code: str, text: str) -> str:
    if "NO_COLOR" in os.environ or not sys.stderr.isatty():
        return text
    return f"\033[{code}m{text}\033[0m"


def _print(text: str) -> None:
    print(safe_lines(text), file=sys.stderr)


def info(message: str) -> None:
    """The summary line of a successful command (hidden by -q)."""
    if not _state["quiet"]:
        _print(f"fako: {message}")


def detail(message: str) -> None:
    """A detail line, shown only with -v."""
    if _state["verbose"]:
        _print(message)


def warn(message: str) -> None:
    """A warning (hidden by -q)."""
    if not _state["quiet"]:
        _print(f"{_color('33', 'fako:')} {message}")


def error(message: str) -> None:
    """An error: always shown."""
    _print(f"{_color('31', 'fako:')} {message}")


def plural(n: int, word: str, many: str | None = None) -> str:
    """`1 object`, `2 objects`; `many` for irregular plurals (`1 entry`, `2 entries`)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"
