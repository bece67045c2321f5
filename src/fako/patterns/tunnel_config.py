"""The typed `config.yaml` of a cloudflared tunnel: routes, origin options, comments and layout.

A route is data, never text: `TunnelRoute(hostname=..., service=..., origin_request=
OriginRequest(no_tls_verify=True))` renders the `originRequest:` block under its own
`service:` line, so an option can only ever belong to the route it was written on.
Comments and blank lines are data too (`comment=`, `blank_before=`, `TunnelLayout`), so a
config keeps the commented layout it was written with, byte for byte, while nothing
free-form reaches the routing keys.

Checked when the spec is made: hostnames are DNS names, services are origin URLs
(http, https, tcp, ssh, unix) or `http_status:NNN` / `hello_world`, durations are Go
durations (`30s`, `1m30s`), booleans are booleans, and comments are comment text.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

import yaml
from pydantic import AfterValidator, Field, model_validator

from fako.constructs.base import Spec

__all__ = [
    "CATCH_ALL_COMMENT",
    "COMPACT",
    "DOCS",
    "HELLO_WORLD_COMMENT",
    "CatchAll",
    "Comment",
    "OriginRequest",
    "TunnelLayout",
    "TunnelRoute",
    "coerce_routes",
    "duplicate_routes",
    "render_config",
]

CREDENTIALS_FILE = "/etc/cloudflared/creds/credentials.json"
HELLO_WORLD_COMMENT = (
    "This rule sends traffic to the built-in hello-world HTTP server. This can help debug connectivity\n"
    "issues. If hello.example.com resolves and tunnel.example.com does not, then the problem is\n"
    "in the connection from cloudflared to your local service, not from the internet to cloudflared."
)
"""The comment cloudflared's sample config writes above its `hello.example.com` route.

Example: `TunnelRoute(hostname="hello.example.com", service="hello_world", comment=HELLO_WORLD_COMMENT)`
"""
CATCH_ALL_COMMENT = "This rule matches any traffic which didn't match a previous rule, and responds with HTTP 404."
"""The comment cloudflared's sample config writes above its catch-all rule.

Example: `CatchAll(comment=CATCH_ALL_COMMENT)`
"""

_HOSTNAME = re.compile(r"^(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
_STATUS = re.compile(r"^http_status:[1-5][0-9][0-9]$")
_DURATION = re.compile(r"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")
_TUNNEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_PLAIN = re.compile(r"""^[^\s\-?:,\[\]{}#&*!|>'"%@`]\S*$""")
_URL_SCHEMES = ("http", "https", "tcp", "ssh")


def _controls(value: str, allowed: str = "") -> bool:
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in value)


def _comment(value: str) -> str:
    if not value or _controls(value, "\n") or value.startswith("\n") or value.endswith("\n"):
        raise ValueError(
            "must be comment text: one or more lines without the '#' (an empty line inside "
            f"becomes a bare '#'), no leading or trailing newline, no control characters; got {value!r}"
        )
    return value


def _hostname(value: str) -> str:
    if len(value) > 253 or not _HOSTNAME.match(value):
        raise ValueError(
            "must be a lowercase DNS name like 'app.example.org' (labels of a-z, 0-9 and '-', "
            f"at least two labels, '*.' in front for a wildcard), got {value!r}"
        )
    return value


def _service(value: str) -> str:
    if value == "hello_world" or _STATUS.match(value):
        return value
    form = (
        "must be an origin URL with scheme http, https, tcp, ssh or unix ('http://app:8080', "
        f"'unix:/run/app.sock'), 'http_status:NNN' or 'hello_world', got {value!r}"
    )
    if not value or any(c.isspace() for c in value) or _controls(value):
        raise ValueError(form)
    parts = urlsplit(value)
    if parts.scheme == "unix":
        if parts.netloc or not parts.path.startswith("/") or len(parts.path) < 2:
            raise ValueError(form)
        return value
    if parts.scheme not in _URL_SCHEMES or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(form)
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when it is read
    except ValueError:
        raise ValueError(form) from None
    return value


def _duration(value: str) -> str:
    if not _DURATION.match(value):
        raise ValueError(f"must be a Go duration like '30s', '90s' or '1m30s', got {value!r}")
    return value


def _text(value: str) -> str:
    if not value or value != value.strip() or _controls(value):
        raise ValueError(f"must be one non-empty line without surrounding spaces, got {value!r}")
    return value


def _path(value: str) -> str:
    _text(value)
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(
            f"must be a regular expression cloudflared matches the URL path with ({exc}), got {value!r}"
        ) from None
    return value


def _tunnel(value: str) -> str:
    if not _TUNNEL.match(value):
        raise ValueError(f"must be the tunnel's name or UUID (letters, digits, '.', '_', '-'), got {value!r}")
    return value


Comment = Annotated[str, AfterValidator(_comment)]
"""Comment text without the `#`; each line renders as `# line` (an empty line as `#`)."""
Hostname = Annotated[str, AfterValidator(_hostname)]
Service = Annotated[str, AfterValidator(_service)]
Duration = Annotated[str, AfterValidator(_duration)]
Text = Annotated[str, AfterValidator(_text)]
TunnelName = Annotated[str, AfterValidator(_tunnel)]
PathRegex = Annotated[str, AfterValidator(_path)]


def _scalar(value: str | int | bool) -> str:
    """A YAML scalar: plain when it reads back as the same string, else double-quoted."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if _PLAIN.match(value) and yaml.safe_load(value) == value:
        return value
    return json.dumps(value)


def _comment_lines(comment: str | None, pad: str) -> list[str]:
    if comment is None:
        return []
    return [f"{pad}# {line}" if line else f"{pad}#" for line in comment.split("\n")]


class OriginRequest(Spec):
    """cloudflared's `originRequest` options for one route (how it connects to the origin).

    Fields carry cloudflared's own option names as aliases (`connect_timeout` is
    `connectTimeout`, `no_tls_verify` is `noTLSVerify`); either spelling is accepted. An
    option left `None` is not written, so cloudflared's default applies. Durations are Go
    durations (`"30s"`), switches are booleans. Options render in the order of the fields
    below. `comments` puts a comment above an option: `{"no_tls_verify": "why"}`, keyed by
    field name. Not modelled: `ipRules` and `access` (no app uses them).

    Example: `TunnelRoute(hostname="api.example.org", service="https://api:8443", origin_request=OriginRequest(no_tls_verify=True))`
    """

    connect_timeout: Duration | None = Field(None, alias="connectTimeout")
    tls_timeout: Duration | None = Field(None, alias="tlsTimeout")
    tcp_keep_alive: Duration | None = Field(None, alias="tcpKeepAlive")
    no_happy_eyeballs: bool | None = Field(None, alias="noHappyEyeballs")
    no_tls_verify: bool | None = Field(None, alias="noTLSVerify")
    keep_alive_connections: int | None = Field(None, alias="keepAliveConnections", ge=0)
    keep_alive_timeout: Duration | None = Field(None, alias="keepAliveTimeout")
    http_host_header: Text | None = Field(None, alias="httpHostHeader")
    origin_server_name: Text | None = Field(None, alias="originServerName")
    match_sni_to_host: bool | None = Field(None, alias="matchSNItoHost")
    ca_pool: Text | None = Field(None, alias="caPool")
    disable_chunked_encoding: bool | None = Field(None, alias="disableChunkedEncoding")
    http2_origin: bool | None = Field(None, alias="http2Origin")
    bastion_mode: bool | None = Field(None, alias="bastionMode")
    proxy_address: Text | None = Field(None, alias="proxyAddress")
    proxy_port: int | None = Field(None, alias="proxyPort", ge=0, le=65535)
    proxy_type: Literal["", "socks"] | None = Field(None, alias="proxyType")
    comments: dict[str, Comment] = {}

    @model_validator(mode="after")
    def _comments_name_set_options(self) -> OriginRequest:
        options = [name for name in type(self).model_fields if name != "comments"]
        for key in self.comments:
            if key not in options or getattr(self, key) is None:
                allowed = ", ".join(n for n in options if getattr(self, n) is not None) or "none set"
                raise ValueError(f"comments: {key!r} is not an option set on this route (set: {allowed})")
        return self

    def lines(self, pad: str) -> list[str]:
        """The `originRequest:` block, options indented under `pad`."""
        out = [f"{pad}originRequest:"]
        for name, info in type(self).model_fields.items():
            value = getattr(self, name)
            if name == "comments" or value is None:
                continue
            out += _comment_lines(self.comments.get(name), pad + "  ")
            out.append(f"{pad}  {info.alias}: {_scalar(value)}")
        return out


class TunnelRoute(Spec):
    """One ingress rule: requests for `hostname` (and `path`, a regex, if set) go to `service`.

    `service` is an origin URL (`http://app.ns.svc.cluster.local:80`, `https://host:8443`,
    `tcp://db:5432`, `ssh://host:22`, `unix:/run/app.sock`), `http_status:NNN` or
    `hello_world`. `origin_request` holds this route's options (not written when `None`).
    `comment` goes above the rule and `blank_before` puts an empty line above that; both
    are cosmetic. Where a spec takes routes, a `(hostname, service)` pair stands for a
    route with only those two.

    Example: `TunnelRoute(hostname="api.example.org", service="http://api:8000", comment="the API")`
    """

    hostname: Hostname
    service: Service
    path: PathRegex | None = None
    origin_request: OriginRequest | None = None
    comment: Comment | None = None
    blank_before: bool = False

    @model_validator(mode="before")
    @classmethod
    def _hostname_is_required(cls, data: Any) -> Any:
        if isinstance(data, dict) and "hostname" not in data:
            raise ValueError(
                "hostname is required: a rule without one is the catch-all, which the tunnel always "
                "writes last by itself (change it with catch_all=CatchAll(...))"
            )
        return data

    def lines(self, pad: str) -> list[str]:
        """The rule as list-item lines (comment first), the item's dash at `pad`."""
        out = [""] if self.blank_before else []
        out += _comment_lines(self.comment, pad)
        out.append(f"{pad}- hostname: {_scalar(self.hostname)}")
        if self.path is not None:
            out.append(f"{pad}  path: {_scalar(self.path)}")
        out.append(f"{pad}  service: {_scalar(self.service)}")
        if self.origin_request is not None:
            out += self.origin_request.lines(pad + "  ")
        return out


class CatchAll(Spec):
    """The last ingress rule, taking whatever no route matched (cloudflared requires one).

    Default: `http_status:404`, no comment, no blank line above it.

    Example: `CloudflareTunnelSpec(tunnel="t", routes=(("a.example.org", "http://a:80"),), catch_all=CatchAll(service="http_status:403"))`
    """

    service: Service = "http_status:404"
    comment: Comment | None = None
    blank_before: bool = False

    def lines(self, pad: str) -> list[str]:
        """The rule's lines, comment first."""
        out = [""] if self.blank_before else []
        return [*out, *_comment_lines(self.comment, pad), f"{pad}- service: {_scalar(self.service)}"]


class TunnelLayout(Spec):
    """The comments and blank lines around the settings at the top of `config.yaml` (cosmetic).

    The settings are always, in this order: `tunnel`, `credentials-file`, `metrics`
    (0.0.0.0:2000, which the probes use), `no-autoupdate: true`, `ingress`. `header` is a
    comment at the very top; each `blank_before_*` puts an empty line above that setting
    (`blank_before_tunnel`: between the header and `tunnel:`); `metrics_comment` goes right
    above `metrics:`; `ingress_comment` right below `ingress:`, above the first route.
    `final_newline=False` ends the file without a newline after the catch-all.
    `COMPACT` (the default) has none of them; `DOCS` is cloudflared's commented sample.

    Example: `CloudflareTunnelSpec(tunnel="t", routes=(("a.example.org", "http://a:80"),), style=TunnelLayout(header="The tunnel"))`
    """

    header: Comment | None = None
    blank_before_tunnel: bool = False
    blank_before_credentials: bool = False
    blank_before_metrics: bool = False
    metrics_comment: Comment | None = None
    blank_before_ingress: bool = False
    ingress_comment: Comment | None = None
    final_newline: bool = True


COMPACT = TunnelLayout()
"""Bare settings, no comments, no blank lines.

Example: `CloudflareTunnelSpec(tunnel="t", routes=(("a.example.org", "http://a:80"),), style=COMPACT)`
"""
DOCS = TunnelLayout(
    header="Name of the tunnel you want to run",
    blank_before_tunnel=True,
    blank_before_credentials=True,
    blank_before_metrics=True,
    metrics_comment="Serves the metrics server under /metrics and the readiness server under /ready",
    blank_before_ingress=True,
)
"""cloudflared's sample layout: commented, settings set apart by blank lines.

Example: `CloudflareTunnelSpec(tunnel="t", routes=(("a.example.org", "http://a:80"),), style=DOCS)`
"""


def coerce_routes(value: Any) -> Any:
    """Routes as given, each `(hostname, service)` pair made a route; bare strings refused."""
    form = "a tuple of routes, each TunnelRoute(...) or a (hostname, service) pair"
    if isinstance(value, str):
        raise ValueError(f"must be {form}, got the str {value!r}; one route is written routes=((hostname, service),)")
    if not isinstance(value, tuple):
        raise ValueError(f"must be {form}, got a {type(value).__name__}: {value!r}")
    out: list[Any] = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            raise ValueError(
                f"must be {form}, got the str {item!r} as routes[{i}]; for one route write "
                "routes=((hostname, service),) with the trailing comma"
            )
        if isinstance(item, tuple):
            if len(item) != 2 or not all(isinstance(part, str) for part in item):
                raise ValueError(f"must be {form}, got {item!r} as routes[{i}]")
            out.append({"hostname": item[0], "service": item[1]})
        else:
            out.append(item)
    return tuple(out)


def duplicate_routes(routes: tuple[TunnelRoute, ...]) -> list[str]:
    """A message for each hostname (+ path) routed more than once (cloudflared uses only the first)."""
    seen: dict[tuple[str, str | None], int] = {}
    problems = []
    for i, route in enumerate(routes):
        key = (route.hostname, route.path)
        if key in seen:
            where = f"{route.hostname!r}" + (f" with path {route.path!r}" if route.path else "")
            problems.append(
                f"{where} is routed twice (routes[{seen[key]}] and routes[{i}]); cloudflared only ever uses the first"
            )
        else:
            seen[key] = i
    return problems


def render_config(
    tunnel: str, routes: tuple[TunnelRoute, ...], layout: TunnelLayout, indent: int, catch_all: CatchAll
) -> str:
    """The `config.yaml` text: settings per `layout`, the routes, then the catch-all."""
    pad = " " * indent
    out = _comment_lines(layout.header, "")
    out += [""] if layout.blank_before_tunnel else []
    out.append(f"tunnel: {_scalar(tunnel)}")
    out += [""] if layout.blank_before_credentials else []
    out.append(f"credentials-file: {CREDENTIALS_FILE}")
    out += [""] if layout.blank_before_metrics else []
    out += _comment_lines(layout.metrics_comment, "")
    out += ["metrics: 0.0.0.0:2000", "no-autoupdate: true"]
    out += [""] if layout.blank_before_ingress else []
    out.append("ingress:")
    out += _comment_lines(layout.ingress_comment, pad)
    for route in routes:
        out += route.lines(pad)
    out += catch_all.lines(pad)
    return "\n".join(out) + ("\n" if layout.final_newline else "")
