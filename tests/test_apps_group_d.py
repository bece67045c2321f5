"""lzt-ui, nick-brothers, oura-dashboard and sports-bets (issue 13, group D): what must not drift.

Tunnel routes are parsed back from the rendered `cloudflared` ConfigMaps with PyYAML and
followed to the Services they name; Services are checked against the pods they select;
the one claim keeps its name and mounts; the databases and allow-list entries are the
ones the cluster really has. Expected values are literals written out from the cluster's
manifests (`reference/fako-cluster/apps/<app>.yaml`), never taken from the modules.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from fako.apps.lzt_ui import LztUi
from fako.apps.nick_brothers import NickBrothers
from fako.apps.oura_dashboard import OuraDashboard
from fako.apps.sports_bets import SportsBets
from fako.clusters.staging_apps import APPS, OFF
from fako.clusters.staging_facts import EXTERNAL
from fako.testing import find, synth
from fako.tree import AppConstruct

Manifest = dict[str, Any]
GROUP: dict[str, type[AppConstruct]] = {
    "lzt-ui": LztUi,
    "nick-brothers": NickBrothers,
    "oura-dashboard": OuraDashboard,
    "sports-bets": SportsBets,
}
NAMESPACES = {
    "lzt-ui": "lztechnology",
    "nick-brothers": "nick-brothers",
    "oura-dashboard": "oura-dashboard",
    "sports-bets": "sports-bets",
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[Manifest]]:
    return {name: synth(app) for name, app in GROUP.items()}


@pytest.fixture(scope="module")
def staging() -> Any:
    """The whole staging cluster, switched-off apps included: (manifests, validation report)."""
    from fako.checks import facts_for, run_validation
    from fako.definition import build
    from fako.render import render
    from fako.synth import load_definition

    definition = load_definition("staging")
    cluster = build(definition, include_disabled=True)
    out = render(cluster)
    report = run_validation(out.objects, facts_for(cluster, definition, out), schemas=False, complete=True)
    return [o.manifest for o in out.objects], report


def _pod(workload: Manifest) -> Manifest:
    """The pod spec of a Deployment or CronJob."""
    spec = workload["spec"]
    template = spec["jobTemplate"]["spec"]["template"] if "jobTemplate" in spec else spec["template"]
    pod: Manifest = template["spec"]
    return pod


def _config_text(objs: list[Manifest]) -> str:
    text: str = find(objs, "ConfigMap", "cloudflared")["data"]["config.yaml"]
    return text


def _tunnel(objs: list[Manifest]) -> Manifest:
    """The tunnel's config.yaml, parsed back."""
    config: Manifest = yaml.safe_load(_config_text(objs))
    return config


# --- switched on and off, namespaces, hand-made objects --------------------------------------------


def test_live_apps_are_enabled_and_retired_ones_switched_off() -> None:
    enabled = {unit.app.name: unit.enabled for unit in APPS}
    assert {name: enabled[name] for name in GROUP} == {
        "lzt-ui": True,
        "nick-brothers": False,
        "oura-dashboard": False,
        "sports-bets": True,
    }
    assert {"nick-brothers", "oura-dashboard"} <= OFF
    assert not {"lzt-ui", "sports-bets"} & OFF


@pytest.mark.parametrize("app", sorted(GROUP))
def test_every_object_lives_in_the_apps_namespace(app: str, rendered: dict[str, list[Manifest]]) -> None:
    ns = NAMESPACES[app]
    namespaced = [o for o in rendered[app] if o["kind"] != "Namespace"]
    assert namespaced
    assert {o["metadata"]["namespace"] for o in namespaced} == {ns}
    assert [o["metadata"]["name"] for o in rendered[app] if o["kind"] == "Namespace"] == [ns]


def test_lzt_ui_namespace_is_modelled_not_external(rendered: dict[str, list[Manifest]]) -> None:
    assert ("Namespace", "", "lztechnology") not in EXTERNAL
    assert find(rendered["lzt-ui"], "Namespace", "lztechnology")["metadata"]["labels"] == {
        "name": "lztechnology",
        "pod-security.kubernetes.io/audit": "baseline",
        "pod-security.kubernetes.io/warn": "baseline",
    }
    assert LztUi.external == (("Secret", "dockerhub-registry"),)
    assert NickBrothers.external == (("Secret", "aws-credentials"),)
    assert OuraDashboard.external == SportsBets.external == ()


# --- tunnels: routes parsed back ---------------------------------------------------------------------


def test_lzt_ui_tunnel_is_the_commented_sample_with_three_site_routes(rendered: dict[str, list[Manifest]]) -> None:
    objs = rendered["lzt-ui"]
    config = _tunnel(objs)
    assert config["tunnel"] == "lztechnology-tunnel"
    assert config["credentials-file"] == "/etc/cloudflared/creds/credentials.json"
    assert (config["metrics"], config["no-autoupdate"]) == ("0.0.0.0:2000", True)
    site = "http://lztechnology-website:80"
    assert config["ingress"] == [
        {"hostname": "lztechnology.io", "service": site},
        {"hostname": "www.lztechnology.io", "service": site},
        {"hostname": "lzt-ui.lztechnology.io", "service": site},
        {"hostname": "hello.example.com", "service": "hello_world"},
        {"service": "http_status:404"},
    ]
    text = _config_text(objs)
    assert text.startswith("# Name of the tunnel you want to run\n\ntunnel: lztechnology-tunnel\n\n")
    assert "\n\n# This rule sends traffic to the built-in hello-world HTTP server." in text
    assert text.endswith(
        "# This rule matches any traffic which didn't match a previous rule, and responds with "
        "HTTP 404.\n- service: http_status:404\n"
    )
    pod = _pod(find(objs, "Deployment", "cloudflared"))
    assert pod["imagePullSecrets"] == [{"name": "dockerhub-registry"}]
    assert find(objs, "Deployment", "cloudflared")["spec"]["replicas"] == 2


def test_nick_brothers_tunnel_route_keeps_its_origin_options(rendered: dict[str, list[Manifest]]) -> None:
    objs = rendered["nick-brothers"]
    config = _tunnel(objs)
    assert config["tunnel"] == "nick-brothers"
    assert config["ingress"] == [
        {
            "hostname": "nnb-api.landryzetam.net",
            "service": "http://backend.nick-brothers.svc.cluster.local:8000",
            "originRequest": {
                "connectTimeout": "30s",
                "noTLSVerify": False,
                "keepAliveTimeout": "90s",
                "httpHostHeader": "nnb-api.landryzetam.net",
            },
        },
        {"service": "http_status:404"},
    ]
    creds = find(objs, "ExternalSecret", "tunnel-credentials")["spec"]
    assert creds["data"] == [
        {"remoteRef": {"key": "nick-brothers/cloudflare-tunnel", "property": "credentials"}, "secretKey": "credentials"}
    ]
    assert creds["target"]["template"] == {"data": {"credentials.json": "{{ .credentials | toString }}"}}
    assert creds["refreshInterval"] == "24h"
    assert [o["kind"] for o in objs if o["metadata"]["name"] == "tunnel-credentials"] == ["ExternalSecret"]


def test_nick_brothers_cloudflared_uses_default_thresholds_and_rolls_one_at_a_time(
    rendered: dict[str, list[Manifest]],
) -> None:
    dep = find(rendered["nick-brothers"], "Deployment", "cloudflared")
    assert dep["metadata"]["labels"] == {
        "app": "cloudflared",
        "app.kubernetes.io/instance": "production",
        "app.kubernetes.io/name": "nick-brothers",
        "app.kubernetes.io/part-of": "nick-brothers",
    }
    assert (dep["spec"]["replicas"], dep["spec"]["revisionHistoryLimit"]) == (1, 3)
    assert dep["spec"]["strategy"] == {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1}, "type": "RollingUpdate"}
    (container,) = _pod(dep)["containers"]
    ready = {"path": "/ready", "port": 2000}
    assert container["livenessProbe"] == {"httpGet": ready, "initialDelaySeconds": 10, "periodSeconds": 10}
    assert container["readinessProbe"] == {"httpGet": ready, "initialDelaySeconds": 5, "periodSeconds": 5}
    assert container["resources"] == {
        "limits": {"cpu": "100m", "memory": "128Mi"},
        "requests": {"cpu": "10m", "memory": "32Mi"},
    }
    assert "imagePullSecrets" not in _pod(dep)


def test_oura_dashboard_tunnel_goes_to_the_sign_in_proxy(rendered: dict[str, list[Manifest]]) -> None:
    objs = rendered["oura-dashboard"]
    assert _tunnel(objs)["ingress"] == [
        {"hostname": "oura-health.landryzetam.net", "service": "http://oauth2-proxy:4180"},
        {"service": "http_status:404"},
    ]
    assert _config_text(objs) == (
        "tunnel: oura-health\ncredentials-file: /etc/cloudflared/creds/credentials.json\nmetrics: 0.0.0.0:2000\n"
        "no-autoupdate: true\n\ningress:\n- hostname: oura-health.landryzetam.net\n  service: http://oauth2-proxy:4180\n"
        "- service: http_status:404\n"
    )
    (container,) = _pod(find(objs, "Deployment", "cloudflared"))["containers"]
    assert container["resources"] == {
        "limits": {"cpu": "500m", "memory": "256Mi"},
        "requests": {"cpu": "250m", "memory": "128Mi"},
    }


def test_sports_bets_tunnel_indents_its_routes(rendered: dict[str, list[Manifest]]) -> None:
    objs = rendered["sports-bets"]
    config = _tunnel(objs)
    assert config["tunnel"] == "acd05480-f578-4b74-bc15-61d01982a3f5"
    assert config["ingress"] == [
        {
            "hostname": "sports-bets.landryzetam.net",
            "service": "http://sports-bets-web.sports-bets.svc.cluster.local:80",
        },
        {"service": "http_status:404"},
    ]
    assert "ingress:\n  - hostname: sports-bets.landryzetam.net\n" in _config_text(objs)
    dep = find(objs, "Deployment", "cloudflared")
    assert (dep["metadata"]["labels"], dep["spec"]["replicas"]) == ({"app": "cloudflared"}, 1)


@pytest.mark.parametrize(
    ("app", "targets"),
    [
        ("lzt-ui", [("lztechnology-website", 80)] * 3),
        ("nick-brothers", [("backend", 8000)]),
        ("oura-dashboard", [("oauth2-proxy", 4180)]),
        ("sports-bets", [("sports-bets-web", 80)]),
    ],
)
def test_tunnel_routes_reach_a_service_port_of_the_app(
    app: str, targets: list[tuple[str, int]], rendered: dict[str, list[Manifest]]
) -> None:
    objs = rendered[app]
    found = []
    for rule in _tunnel(objs)["ingress"]:
        url = urlsplit(rule["service"])
        if url.scheme != "http":
            continue
        name, *rest = (url.hostname or "").split(".")
        assert rest in ([], [NAMESPACES[app], "svc", "cluster", "local"])
        service = find(objs, "Service", name)
        assert url.port in [p["port"] for p in service["spec"]["ports"]]
        found.append((name, url.port))
    assert found == targets


# --- Services select their pods ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("app", "services"),
    [
        ("lzt-ui", {"lztechnology-website": ("lztechnology-website", {"app": "lztechnology-website"}, 8080)}),
        (
            "nick-brothers",
            {
                "backend": ("backend", {"app": "backend"}, 8000),
                "dashboard": ("dashboard", {"app": "dashboard"}, 3000),
                "website": ("website", {"app": "website"}, 3000),
            },
        ),
        (
            "oura-dashboard",
            {
                "oauth2-proxy": ("oauth2-proxy", {"app": "oauth2-proxy"}, 4180),
                "oura-dashboard": ("oura-dashboard", {"app": "oura-dashboard"}, 8501),
            },
        ),
        (
            "sports-bets",
            {"sports-bets-web": ("sports-bets-web", {"app.kubernetes.io/name": "sports-bets-web"}, "http")},
        ),
    ],
)
def test_services_select_exactly_their_deployment_and_a_container_port(
    app: str, services: dict[str, tuple[str, dict[str, str], int | str]], rendered: dict[str, list[Manifest]]
) -> None:
    objs = rendered[app]
    assert sorted(o["metadata"]["name"] for o in objs if o["kind"] == "Service") == sorted(services)
    deployments = [o for o in objs if o["kind"] == "Deployment"]
    for name, (deployment, selector, target) in services.items():
        spec = find(objs, "Service", name)["spec"]
        assert spec["selector"] == selector
        selected = [
            d["metadata"]["name"]
            for d in deployments
            if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert selected == [deployment]
        dep = find(objs, "Deployment", deployment)
        assert dep["spec"]["selector"] == {"matchLabels": selector}
        (svc_port,) = spec["ports"]
        assert svc_port["targetPort"] == target
        ports = [p for c in _pod(dep)["containers"] for p in c["ports"]]
        key = "containerPort" if isinstance(target, int) else "name"
        assert [p[key] for p in ports] == [target]


# --- state: the one claim, databases -------------------------------------------------------------------


def test_sports_bets_pages_claim_is_pinned_and_mounted_by_the_writers(rendered: dict[str, list[Manifest]]) -> None:
    objs = rendered["sports-bets"]
    assert [o["metadata"]["name"] for o in objs if o["kind"] == "PersistentVolumeClaim"] == ["sports-bets-data"]
    assert find(objs, "PersistentVolumeClaim", "sports-bets-data")["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "1Gi"}},
    }
    web = find(objs, "Deployment", "sports-bets-web")
    assert web["spec"]["strategy"] == {"type": "Recreate"}  # RWO on local-path: no overlap
    assert _pod(web)["volumes"][0] == {"name": "data", "persistentVolumeClaim": {"claimName": "sports-bets-data"}}
    assert _pod(web)["containers"][0]["volumeMounts"][0] == {
        "mountPath": "/usr/share/nginx/html",
        "name": "data",
        "readOnly": True,
    }
    for name in ("sports-bets-generate", "sports-bets-predictions", "sports-bets-scoreboard"):
        pod = _pod(find(objs, "CronJob", name))
        assert {"name": "data", "persistentVolumeClaim": {"claimName": "sports-bets-data"}} in pod["volumes"]
        assert {"mountPath": "/data", "name": "data"} in pod["containers"][0]["volumeMounts"]
    agent = _pod(find(objs, "CronJob", "sports-bets-agent"))
    assert agent["volumes"] == [{"emptyDir": {}, "name": "tmp"}]


def test_no_claims_elsewhere_and_no_database_declarations(rendered: dict[str, list[Manifest]]) -> None:
    for app in ("lzt-ui", "nick-brothers", "oura-dashboard"):
        assert [o for o in rendered[app] if o["kind"] == "PersistentVolumeClaim"] == []
    for app in GROUP.values():
        assert (app.databases, app.shared_databases) == ((), ())


def test_oura_dashboard_reads_the_bootstrap_database_the_init_job_does_not_create(
    rendered: dict[str, list[Manifest]], staging: Any
) -> None:
    config = find(rendered["oura-dashboard"], "ConfigMap", "oura-dashboard-config")["data"]
    assert (config["DATABASE_HOST"], config["DATABASE_NAME"]) == (
        "postgres-cluster-rw.postgres.svc.cluster.local",
        "app",
    )
    manifests, _ = staging
    cluster = find(manifests, "Cluster", "postgres-cluster")
    assert cluster["spec"]["bootstrap"]["initdb"]["database"] == "app"
    init = find(manifests, "Job", "postgres-database-init")
    script = "\n".join(init["spec"]["template"]["spec"]["containers"][0]["command"])
    assert "create_database app " not in script
    assert "create_database oura app\n" in script


# --- workloads ------------------------------------------------------------------------------------------


def test_sports_bets_cronjobs_are_suspended_with_their_schedules(rendered: dict[str, list[Manifest]]) -> None:
    objs = rendered["sports-bets"]
    rows = {}
    for o in objs:
        if o["kind"] != "CronJob":
            continue
        spec, (container,) = o["spec"], _pod(o)["containers"]
        rows[o["metadata"]["name"]] = (
            spec["schedule"],
            spec["suspend"],
            spec["startingDeadlineSeconds"],
            spec["jobTemplate"]["spec"]["activeDeadlineSeconds"],
            spec["successfulJobsHistoryLimit"],
            o["metadata"]["labels"]["app.kubernetes.io/component"],
            container["name"],
            container["image"],
            container.get("command"),
            container.get("args"),
        )
        assert container["envFrom"] == [{"secretRef": {"name": "sports-bets-secrets"}}]
        assert _pod(o)["imagePullSecrets"] == [{"name": "dockerhub-registry"}]
        assert "ttlSecondsAfterFinished" not in spec["jobTemplate"]["spec"]
    assert rows == {
        "sports-bets-agent": (
            "0 */2 * * *",
            True,
            600,
            2700,
            3,
            "ai-agent",
            "agent",
            "lzetam/sports-bets:latest",
            ["sports-bets-agent"],
            None,
        ),
        "sports-bets-generate": (
            "0 */2 * * *",
            True,
            600,
            900,
            3,
            "generator",
            "generate",
            "lzetam/sports-bets-v1:latest",
            None,
            ["run", "--tournament", "world-cup", "--stake", "5", "--out-dir", "/data"],
        ),
        "sports-bets-predictions": (
            "15 */2 * * *",
            True,
            300,
            600,
            2,
            "predictions",
            "predictions",
            "lzetam/sports-bets:latest",
            ["sports-bets-predictions"],
            ["--out", "/data/predictions.html"],
        ),
        "sports-bets-scoreboard": (
            "30 */2 * * *",
            True,
            300,
            300,
            2,
            "scoreboard",
            "scoreboard",
            "lzetam/sports-bets:latest",
            ["sports-bets-scoreboard"],
            ["--out", "/data/scoreboard.html"],
        ),
    }


def test_nick_brothers_ingresses_budget_and_scheduler_target_the_backend(rendered: dict[str, list[Manifest]]) -> None:
    objs = rendered["nick-brothers"]
    routes = {}
    for o in objs:
        if o["kind"] == "Ingress":
            (rule,) = o["spec"]["rules"]
            (path,) = rule["http"]["paths"]
            service = path["backend"]["service"]
            routes[o["metadata"]["name"]] = (
                rule["host"],
                service["name"],
                service["port"]["number"],
                o["spec"]["tls"][0]["secretName"],
            )
            assert o["metadata"]["annotations"]["cert-manager.io/cluster-issuer"] == "letsencrypt-dns01"
    assert routes == {
        "nick-brothers-api": ("nnb-api.landryzetam.net", "backend", 8000, "nnb-api-landryzetam-tls"),
        "nick-brothers-dashboard": ("nnb.landryzetam.net", "dashboard", 3000, "nnb-dashboard-tls"),
        "nick-brothers-website": ("nnb-site.landryzetam.net", "website", 3000, "nnb-site-tls"),
    }
    pdb = find(objs, "PodDisruptionBudget", "backend-pdb")["spec"]
    assert pdb == {"minAvailable": 1, "selector": {"matchLabels": {"app": "backend"}}}
    backend = find(objs, "Deployment", "backend")["spec"]
    assert (backend["replicas"], backend["strategy"]["rollingUpdate"]) == (2, {"maxSurge": 1, "maxUnavailable": 0})
    tick = _pod(find(objs, "CronJob", "agent-scheduler"))["containers"][0]
    assert tick["command"][-1] == "http://backend.nick-brothers.svc.cluster.local:8000/scheduler/tick"
    for name in ("backend", "dashboard", "website"):
        assert _pod(find(objs, "Deployment", name))["imagePullSecrets"] == [{"name": "dockerhub-secret"}]
    assert find(objs, "ExternalSecret", "dockerhub-secret")["spec"]["target"]["template"]["type"] == (
        "kubernetes.io/dockerconfigjson"
    )


def test_oura_dashboard_proxy_signs_in_with_keycloak_and_forwards_to_the_dashboard(
    rendered: dict[str, list[Manifest]],
) -> None:
    objs = rendered["oura-dashboard"]
    (proxy,) = _pod(find(objs, "Deployment", "oauth2-proxy"))["containers"]
    assert "--upstream=http://oura-dashboard:8501" in proxy["args"]
    assert "--cookie-domain=oura-health.landryzetam.net" in proxy["args"]
    assert proxy["args"].count("--oidc-extra-audience=master-realm") == 1
    values = {e["name"]: e.get("value") or e["valueFrom"]["secretKeyRef"] for e in proxy["env"]}
    realm = "https://auth.landryzetam.net/realms/master"
    assert values == {
        "OAUTH2_PROXY_CLIENT_ID": {"key": "client-id", "name": "oauth2-proxy-secrets"},
        "OAUTH2_PROXY_CLIENT_SECRET": {"key": "client-secret", "name": "oauth2-proxy-secrets"},
        "OAUTH2_PROXY_COOKIE_SECRET": {"key": "cookie-secret", "name": "oauth2-proxy-secrets"},
        "OAUTH2_PROXY_OIDC_ISSUER_URL": realm,
        "OAUTH2_PROXY_REDIRECT_URL": "https://oura-health.landryzetam.net/oauth2/callback",
        "OAUTH2_PROXY_LOGIN_URL": f"{realm}/protocol/openid-connect/auth",
        "OAUTH2_PROXY_REDEEM_URL": f"{realm}/protocol/openid-connect/token",
        "OAUTH2_PROXY_OIDC_JWKS_URL": f"{realm}/protocol/openid-connect/certs",
    }
    ingress = find(objs, "Ingress", "oura-dashboard")["spec"]
    assert "tls" not in ingress
    assert ingress["rules"][0]["http"]["paths"][0]["backend"]["service"] == {
        "name": "oauth2-proxy",
        "port": {"number": 4180},
    }
    dashboard = _pod(find(objs, "Deployment", "oura-dashboard"))
    assert dashboard["serviceAccountName"] == "oura-dashboard"
    assert dashboard["containers"][0]["envFrom"] == [
        {"configMapRef": {"name": "oura-dashboard-config"}},
        {"secretRef": {"name": "aws-credentials-env"}},
    ]
    env_secret = find(objs, "ExternalSecret", "aws-credentials-transformed")["spec"]
    assert (env_secret["secretStoreRef"]["name"], env_secret["target"]["name"]) == (
        "local-secret-store",
        "aws-credentials-env",
    )


def test_lzt_ui_site_headers_and_legacy_pull_job(rendered: dict[str, list[Manifest]]) -> None:
    objs = rendered["lzt-ui"]
    notes = find(objs, "Ingress", "lztechnology-website")["metadata"]["annotations"]
    headers = notes["traefik.ingress.kubernetes.io/custom-response-headers"]
    assert headers.splitlines()[:4] == [
        "X-Frame-Options: DENY",
        "X-Content-Type-Options: nosniff",
        "X-XSS-Protection: 1; mode=block",
        "Strict-Transport-Security: max-age=31536000; includeSubDomains",
    ]
    assert headers.endswith("img-src 'self' data:; object-src 'none'; base-uri 'self';\n")
    assert headers.count("\n") == 5
    assert (notes["cert-manager.io/cluster-issuer"], notes["kubernetes.io/ingress.class"]) == (
        "letsencrypt-prod",
        "traefik",
    )
    script = _pod(find(objs, "Job", "create-docker-registry-secret"))["containers"][0]["command"][2]
    assert "kubectl create secret docker-registry dockerhub-registry \\\n" in script
    assert "  --namespace=lztechnology \\\n" in script
    site = find(objs, "Deployment", "lztechnology-website")
    assert (site["spec"]["replicas"], site["spec"]["strategy"]["rollingUpdate"]) == (
        2,
        {"maxSurge": 1, "maxUnavailable": 1},
    )
    env = {e["name"]: e.get("value") or e["valueFrom"]["secretKeyRef"] for e in _pod(site)["containers"][0]["env"]}
    assert env["AWS_ACCESS_KEY_ID"] == {"key": "access-key-id", "name": "aws-credentials"}
    assert env["AWS_REGION"] == "us-east-2"


# --- validation: the defects the cluster carries, and nothing else ----------------------------------------


def test_only_lzt_ui_carries_allowed_defects_and_nothing_fails(staging: Any) -> None:
    _, report = staging
    ours = [f for f in report.findings if f.ref.split("/")[1] in NAMESPACES.values() or f.check == "allow.stale"]
    assert not [f.render() for f in ours if f.fails]
    assert not [f for f in ours if f.check == "allow.stale"]
    assert sorted((f.check, f.ref, f.value) for f in ours if f.allowed) == [
        ("host.duplicate", "ConfigMap/lztechnology/cloudflared", "hello.example.com"),
        # cloudflared's probes on its metrics port, undeclared as in every tunnel of the cluster
        ("probe.port", "Deployment/lztechnology/cloudflared", "2000"),
        ("probe.port", "Deployment/nick-brothers/cloudflared", "2000"),  # liveness
        ("probe.port", "Deployment/nick-brothers/cloudflared", "2000"),  # readiness
        ("probe.port", "Deployment/oura-dashboard/cloudflared", "2000"),
        ("probe.port", "Deployment/sports-bets/cloudflared", "2000"),
        ("ref.cluster-issuer", "Ingress/lztechnology/lztechnology-website", "letsencrypt-prod"),
        ("ref.secret", "Ingress/lztechnology/lztechnology-website", "lztechnology-tls"),  # never issued
    ]


# --- images: full literals, as Renovate reads them ---------------------------------------------------------


@pytest.mark.parametrize("app", sorted(GROUP))
def test_every_image_is_a_full_literal_in_the_module(app: str, rendered: dict[str, list[Manifest]]) -> None:
    module = importlib.import_module(GROUP[app].__module__)
    tree = ast.parse(Path(inspect.getfile(module)).read_text())
    literals = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "image" and isinstance(node.value, ast.Constant):
            literals.add(node.value.value)
        named = isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id.endswith("_IMAGE") for t in node.targets
        )
        if named and isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            literals.add(node.value.value)
    images = set()
    for o in rendered[app]:
        if o["kind"] in ("Deployment", "CronJob", "Job"):
            images.update(c["image"] for c in _pod(o)["containers"])
    shared = {"cloudflare/cloudflared:2025.11.1", "bitnamilegacy/kubectl:1.33.4"}  # the patterns' defaults
    assert images - shared <= literals
    assert all(":" in image for image in images)
