"""Names, keys and labels as the Kubernetes API server validates them.

Each predicate returns the problems with a value (empty when it is valid), worded like
the API server's own messages. Sources (Kubernetes v1.34):
`staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go` (IsDNS1123Label,
IsDNS1123Subdomain, IsQualifiedName, IsValidLabelValue, IsConfigMapKey,
IsValidPortName, IsCIdentifier, IsRelaxedEnvVarName) and `.../api/validation/path/name.go`
(IsValidPathSegmentName, used for RBAC names).
"""

from __future__ import annotations

import re

__all__ = [
    "DNS1035_LABEL_MAX",
    "DNS1123_LABEL_MAX",
    "DNS1123_SUBDOMAIN_MAX",
    "LABEL_VALUE_MAX",
    "QUALIFIED_NAME_MAX",
    "c_identifier",
    "config_map_key",
    "dns1035_label",
    "dns1123_label",
    "dns1123_subdomain",
    "env_var_name",
    "label_value",
    "path_segment_name",
    "port_name",
    "qualified_name",
]

DNS1123_LABEL_MAX = 63
DNS1035_LABEL_MAX = 63
DNS1123_SUBDOMAIN_MAX = 253
QUALIFIED_NAME_MAX = 63
LABEL_VALUE_MAX = 63

_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_LABEL_1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?\Z")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_QUALIFIED = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")
_LABEL_VALUE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\Z")
_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+\Z")
_C_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_PORT_NAME = re.compile(r"[-a-z0-9]+\Z")
_HAS_LETTER = re.compile(r"[a-z]")


def _too_long(value: str, limit: int) -> list[str]:
    return [f"must be no more than {limit} characters (it has {len(value)})"] if len(value) > limit else []


def dns1123_label(value: str, limit: int = DNS1123_LABEL_MAX) -> list[str]:
    """RFC 1123 label (Namespace, Service, container and most short names): lowercase
    alphanumerics and '-', starting and ending alphanumeric, at most 63 characters
    (`limit` lowers it for names other names are derived from)."""
    problems = _too_long(value, limit)
    if not _LABEL.match(value):
        problems.append(
            "must be a lowercase RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit"
        )
    return problems


def dns1035_label(value: str) -> list[str]:
    """RFC 1035 label (Service names): like a 1123 label, but starting with a letter."""
    problems = _too_long(value, DNS1035_LABEL_MAX)
    if not _LABEL_1035.match(value):
        problems.append(
            "must be a lowercase RFC 1035 label: a-z, 0-9 and '-', starting with a letter and ending "
            "with a letter or digit"
        )
    return problems


def dns1123_subdomain(value: str, limit: int = DNS1123_SUBDOMAIN_MAX) -> list[str]:
    """RFC 1123 subdomain (most object names): dot-separated labels, at most 253 characters."""
    problems = _too_long(value, limit)
    if not _SUBDOMAIN.match(value):
        problems.append(
            "must be a lowercase RFC 1123 subdomain: a-z, 0-9, '-' and '.', each dot-separated part "
            "starting and ending with a letter or digit"
        )
    return problems


def path_segment_name(value: str) -> list[str]:
    """A name that only has to be a valid URL path segment (RBAC Roles and bindings):
    not '.' or '..', no '/' and no '%'. So `system:aggregated-metrics-reader` is valid."""
    if value in (".", ".."):
        return [f"may not be {value!r}"]
    return [f"may not contain {ch!r}" for ch in ("/", "%") if ch in value]


def qualified_name(value: str) -> list[str]:
    """A label or annotation key: an optional DNS-subdomain prefix and '/', then a name of
    at most 63 characters of alphanumerics, '-', '_' and '.', starting and ending alphanumeric."""
    prefix, slash, name = value.rpartition("/")
    problems: list[str] = []
    if slash:
        if not prefix:
            problems.append("prefix part must be non-empty")
        else:
            problems.extend(f"prefix part {p}" for p in dns1123_subdomain(prefix))
        if "/" in prefix:
            problems.append("must have at most one '/'")
    if not name:
        problems.append("name part must be non-empty")
        return problems
    problems.extend(f"name part {p}" for p in _too_long(name, QUALIFIED_NAME_MAX))
    if not _QUALIFIED.match(name):
        problems.append(
            "name part must consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"
        )
    return problems


def label_value(value: str) -> list[str]:
    """A label value: empty, or at most 63 alphanumerics, '-', '_', '.', starting and ending alphanumeric."""
    problems = _too_long(value, LABEL_VALUE_MAX)
    if not _LABEL_VALUE.match(value):
        problems.append(
            "must be empty or consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"
        )
    return problems


def config_map_key(value: str) -> list[str]:
    """A ConfigMap or Secret data key: alphanumerics, '-', '_', '.', not '.' or '..' or
    starting with '..', at most 253 characters."""
    problems = _too_long(value, DNS1123_SUBDOMAIN_MAX)
    if not _CONFIG_KEY.match(value):
        problems.append("must consist of alphanumerics, '-', '_' or '.'")
    if value in (".", ".."):
        problems.append(f"must not be {value!r}")
    elif value.startswith(".."):
        problems.append("must not start with '..'")
    return problems


def c_identifier(value: str) -> list[str]:
    """A C identifier (e.g. the names `envFrom` can turn into env vars)."""
    return (
        []
        if _C_IDENTIFIER.match(value)
        else ["must be a C identifier: letters, digits and '_', not starting with a digit"]
    )


def port_name(value: str) -> list[str]:
    """An IANA service name (container and Service port names): at most 15 characters of
    a-z, 0-9 and '-', at least one letter, no '--', not starting or ending with '-'."""
    problems = _too_long(value, 15)
    if not _PORT_NAME.match(value):
        problems.append("must contain only a-z, 0-9 and '-'")
    if not _HAS_LETTER.search(value):
        problems.append("must contain at least one letter")
    if "--" in value:
        problems.append("must not contain '--'")
    if value.startswith("-") or value.endswith("-"):
        problems.append("must not begin or end with '-'")
    return problems


def env_var_name(value: str) -> list[str]:
    """An environment variable name as Kubernetes 1.34 accepts it (IsRelaxedEnvVarName; the
    RelaxedEnvironmentVariableValidation gate is GA and locked on since 1.34): not empty,
    printable ASCII other than '='."""
    if not value:
        return ["must not be empty"]
    if not value.isascii() or not value.isprintable() or "=" in value:
        return ["must consist only of printable ASCII characters other than '='"]
    return []
