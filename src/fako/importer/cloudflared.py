"""Reading a cloudflared `config.yaml` back into the typed tunnel config, comments and all.

`parse_config(text)` returns the `CloudflareTunnelSpec` config fields (tunnel, routes,
catch_all, style, indent, hello_world) that render `text` byte for byte, or `None` when
the text holds something the typed config cannot say (other settings, another key order,
rules the model does not know). The caller still renders the result and compares.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic import ValidationError

from fako.patterns.tunnel_config import (
    COMPACT,
    CREDENTIALS_FILE,
    DOCS,
    CatchAll,
    OriginRequest,
    TunnelLayout,
    TunnelRoute,
    render_config,
)

__all__ = ["parse_config"]

_SETTINGS = (
    ("tunnel", None),
    ("credentials-file", CREDENTIALS_FILE),
    ("metrics", "0.0.0.0:2000"),
    ("no-autoupdate", "true"),
)
_ALIASES = {info.alias: name for name, info in OriginRequest.model_fields.items() if info.alias}
_HELLO = TunnelRoute(hostname="hello.example.com", service="hello_world", blank_before=True)


class _Unreadable(Exception):
    """The text is not one the typed config renders."""


def _scalar(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError:
        raise _Unreadable(text) from None


class _Lines:
    """The config's lines with a cursor; trivia (blank and comment lines) read in blocks."""

    def __init__(self, text: str) -> None:
        self.final_newline = text.endswith("\n")
        self.lines = text.removesuffix("\n").split("\n")
        self.i = 0

    def peek(self) -> str | None:
        return self.lines[self.i] if self.i < len(self.lines) else None

    def take(self) -> str:
        line = self.peek()
        if line is None:
            raise _Unreadable("ends early")
        self.i += 1
        return line

    def trivia(self, pad: str) -> list[str | None]:
        """Blank lines (`None`) and comment texts at `pad`, up to the next other line."""
        out: list[str | None] = []
        while (line := self.peek()) is not None:
            if line == "":
                out.append(None)
            elif line == f"{pad}#":
                out.append("")
            elif line.startswith(f"{pad}# "):
                out.append(line[len(pad) + 2 :])
            else:
                break
            self.i += 1
        return out


def _split(trivia: list[str | None]) -> tuple[bool, str | None]:
    """(blank line first, the comment after it) for trivia of that shape."""
    blank = bool(trivia) and trivia[0] is None
    rest = trivia[1:] if blank else trivia
    if any(t is None for t in rest):
        raise _Unreadable("blank line inside a comment")
    return blank, "\n".join(t for t in rest if t is not None) if rest else None


def _header(lines: _Lines) -> tuple[Any, TunnelLayout]:
    """The tunnel name and the layout of the settings, read up to `ingress:`."""
    found: dict[str, Any] = {}
    head = lines.trivia("")
    blank_at = head.index(None) if None in head else len(head)
    if head[blank_at + 1 :] or (blank_at and head[blank_at - 1] is None):
        raise _Unreadable("header")
    found["header"] = "\n".join(t for t in head[:blank_at] if t is not None) or None
    found["blank_before_tunnel"] = blank_at < len(head)
    tunnel = lines.take()
    if not tunnel.startswith("tunnel: "):
        raise _Unreadable("tunnel")
    for key, value in _SETTINGS[1:]:
        trivia = lines.trivia("")
        blank, comment = _split(trivia)
        if key == "credentials-file":
            found["blank_before_credentials"] = blank
        elif key == "metrics":
            found["blank_before_metrics"], found["metrics_comment"] = blank, comment
        if (comment is not None and key != "metrics") or (trivia and key == "no-autoupdate"):
            raise _Unreadable(key)
        if lines.take() != f"{key}: {value}":
            raise _Unreadable(key)
    blank, comment = _split(lines.trivia(""))
    if comment is not None or lines.take() != "ingress:":
        raise _Unreadable("ingress")
    found["blank_before_ingress"] = blank
    return _scalar(tunnel[len("tunnel: ") :]), TunnelLayout(**found)


def _origin(lines: _Lines, pad: str) -> OriginRequest:
    fields: dict[str, Any] = {}
    comments: dict[str, str] = {}
    while True:
        start = lines.i
        blank, comment = _split(lines.trivia(pad))
        line = lines.peek()
        match = re.match(rf"^{pad}([A-Za-z0-9]+): (.+)$", line or "")
        if blank or match is None or match.group(1) not in _ALIASES:
            lines.i = start
            break
        lines.take()
        name = _ALIASES[match.group(1)]
        fields[name] = _scalar(match.group(2))
        if comment is not None:
            comments[name] = comment
    if not fields:
        raise _Unreadable("empty originRequest")
    return OriginRequest(**fields, comments=comments)


def _rules(lines: _Lines, pad: str) -> tuple[str | None, list[TunnelRoute], CatchAll]:
    ingress_comment: str | None = None
    first = lines.trivia(pad)
    if None in first[1:]:  # a comment block set apart from the first rule: the ingress comment
        cut = first.index(None, 1)
        ingress_comment = "\n".join(t for t in first[:cut] if t is not None)
        first = first[cut:]
    trivia = first
    routes: list[TunnelRoute] = []
    while True:
        blank, comment = _split(trivia)
        line = lines.take()
        if line.startswith(f"{pad}- service: "):
            catch_all = CatchAll(service=_scalar(line[len(pad) + 11 :]), comment=comment, blank_before=blank)
            if lines.peek() is not None:
                raise _Unreadable("rules after the catch-all")
            return ingress_comment, routes, catch_all
        if not line.startswith(f"{pad}- hostname: "):
            raise _Unreadable(line)
        fields: dict[str, Any] = {"hostname": _scalar(line[len(pad) + 12 :]), "comment": comment}
        fields["blank_before"] = blank
        if (lines.peek() or "").startswith(f"{pad}  path: "):
            fields["path"] = _scalar(lines.take()[len(pad) + 8 :])
        service = lines.take()
        if not service.startswith(f"{pad}  service: "):
            raise _Unreadable(service)
        fields["service"] = _scalar(service[len(pad) + 11 :])
        if lines.peek() == f"{pad}  originRequest:":
            lines.take()
            fields["origin_request"] = _origin(lines, pad + "    ")
        routes.append(TunnelRoute(**fields))
        trivia = lines.trivia(pad)


def parse_config(text: str) -> dict[str, Any] | None:
    """The spec's config fields that render `text` exactly, or `None`."""
    try:
        lines = _Lines(text)
        tunnel, layout = _header(lines)
        item = next((x for x in lines.lines[lines.i :] if x.lstrip().startswith("- ")), "")
        pad = " " * (len(item) - len(item.lstrip()))
        ingress_comment, routes, catch_all = _rules(lines, pad)
        if ingress_comment is not None or not lines.final_newline:
            fields = {**layout.model_dump(), "ingress_comment": ingress_comment, "final_newline": lines.final_newline}
            layout = TunnelLayout(**fields)
        if not isinstance(tunnel, str):
            return None
        found: dict[str, Any] = {"tunnel": tunnel, "routes": tuple(routes)}
        if routes and routes[-1] == _HELLO:
            found["routes"], found["hello_world"] = tuple(routes[:-1]), True
        if catch_all != CatchAll():
            found["catch_all"] = catch_all
        if layout != COMPACT:
            found["style"] = "docs" if layout == DOCS else layout
        if pad:
            found["indent"] = len(pad)
        if render_config(tunnel, tuple(routes), layout, len(pad), catch_all) != text:
            return None
    except (_Unreadable, ValidationError, ValueError):
        return None
    return found
