"""Loading YAML that may be hostile: no tags beyond plain data, bounded alias expansion.

PyYAML shares aliased nodes instead of copying them, so a "billion laughs" document
loads fast but makes every walk over it explode. Documents whose aliases would expand
past `MAX_NODES` nodes, or that alias themselves, are refused before construction.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any

import yaml

__all__ = ["MAX_NODES", "YamlRefused", "load_documents"]

MAX_NODES = 1_000_000
"""Most nodes one document may hold once its aliases are expanded."""

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlRefused(ValueError):
    """The YAML is not plain data fako will read (alias bomb, duplicate key, bad syntax)."""


class _Loader(_Base):  # type: ignore[misc]
    """Safe loader that keeps timestamps as strings and refuses duplicate keys."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    result: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if not isinstance(key, Hashable):
            raise YamlRefused(f"line {key_node.start_mark.line + 1}: a mapping key must be a plain value")
        if key in result:
            raise YamlRefused(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def _check_aliases(text: str | bytes) -> None:
    """Refuse documents whose aliases expand past MAX_NODES or refer to themselves."""
    sizes: dict[str, int] = {}
    stack: list[tuple[str | None, int]] = []
    total = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.DocumentStartEvent):
            sizes, total = {}, 0
            continue
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            stack.append((event.anchor, 1))
            continue
        if isinstance(event, yaml.AliasEvent):
            if event.anchor not in sizes:
                line = event.start_mark.line + 1 if event.start_mark else 0
                raise YamlRefused(f"line {line}: alias *{event.anchor} refers to itself or to nothing")
            size = sizes[event.anchor]
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size
        else:
            continue
        if stack:
            anchor, inner = stack[-1]
            stack[-1] = (anchor, inner + size)
        else:
            total += size
        if size > MAX_NODES or total > MAX_NODES:
            raise YamlRefused(f"aliases expand to more than {MAX_NODES:,} nodes (a YAML bomb?)")


def load_documents(text: str | bytes) -> Iterator[tuple[int, Any]]:
    """(first line, document) for each non-empty YAML document in `text`."""
    has_anchor = b"&" in text if isinstance(text, bytes) else "&" in text
    try:
        if has_anchor:  # no anchor, no alias to expand: skip the extra pass
            _check_aliases(text)
        loader = _Loader(text)
        try:
            while loader.check_node():
                node = loader.get_node()
                if node is None:
                    continue
                document = loader.construct_document(node)
                if document is not None:
                    yield node.start_mark.line + 1, document
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        raise YamlRefused(" ".join(str(exc).split())) from exc
