"""The cloudflared tunnel pattern: typed config.yaml (routes, origin options, comments, layout),
checks on route values, per-app overrides of the Deployment, and run-time argument checks."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from fako.errors import SpecError
from fako.importer.cloudflared import parse_config
from fako.patterns.tunnel import (
    CatchAll,
    CloudflareTunnel,
    CloudflareTunnelSpec,
    OriginRequest,
    ProbeTimings,
    TunnelLayout,
    TunnelRoute,
)
from fako.patterns.workload import rolling
from fako.testing import find, render_apps
from fako.tree import AppConstruct

VAULT = TunnelRoute(
    hostname="vault.example.org", service="https://vault:27124", origin_request=OriginRequest(no_tls_verify=True)
)


def _ingress(spec: CloudflareTunnelSpec) -> list[dict[str, Any]]:
    config = yaml.safe_load(spec.render_config())
    rules: list[dict[str, Any]] = config["ingress"]
    return rules


# -- the outage: an origin option can only belong to its own route ----------------------------


@pytest.mark.parametrize("position", [0, 1, 2])
def test_an_origin_option_stays_on_the_route_it_was_written_on(position: int) -> None:
    # The outage: a route inserted between another route's `service:` and its `originRequest:`
    # silently moved noTLSVerify. Insert a route before, between and after; parse the YAML back.
    others = [("llm.example.org", "http://apisix:9080"), ("s3.example.org", "http://versitygw:7070")]
    routes: list[TunnelRoute | tuple[str, str]] = list(others)
    routes.insert(position, VAULT)
    rules = _ingress(CloudflareTunnelSpec(tunnel="t", routes=tuple(routes)))
    by_host = {r.get("hostname"): r for r in rules}
    assert by_host["vault.example.org"] == {
        "hostname": "vault.example.org",
        "service": "https://vault:27124",
        "originRequest": {"noTLSVerify": True},
    }
    assert by_host["llm.example.org"] == {"hostname": "llm.example.org", "service": "http://apisix:9080"}
    assert by_host["s3.example.org"] == {"hostname": "s3.example.org", "service": "http://versitygw:7070"}
    assert [r.get("hostname") for r in rules][position] == "vault.example.org"
    assert rules[-1] == {"service": "http_status:404"}


def test_a_comment_cannot_carry_routing() -> None:
    sneaky = "ok\n- hostname: evil.example.org\n  service: http://evil:80"
    route = TunnelRoute(hostname="a.example.org", service="http://a:80", comment=sneaky)
    rules = _ingress(CloudflareTunnelSpec(tunnel="t", routes=(route,)))
    assert rules == [{"hostname": "a.example.org", "service": "http://a:80"}, {"service": "http_status:404"}]


# -- byte-exact rendering ------------------------------------------------------------------------

DOCS_TEXT = """\
# Name of the tunnel you want to run

tunnel: demo

credentials-file: /etc/cloudflared/creds/credentials.json

# Serves the metrics server under /metrics and the readiness server under /ready
metrics: 0.0.0.0:2000
no-autoupdate: true

ingress:
- hostname: app.example.org
  service: http://app:80
# The API serves a self-signed certificate
- hostname: api.example.org
  service: https://api:8443
  originRequest:
    connectTimeout: 30s
    # verified on the LAN hop only
    noTLSVerify: true

- hostname: hello.example.com
  service: hello_world
- service: http_status:404
"""

COMPACT_TEXT = """\
tunnel: 6e410aba-cf7c-4fc8-beb1-ec74c942f18f
credentials-file: /etc/cloudflared/creds/credentials.json
metrics: 0.0.0.0:2000
no-autoupdate: true

ingress:
  - hostname: ginger.example.org
    path: ^/api/
    service: http://api:8000
    originRequest:
      connectTimeout: 30s
      keepAliveTimeout: 1m30s
      httpHostHeader: ginger.example.org
      disableChunkedEncoding: true
  # Databases, one per tenant.
  #
  # Reached over TCP through cloudflared access.
  - hostname: "*.ginger.example.org"
    service: tcp://db:5432

  # Anything else
  - service: http_status:503
"""


def test_docs_style_renders_byte_for_byte() -> None:
    api = TunnelRoute(
        hostname="api.example.org",
        service="https://api:8443",
        comment="The API serves a self-signed certificate",
        origin_request=OriginRequest(
            no_tls_verify=True, connect_timeout="30s", comments={"no_tls_verify": "verified on the LAN hop only"}
        ),
    )
    spec = CloudflareTunnelSpec(
        tunnel="demo", routes=(("app.example.org", "http://app:80"), api), style="docs", hello_world=True
    )
    assert spec.render_config() == DOCS_TEXT


def test_compact_style_with_layout_renders_byte_for_byte() -> None:
    spec = CloudflareTunnelSpec(
        tunnel="6e410aba-cf7c-4fc8-beb1-ec74c942f18f",
        indent=2,
        style=TunnelLayout(blank_before_ingress=True),
        routes=(
            TunnelRoute(
                hostname="ginger.example.org",
                path="^/api/",
                service="http://api:8000",
                origin_request=OriginRequest(
                    disable_chunked_encoding=True,
                    http_host_header="ginger.example.org",
                    keep_alive_timeout="1m30s",
                    connect_timeout="30s",
                ),
            ),
            TunnelRoute(
                hostname="*.ginger.example.org",
                service="tcp://db:5432",
                comment="Databases, one per tenant.\n\nReached over TCP through cloudflared access.",
            ),
        ),
        catch_all=CatchAll(service="http_status:503", comment="Anything else", blank_before=True),
    )
    assert spec.render_config() == COMPACT_TEXT


def test_layout_without_final_newline() -> None:
    spec = CloudflareTunnelSpec(tunnel="t", style=TunnelLayout(final_newline=False))
    assert spec.render_config().endswith("ingress:\n- service: http_status:404")


def test_cloudflared_option_names_are_accepted_as_aliases() -> None:
    by_alias = OriginRequest.model_validate({"connectTimeout": "30s", "noTLSVerify": False})
    assert by_alias == OriginRequest(connect_timeout="30s", no_tls_verify=False)


# -- route values refused at spec time --------------------------------------------------------

BAD_ROUTES = [
    (
        {"hostname": "Blog.Example.org", "service": "http://blog:80"},
        "must be a lowercase DNS name like 'app.example.org' (labels of a-z, 0-9 and '-', at least two labels, "
        "'*.' in front for a wildcard), got 'Blog.Example.org'",
    ),
    ({"hostname": "localhost", "service": "http://blog:80"}, "must be a lowercase DNS name like 'app.example.org'"),
    (
        {"hostname": "a.example.org", "service": "ftp://files:21"},
        "must be an origin URL with scheme http, https, tcp, ssh or unix ('http://app:8080', "
        "'unix:/run/app.sock'), 'http_status:NNN' or 'hello_world', got 'ftp://files:21'",
    ),
    ({"hostname": "a.example.org", "service": "http_status:999"}, "got 'http_status:999'"),
    ({"hostname": "a.example.org", "service": "http://app:99999"}, "got 'http://app:99999'"),
    ({"hostname": "a.example.org", "service": "blog:80"}, "got 'blog:80'"),
    ({"hostname": "a.example.org", "service": "unix:relative.sock"}, "got 'unix:relative.sock'"),
    (
        {"service": "http_status:404"},
        "hostname is required: a rule without one is the catch-all, which the tunnel always writes last "
        "by itself (change it with catch_all=CatchAll(...))",
    ),
    (
        {"hostname": "a.example.org", "service": "http://a:80", "comment": "bell\a"},
        "must be comment text: one or more lines without the '#'",
    ),
]


@pytest.mark.parametrize(("fields", "message"), BAD_ROUTES)
def test_bad_route_values_are_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as err:
        TunnelRoute(**fields)
    assert message in str(err.value)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"connect_timeout": "30"}, "must be a Go duration like '30s', '90s' or '1m30s', got '30'"),
        ({"keepAliveTimeout": "1.5 minutes"}, "must be a Go duration like '30s', '90s' or '1m30s'"),
        ({"no_tls_verify": "true"}, "no_tls_verify\n  Input should be a valid boolean"),
        ({"http_host_header": " spaced "}, "must be one non-empty line without surrounding spaces"),
        (
            {"connect_timeout": "30s", "comments": {"no_tls_verify": "why"}},
            "comments: 'no_tls_verify' is not an option set on this route (set: connect_timeout)",
        ),
        ({"noTlsVerify": True}, "noTlsVerify\n  Extra inputs are not permitted"),
    ],
)
def test_bad_origin_options_are_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as err:
        OriginRequest.model_validate(fields)
    assert message in str(err.value)


def test_a_hostname_is_routed_once_per_tunnel() -> None:
    with pytest.raises(ValidationError) as err:
        CloudflareTunnelSpec(
            tunnel="t",
            routes=(
                ("a.example.org", "http://a:80"),
                ("b.example.org", "http://b:80"),
                ("a.example.org", "http://c:80"),
            ),
        )
    assert (
        "routes: 'a.example.org' is routed twice (routes[0] and routes[2]); cloudflared only ever uses the first"
    ) in str(err.value)
    with pytest.raises(ValidationError) as err:
        CloudflareTunnelSpec(tunnel="t", routes=(("hello.example.com", "http://h:80"),), hello_world=True)
    assert "'hello.example.com' is routed twice (routes[0] and routes[1])" in str(err.value)
    # the same hostname on two paths is two routes
    paths = (
        TunnelRoute(hostname="a.example.org", path="^/api/", service="http://api:80"),
        TunnelRoute(hostname="a.example.org", service="http://web:80"),
    )
    assert len(CloudflareTunnelSpec(tunnel="t", routes=paths).rules) == 2


def test_the_catch_all_is_always_last() -> None:
    spec = CloudflareTunnelSpec(
        tunnel="t", routes=(("a.example.org", "http://a:80"),), catch_all=CatchAll(service="http_status:410")
    )
    assert _ingress(spec)[-1] == {"service": "http_status:410"}
    with pytest.raises(ValidationError) as err:
        CloudflareTunnelSpec(tunnel="t", routes=({"service": "http_status:404"}, ("a.example.org", "http://a:80")))
    assert "hostname is required: a rule without one is the catch-all" in str(err.value)


def test_no_free_text_config_is_accepted() -> None:
    with pytest.raises(ValidationError) as err:
        CloudflareTunnelSpec(tunnel="t", config="tunnel: t\ningress:\n- service: http_status:404\n")  # type: ignore[call-arg]
    assert "config\n  Extra inputs are not permitted" in str(err.value)


# -- run-time argument checks (issue 11) -------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"resources": "big"}, "resources\n  Input should be 'small', 'medium' or 'large'"),
        (
            {"routes": "a.example.org"},
            "routes\n  Value error, must be a tuple of routes, each TunnelRoute(...) or a (hostname, service) pair, "
            "got the str 'a.example.org'; one route is written routes=((hostname, service),)",
        ),
        (
            {"routes": ("a.example.org", "http://a:80")},
            "must be a tuple of routes, each TunnelRoute(...) or a (hostname, service) pair, got the str "
            "'a.example.org' as routes[0]; for one route write routes=((hostname, service),) with the trailing comma",
        ),
        (
            {"routes": [("a.example.org", "http://a:80")]},
            "must be a tuple of routes, each TunnelRoute(...) or a (hostname, service) pair, got a list",
        ),
        (
            {"routes": (("a.example.org",),)},
            "must be a tuple of routes, each TunnelRoute(...) or a (hostname, service) pair, got ('a.example.org',) "
            "as routes[0]",
        ),
        ({"limits": {"memory": "lots"}}, "must be a Kubernetes quantity like '250m', '512Mi' or '2Gi', got 'lots'"),
        ({"limits": {"gpu": "1"}}, "Input should be 'cpu', 'memory' or 'ephemeral-storage'"),
        (
            {"readiness": ProbeTimings(period_s=10)},
            "readiness timings need a readiness probe: set probes='readiness' (got probes='liveness')",
        ),
        (
            {"tunnel": "my tunnel"},
            "must be the tunnel's name or UUID (letters, digits, '.', '_', '-'), got 'my tunnel'",
        ),
    ],
)
def test_spec_misuse_names_the_spec_the_argument_and_the_form(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as err:
        CloudflareTunnelSpec(**{"tunnel": "t", **fields})
    text = str(err.value)
    assert "validation error for CloudflareTunnelSpec" in text
    assert message in text


class _Misuse(AppConstruct):
    """Calls the tunnel construct with wrong argument types (set by the test)."""

    name = "misuse"
    call: Any = None

    def build(self) -> None:
        type(self).call(self)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda app: CloudflareTunnel(app, "blog"),
            "CloudflareTunnel: spec must be a CloudflareTunnelSpec(tunnel=..., routes=...), got str 'blog'",
        ),
        (
            lambda app: CloudflareTunnel(app, CloudflareTunnelSpec(tunnel="t"), store="aws-secrets"),
            "CloudflareTunnel: store must be the app's AwsSecretStore or None, got str 'aws-secrets'",
        ),
        (
            lambda app: CloudflareTunnel(app, CloudflareTunnelSpec(tunnel="t"), id=3),
            "CloudflareTunnel: id must be a str naming the construct, got int 3",
        ),
        (
            lambda app: CloudflareTunnel(app, CloudflareTunnelSpec(tunnel="t", credentials="aws")),
            "tunnel 't': credentials='aws' needs store=",
        ),
    ],
)
def test_construct_misuse_is_an_error_naming_the_helper_and_argument(call: Any, message: str) -> None:
    _Misuse.call = call
    with pytest.raises(SpecError) as err:
        render_apps(_Misuse)
    assert [p.message for p in err.value.problems] == [message]
    assert "invalid spec for app 'misuse' (" in str(err.value) and "test_tunnel.py:" in str(err.value)


# -- per-app overrides of the Deployment (issue 12) ------------------------------------------


def _container(spec: CloudflareTunnelSpec) -> dict[str, Any]:
    class One(AppConstruct):
        """One tunnel."""

        name = "one"

        def build(self) -> None:
            CloudflareTunnel(self, spec)

    deployment = find([o.manifest for o in render_apps(One).objects], "Deployment", "cloudflared")
    container: dict[str, Any] = deployment["spec"]["template"]["spec"]["containers"][0]
    return container


def test_defaults_are_the_small_profile_and_the_liveness_preset() -> None:
    container = _container(CloudflareTunnelSpec(tunnel="t"))
    assert container["image"] == "cloudflare/cloudflared:2025.11.1"
    assert container["resources"] == {
        "limits": {"cpu": "100m", "memory": "128Mi"},
        "requests": {"cpu": "25m", "memory": "32Mi"},
    }
    assert container["livenessProbe"] == {
        "failureThreshold": 1,
        "httpGet": {"path": "/ready", "port": 2000},
        "initialDelaySeconds": 10,
        "periodSeconds": 10,
    }
    assert "readinessProbe" not in container


def test_one_resource_of_a_profile_is_overridden_alone() -> None:
    container = _container(CloudflareTunnelSpec(tunnel="t", resources="medium", limits={"memory": "512Mi"}))
    assert container["resources"] == {
        "limits": {"cpu": "300m", "memory": "512Mi"},
        "requests": {"cpu": "100m", "memory": "128Mi"},
    }
    container = _container(CloudflareTunnelSpec(tunnel="t", requests={"cpu": "10m"}))
    assert container["resources"] == {
        "limits": {"cpu": "100m", "memory": "128Mi"},
        "requests": {"cpu": "10m", "memory": "32Mi"},
    }


def test_probe_timings_and_image_are_overridden_per_app() -> None:
    spec = CloudflareTunnelSpec(
        tunnel="t",
        image="cloudflare/cloudflared:2026.1.0",
        probes="readiness",
        liveness=ProbeTimings(period_s=30, timeout_s=5),
        readiness=ProbeTimings(failures="default", delay_s=0),
    )
    container = _container(spec)
    assert container["image"] == "cloudflare/cloudflared:2026.1.0"
    assert container["livenessProbe"] == {
        "failureThreshold": 3,
        "httpGet": {"path": "/ready", "port": 2000},
        "initialDelaySeconds": 10,
        "periodSeconds": 30,
        "timeoutSeconds": 5,
    }
    assert container["readinessProbe"] == {
        "httpGet": {"path": "/ready", "port": 2000},
        "initialDelaySeconds": 0,
        "periodSeconds": 5,
    }


def test_strategy_and_revision_history_are_passed_through() -> None:
    class One(AppConstruct):
        """One tunnel with a rollout strategy."""

        name = "one"

        def build(self) -> None:
            CloudflareTunnel(
                self, CloudflareTunnelSpec(tunnel="t", strategy=rolling(0, 1), revision_history_limit=3, replicas=1)
            )

    spec = find([o.manifest for o in render_apps(One).objects], "Deployment", "cloudflared")["spec"]
    assert spec["strategy"] == {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"}
    assert spec["revisionHistoryLimit"] == 3 and spec["replicas"] == 1


# -- the importer reads configs back into the typed form --------------------------------------


def test_importer_parses_a_commented_config_into_typed_fields() -> None:
    found = parse_config(COMPACT_TEXT)
    assert found is not None
    assert found["indent"] == 2
    assert found["style"] == TunnelLayout(blank_before_ingress=True)
    assert found["catch_all"] == CatchAll(service="http_status:503", comment="Anything else", blank_before=True)
    first, second = found["routes"]
    assert first.origin_request == OriginRequest(
        connect_timeout="30s",
        keep_alive_timeout="1m30s",
        http_host_header="ginger.example.org",
        disable_chunked_encoding=True,
    )
    assert first.path == "^/api/"
    assert second.comment == "Databases, one per tenant.\n\nReached over TCP through cloudflared access."
    assert CloudflareTunnelSpec(**found).render_config() == COMPACT_TEXT
    docs = parse_config(DOCS_TEXT)
    assert docs is not None and docs["style"] == "docs" and docs["hello_world"] is True


@pytest.mark.parametrize(
    "text",
    [
        "tunnel: t\ncredentials-file: /elsewhere.json\nmetrics: 0.0.0.0:2000\nno-autoupdate: true\ningress:\n"
        "- service: http_status:404\n",
        "tunnel: t\ncredentials-file: /etc/cloudflared/creds/credentials.json\nmetrics: 0.0.0.0:2000\n"
        "no-autoupdate: true\ningress:\n- hostname: a.example.org\n  service: http://a:80\n"
        "  originRequest:\n    noTLSVerify: true\n    connectTimeout: 30s\n- service: http_status:404\n",
        "tunnel: t\ncredentials-file: /etc/cloudflared/creds/credentials.json\nmetrics: 0.0.0.0:2000\n"
        "no-autoupdate: true\ningress:\n- service: http_status:404\n- hostname: a.example.org\n  service: http://a:80\n",
    ],
    ids=["other-credentials-file", "option-order", "catch-all-not-last"],
)
def test_importer_refuses_configs_the_typed_form_cannot_say(text: str) -> None:
    assert parse_config(text) is None


def test_the_module_docstring_example_renders() -> None:
    import fako.patterns.tunnel as module

    doc = module.__doc__ or ""
    example = "\n".join(line[4:] for line in doc.split("\n") if line.startswith("    "))
    assert example.startswith("CloudflareTunnel(self, CloudflareTunnelSpec(")

    class Example(AppConstruct):
        """The docstring's example, run as an app."""

        name = "example"

        def build(self) -> None:
            exec(example, vars(module) | {"self": self})

    config = find([o.manifest for o in render_apps(Example).objects], "ConfigMap", "cloudflared")
    rules = yaml.safe_load(config["data"]["config.yaml"])["ingress"]
    assert rules[1] == {
        "hostname": "api.example.org",
        "service": "https://api:8443",
        "originRequest": {"noTLSVerify": True},
    }
