"""fako.validation.semantics, pinned check by check (mutation tests): probe ports, Service
target ports, Secret/ConfigMap keys, Flux paths, tunnel routes and GPU capacity, with
exact messages, fields, values and severities, built from small hand-written objects."""

from __future__ import annotations

from typing import Any

from fako.rendered import RenderedObject
from fako.validation.facts import ClusterFacts, NodePool, Taint
from fako.validation.inventory import Inventory
from fako.validation.semantics import (
    _count,
    _did_you_mean,
    _folders,
    _handler_ports,
    _is_port_number,
    _pod_demand,
    _replicas,
    _route_target,
    _service_ports_of,
    _shown_ports,
    check_data_keys,
    check_flux_paths,
    check_gpu_capacity,
    check_probe_ports,
    check_service_target_ports,
    check_tunnel_services,
)


def obj(manifest: dict[str, Any], *, layer: str = "apps", path: str = "apps/blog/x.yaml") -> RenderedObject:
    return RenderedObject(layer, "blog", manifest, path, "cluster/apps/blog", "Blog", "fako.apps.blog:1")


def workload(
    name: str = "web", *, kind: str = "Deployment", ns: str = "blog", labels: dict[str, str] | None = None, **pod: Any
) -> RenderedObject:
    spec: dict[str, Any] = {"template": {"metadata": {"labels": labels or {"app": name}}, "spec": pod}}
    api = "batch/v1" if kind in ("Job", "CronJob") else "apps/v1"
    if kind == "CronJob":
        spec = {"jobTemplate": {"spec": spec}}
    return obj({"apiVersion": api, "kind": kind, "metadata": {"name": name, "namespace": ns}, "spec": spec})


def rows(findings: Any) -> list[tuple[str, str, str, str, str, str]]:
    out = []
    for f in findings:
        assert f.source == "fako.apps.blog:1"
        out.append((f.severity, f.check, f.field, f.value, f.message, f.fix))
    return out


# -- helpers -------------------------------------------------------------------------------


def test_shown_ports_and_port_numbers() -> None:
    assert _shown_ports([]) == "none"
    assert _shown_ports([{"containerPort": 80, "name": "http"}, {"containerPort": 9090}, {"name": ""}]) == (
        "80/http, 9090, None"
    )
    assert _is_port_number(80) is True
    assert _is_port_number(True) is False
    assert _is_port_number("80") is False


def test_did_you_mean() -> None:
    assert _did_you_mean("HTTP", ["metrics", "http"]) == "did you mean 'http'? "
    assert _did_you_mean("htp", ["metrics", "http"]) == "did you mean 'http'? "
    assert _did_you_mean("zzz", ["metrics", "http"]) == ""
    assert _did_you_mean("Http", ["hTTp", "http"]) == "did you mean 'hTTp'? "
    assert _did_you_mean("x", []) == ""


def test_handler_ports() -> None:
    container = {
        "livenessProbe": {"httpGet": {"port": "http"}, "tcpSocket": {"port": 1}, "grpc": {"port": 2}},
        "readinessProbe": {"tcpSocket": {"host": "x"}},
        "startupProbe": {"grpc": {"port": 3}},
        "lifecycle": {
            "postStart": {"httpGet": {"port": 4}},
            "preStop": {"tcpSocket": {"port": "p"}, "grpc": {"port": 9}},
        },
    }
    assert list(_handler_ports(container)) == [
        ("livenessProbe.httpGet.port", "livenessProbe", "http"),
        ("livenessProbe.tcpSocket.port", "livenessProbe", 1),
        ("livenessProbe.grpc.port", "livenessProbe", 2),
        ("startupProbe.grpc.port", "startupProbe", 3),
        ("lifecycle.postStart.httpGet.port", "postStart hook", 4),
        ("lifecycle.preStop.tcpSocket.port", "preStop hook", "p"),
    ]
    assert list(_handler_ports({"readinessProbe": {"httpGet": {"port": 5}}})) == [
        ("readinessProbe.httpGet.port", "readinessProbe", 5)
    ]


# -- probe ports ---------------------------------------------------------------------------


def test_probe_ports() -> None:
    c0 = {
        "name": "app",
        "ports": [{"name": "http", "containerPort": 8080}, {"containerPort": 9090}],
        "livenessProbe": {"httpGet": {"port": "htp"}},
        "readinessProbe": {"httpGet": {"port": 9090}},
        "startupProbe": {"tcpSocket": {"port": 7070}},
        "lifecycle": {"preStop": {"httpGet": {"port": "http"}}},
    }
    init = {"livenessProbe": {"tcpSocket": {"port": "zz"}}, "readinessProbe": {"tcpSocket": {"port": True}}}
    w = workload(containers=["junk", c0], initContainers=[init])
    assert rows(check_probe_ports([w])) == [
        (
            "error",
            "probe.port",
            "spec.template.spec.initContainers[0].livenessProbe.tcpSocket.port",
            "zz",
            "container '?' livenessProbe names port 'zz', which the container does not declare (its ports: none); "
            "the kubelet cannot resolve it, so the livenessProbe always fails",
            "declare the port (ports: [{name: zz, containerPort: ...}]) or use a declared one",
        ),
        (
            "error",
            "probe.port",
            "spec.template.spec.containers[1].livenessProbe.httpGet.port",
            "htp",
            "container 'app' livenessProbe names port 'htp', which the container does not declare "
            "(its ports: 8080/http, 9090); the kubelet cannot resolve it, so the livenessProbe always fails",
            "did you mean 'http'? declare the port (ports: [{name: htp, containerPort: ...}]) or use a declared one",
        ),
        (
            "warning",
            "probe.port",
            "spec.template.spec.containers[1].startupProbe.tcpSocket.port",
            "7070",
            "container 'app' startupProbe uses port 7070, which the container does not declare "
            "(its ports: 8080/http, 9090)",
            "declare the port in the container's ports[], or use a declared one",
        ),
    ]
    assert rows(check_probe_ports([obj({"apiVersion": "v1", "kind": "Service"})])) == []


def test_probe_ports_of_a_hook_and_a_pod() -> None:
    c = {
        "name": "a",
        "ports": [{"name": "", "containerPort": 1}],
        "lifecycle": {"postStart": {"tcpSocket": {"port": ""}}},
    }
    p = obj(
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "namespace": "blog"}, "spec": {"containers": [c]}}
    )
    assert [(f.field, f.message) for f in check_probe_ports([p])] == [
        (
            "spec.containers[0].lifecycle.postStart.tcpSocket.port",
            "container 'a' postStart hook names port '', which the container does not declare (its ports: 1); "
            "the kubelet cannot resolve it, so the postStart hook always fails",
        )
    ]


# -- Service target ports --------------------------------------------------------------------


def service(
    name: str = "web", *, ports: list[Any], selector: Any = None, ns: str = "blog", **spec: Any
) -> RenderedObject:
    body = {"selector": {"app": name} if selector is None else selector, "ports": ports, **spec}
    return obj({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns}, "spec": body})


def test_service_ports_of_containers_and_sidecars() -> None:
    spec = {
        "containers": [{"ports": [{"containerPort": 1}, "x"]}, "junk", {"ports": [{"containerPort": 2}]}],
        "initContainers": [
            {"restartPolicy": "Always", "ports": [{"containerPort": 3}]},
            {"restartPolicy": "OnFailure", "ports": [{"containerPort": 4}]},
            {"ports": [{"containerPort": 5}]},
        ],
    }
    assert _service_ports_of(spec) == ({"containerPort": 1}, {}, {"containerPort": 2}, {"containerPort": 3})


PORTS = [{"name": "http", "containerPort": 8080}, {"name": "dns", "containerPort": 53, "protocol": "UDP"}]


def test_target_ports_that_resolve() -> None:
    objects = [
        workload(containers=[{"name": "a", "ports": PORTS}]),
        service(ports=[{"port": 80, "targetPort": "http"}, {"port": 53, "targetPort": "dns", "protocol": "UDP"}]),
        service(
            "num", selector={"app": "web"}, ports=[{"port": 8080}, {"port": 1, "targetPort": 8080, "protocol": None}]
        ),
    ]
    assert list(check_service_target_ports(objects)) == []


def test_a_named_target_port_none_declares() -> None:
    objects = [
        workload(containers=[{"name": "a", "ports": PORTS}]),
        workload(
            "web2",
            labels={"app": "web"},
            containers=[{"name": "b", "ports": [{"name": "Http", "containerPort": 1, "protocol": "TCP"}]}],
        ),
        service(ports=[{"name": "main", "port": 80, "targetPort": "htp"}, {"port": 81, "targetPort": "dns"}]),
    ]
    assert rows(check_service_target_ports(objects)) == [
        (
            "error",
            "service.target-port",
            "spec.ports[0].targetPort",
            "htp",
            "port 'main' targets port name 'htp' (TCP), which no container of the pods it selects declares "
            "(Deployment web, Deployment web2: ports 8080/http, 53/dns, 1/Http); the endpoints controller leaves "
            "those pods out, so the Service has no endpoints",
            "did you mean 'http'? name a declared port, or declare 'htp' in the container's ports[]",
        ),
        (
            "error",
            "service.target-port",
            "spec.ports[1].targetPort",
            "dns",
            "port 81 targets port name 'dns' (TCP), which no container of the pods it selects declares "
            "(Deployment web, Deployment web2: ports 8080/http, 53/dns, 1/Http); the endpoints controller leaves "
            "those pods out, so the Service has no endpoints",
            "name a declared port, or declare 'dns' in the container's ports[]",
        ),
    ]


def test_a_numeric_target_port_none_declares_is_a_warning() -> None:
    objects = [
        workload(containers=[{"name": "a", "ports": PORTS}]),
        workload(containers=[{"name": "a", "ports": PORTS}]),
        service(
            ports=[
                {"port": 80, "targetPort": 53},
                {"name": "x", "port": 9, "protocol": "UDP"},
                "junk",
                {"port": 1, "targetPort": True},
            ]
        ),
    ]
    assert rows(check_service_target_ports(objects)) == [
        (
            "warning",
            "service.target-port",
            "spec.ports[0].targetPort",
            "53",
            "port 80 targets port 53 (TCP), which no container of the pods it selects declares "
            "(Deployment web: ports 8080/http, 53/dns, 8080/http, 53/dns)",
            "target a declared port, or declare it in the container's ports[]",
        ),
        (
            "warning",
            "service.target-port",
            "spec.ports[1].targetPort",
            "9",
            "port 'x' targets port 9 (UDP), which no container of the pods it selects declares "
            "(Deployment web: ports 8080/http, 53/dns, 8080/http, 53/dns)",
            "target a declared port, or declare it in the container's ports[]",
        ),
    ]


def test_services_not_checked() -> None:
    pods = [workload(containers=[{"name": "a", "ports": PORTS}])]
    bad = [{"port": 80, "targetPort": "nope"}]
    assert list(check_service_target_ports([*pods, service(ports=bad, selector={})])) == []
    assert list(check_service_target_ports([*pods, service(ports=bad, type="ExternalName")])) == []
    assert list(check_service_target_ports([*pods, service(ports=bad, ns="other")])) == []
    assert list(check_service_target_ports([*pods, service(ports=bad, selector={"app": "web", "x": "y"})])) == []
    crd = obj(
        {
            "apiVersion": "x.io/v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": "blog"},
            "spec": {"selector": {"app": "web"}, "ports": bad},
        }
    )
    assert list(check_service_target_ports([*pods, crd])) == []
    # a service before the pods it selects still sees them; a selector on a second label matches too
    two = workload(labels={"app": "web", "tier": "x"}, containers=[{"name": "a", "ports": PORTS}])
    assert len(list(check_service_target_ports([service(ports=bad, selector={"app": "web", "tier": "x"}), two]))) == 1


# -- Secret and ConfigMap keys ----------------------------------------------------------------


def config_map(name: str, data: dict[str, str], ns: str = "blog") -> RenderedObject:
    return obj({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns}, "data": data})


def secret(name: str, data: dict[str, str]) -> RenderedObject:
    return obj(
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": name, "namespace": "blog"}, "stringData": data}
    )


def keys(objects: list[RenderedObject]) -> list[tuple[str, str, str, str, str, str]]:
    return rows(check_data_keys(objects, Inventory(objects, ClusterFacts())))


def env(name: str, field: str, ref: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "valueFrom": {field: ref}}


def test_env_keys() -> None:
    cm = config_map("conf", {"level": "x", "mode": "y"})
    sec = secret("creds", {"token": "t"})
    app = {
        "name": "app",
        "env": [
            env("A", "configMapKeyRef", {"name": "conf", "key": "levle"}),
            env("B", "secretKeyRef", {"name": "creds", "key": "tokn"}),
            env("C", "secretKeyRef", {"name": "creds", "key": "tokn"}),
            env("D", "configMapKeyRef", {"name": "conf", "key": "level"}),
            env("E", "configMapKeyRef", {"name": "conf", "key": "gone", "optional": True}),
            env("F", "configMapKeyRef", {"name": "unknown", "key": "gone"}),
            env("G", "configMapKeyRef", {"name": "conf"}),
            env("H", "configMapKeyRef", {"key": "x"}),
            {"name": "I", "value": "plain"},
        ],
    }
    init = {"env": [{"valueFrom": {"secretKeyRef": {"name": "creds", "key": "tokn"}}}]}
    w = workload(
        containers=[app, "junk"],
        initContainers=[init],
        ephemeralContainers=[{"name": "dbg", "env": [env("J", "secretKeyRef", {"name": "creds", "key": "tokn"})]}],
    )
    assert keys([cm, sec, w]) == [
        (
            "error",
            "ref.secret-key",
            "spec.template.spec",
            "creds/tokn",
            "container '?' env ?, container 'app' env B, container 'app' env C, container 'dbg' env J read key "
            "'tokn' of Secret 'creds', which will hold only token; the kubelet refuses to start the container",
            "did you mean 'token'? use one of its keys, or add 'tokn' where the Secret is made",
        ),
        (
            "error",
            "ref.configmap-key",
            "spec.template.spec",
            "conf/levle",
            "container 'app' env A reads key 'levle' of ConfigMap 'conf', which will hold only level, mode; "
            "the kubelet refuses to start the container",
            "did you mean 'level'? use one of its keys, or add 'levle' where the ConfigMap is made",
        ),
    ]


def test_the_same_place_twice_is_named_once_and_an_empty_object() -> None:
    cm = config_map("empty", {})
    app = {"name": "app", "env": [env("A", "configMapKeyRef", {"name": "empty", "key": "k"})] * 2}
    assert [r[4] for r in keys([cm, workload(containers=[app])])] == [
        "container 'app' env A reads key 'k' of ConfigMap 'empty', which will hold only no keys; the kubelet "
        "refuses to start the container"
    ]
    assert keys([config_map("empty", {}, ns="other"), workload(containers=[app])]) == []


def test_volume_keys() -> None:
    cm = config_map("conf", {"a": "1"})
    sec = secret("creds", {"s": "1"})
    volumes = [
        {"name": "v1", "secret": {"secretName": "creds", "items": [{"key": "x"}, {"path": "p"}, {"key": "s"}]}},
        {"name": "v2", "configMap": {"name": "conf", "items": [{"key": "y"}]}},
        {"name": "v3", "configMap": {"name": "conf", "optional": True, "items": [{"key": "z"}]}},
        {"name": "v4", "secret": {"name": "creds", "items": [{"key": "w"}]}},
        {
            "name": "v5",
            "projected": {
                "sources": [
                    {"secret": {"name": "creds", "items": [{"key": "p1"}]}},
                    {"configMap": {"name": "conf", "items": [{"key": "p2"}]}},
                    {"secret": {"name": "creds", "optional": True, "items": [{"key": "p3"}]}},
                ]
            },
        },
        {"secret": {"secretName": "creds", "items": [{"key": "q"}]}},
        "junk",
    ]
    got = [(r[1], r[3], r[4].split(" of ")[0]) for r in keys([cm, sec, workload(containers=[], volumes=volumes)])]
    assert got == [
        ("ref.secret-key", "creds/x", "volume 'v1' items reads key 'x'"),
        ("ref.configmap-key", "conf/y", "volume 'v2' items reads key 'y'"),
        ("ref.secret-key", "creds/p1", "volume 'v5' items reads key 'p1'"),
        ("ref.configmap-key", "conf/p2", "volume 'v5' items reads key 'p2'"),
        ("ref.secret-key", "creds/q", "volume '?' items reads key 'q'"),
    ]


def test_keys_of_a_cronjob_use_its_namespace() -> None:
    cm = config_map("conf", {"a": "1"}, ns="jobs")
    app = {"name": "app", "env": [env("A", "configMapKeyRef", {"name": "conf", "key": "b"})]}
    cron = workload("backup", kind="CronJob", ns="jobs", containers=[app])
    assert [(r[2], r[3]) for r in keys([cm, cron])] == [("spec.jobTemplate.spec.template.spec", "conf/b")]


# -- Flux paths ------------------------------------------------------------------------------


def test_folders() -> None:
    objects = [
        obj({}, path="apps/blog/x.yaml"),
        obj({}, path="apps/shop/y.yaml"),
        obj({}, path="top.yaml"),
        obj({}, path="infra/a/b/c.yaml"),
    ]
    assert _folders(objects) == {"apps", "apps/blog", "apps/shop", "infra", "infra/a", "infra/a/b"}


def flux(kind: str, name: str, spec: dict[str, Any], group: str, ns: str = "flux-system") -> RenderedObject:
    manifest = {"apiVersion": f"{group}/v1", "kind": kind, "metadata": {"name": name, "namespace": ns}, "spec": spec}
    return obj(manifest, layer="flux", path=f"flux/{name}.yaml")


SOURCE = "source.toolkit.fluxcd.io"
KUST = "kustomize.toolkit.fluxcd.io"


def layer(
    path: Any, source: dict[str, Any] | None = None, group: str = KUST, kind: str = "Kustomization"
) -> RenderedObject:
    ref = source if source is not None else {"kind": "GitRepository", "name": "build"}
    return flux(kind, "l", {"path": path, "sourceRef": ref}, group)


def flux_rows(*objects: RenderedObject) -> list[tuple[str, str, str, str, str, str]]:
    tree = [obj({}, path="apps/blog/x.yaml"), obj({}, path="infra/y.yaml"), flux("GitRepository", "build", {}, SOURCE)]
    return rows(check_flux_paths([*tree, *objects]))


def test_flux_paths_that_exist() -> None:
    for path in ("./apps", "apps", "./apps/blog/", "./", "", None, ".", "./flux", "./apps/../infra"):
        assert flux_rows(layer(path)) == []


def test_a_missing_flux_path() -> None:
    assert flux_rows(layer("./aps")) == [
        (
            "error",
            "flux.path",
            "spec.path",
            "./aps",
            "spec.path './aps' is not a folder of the rendered tree that GitRepository 'build' serves, so Flux "
            "fails this Kustomization (kustomization path not found)",
            "did you mean './apps'? the tree's folders are ./apps, ./flux, ./infra; render the layer, or fix the path",
        )
    ]
    assert [r[5] for r in flux_rows(layer("zzz"))] == [
        "the tree's folders are ./apps, ./flux, ./infra; render the layer, or fix the path"
    ]
    assert [r[3] for r in flux_rows(layer("apps/blogg"))] == ["apps/blogg"]


def test_flux_paths_not_checked() -> None:
    assert flux_rows(layer("./x", {"kind": "OCIRepository", "name": "build"})) == []
    assert flux_rows(layer("./x", {"kind": "GitRepository", "name": "other"})) == []
    assert flux_rows(layer("./x", {"kind": "GitRepository", "name": "build", "namespace": "elsewhere"})) == []
    assert len(flux_rows(layer("./x", {"kind": "GitRepository", "name": "build", "namespace": "flux-system"}))) == 1
    assert flux_rows(layer("./x", group="x.io")) == []
    assert flux_rows(layer("./x", kind="HelmRelease")) == []
    apps_layer = obj(
        {
            "apiVersion": f"{KUST}/v1",
            "kind": "Kustomization",
            "metadata": {"name": "l", "namespace": "flux-system"},
            "spec": {"path": "./x", "sourceRef": {"kind": "GitRepository", "name": "build"}},
        }
    )
    assert flux_rows(apps_layer) == []
    # no GitRepository in layer flux: nothing checked
    other_source = obj(
        {
            "apiVersion": f"{SOURCE}/v1",
            "kind": "GitRepository",
            "metadata": {"name": "build", "namespace": "flux-system"},
        }
    )
    wrong_group = flux("GitRepository", "build", {}, "x.io")
    assert list(check_flux_paths([other_source, wrong_group, layer("./x")])) == []
    bucket = flux("Bucket", "build", {}, SOURCE)
    assert list(check_flux_paths([bucket, layer("./x")])) == []


# -- tunnel routes -----------------------------------------------------------------------------


def test_route_target() -> None:
    inv = Inventory([obj({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})], ClusterFacts())
    assert _route_target("10.0.0.1", "blog", inv) is None
    assert _route_target("::1", "blog", inv) is None
    assert _route_target("web", "blog", inv) == ("blog", "web")
    assert _route_target("web.shop.svc.cluster.local", "blog", inv) == ("shop", "web")
    assert _route_target("web.shop.svc", "blog", inv) == ("shop", "web")
    assert _route_target("a.web.shop.svc", "blog", inv) is None
    assert _route_target("shop.svc", "blog", inv) is None
    assert _route_target("web.shop", "blog", inv) == ("shop", "web")
    assert _route_target("web.nope", "blog", inv) is None
    assert _route_target("a.web.shop", "blog", inv) is None
    assert _route_target("example.org", "blog", inv) is None


def tunnel_config(*services: str, ns: str = "blog") -> RenderedObject:
    routes = "".join(f"- hostname: h{i}.example.org\n  service: {s}\n" for i, s in enumerate(services))
    config = f"tunnel: blog\ningress:\n{routes}- service: http_status:404\n"
    return config_map("cloudflared", {"config.yaml": config}, ns=ns)


def tunnel_rows(
    objects: list[RenderedObject], facts: ClusterFacts | None = None
) -> list[tuple[str, str, str, str, str, str]]:
    return rows(check_tunnel_services(objects, Inventory(objects, facts or ClusterFacts())))


WEB = service(ports=[{"name": "http", "port": 80}, {"port": 443}, {"port": 22}])


def test_routes_that_work_or_are_not_checked() -> None:
    routes = (
        "http://web:80",
        "http://web",
        "https://web",
        "ssh://web",
        "tcp://web:443",
        "http://WEB:80",
        "http://web.blog.svc.cluster.local",
        "http://10.0.0.1:1",
        "http://public.example.org",
        "unix:/tmp/sock",
        "hello_world",
        "http_status:418",
        "ftp://missing:21",
        "http://web:port",
        "http://",
        "tcp://web",
    )
    assert tunnel_rows([WEB, tunnel_config(*routes)]) == []


def test_a_route_to_a_missing_service() -> None:
    assert tunnel_rows([WEB, tunnel_config("http://wbe:80", "https://web.shop.svc:443")]) == [
        (
            "error",
            "tunnel.service",
            "data.config.yaml",
            "http://wbe:80",
            "route h0.example.org goes to http://wbe:80: Service 'wbe' does not exist in namespace 'blog', so "
            "every request to it fails (502)",
            "did you mean 'web'? route to an existing Service, or render it",
        ),
        (
            "error",
            "tunnel.service",
            "data.config.yaml",
            "https://web.shop.svc:443",
            "route h1.example.org goes to https://web.shop.svc:443: Service 'web' does not exist in namespace "
            "'shop', so every request to it fails (502)",
            "route to an existing Service, or render it",
        ),
    ]


def test_a_route_to_a_port_the_service_lacks() -> None:
    got = tunnel_rows([WEB, tunnel_config("http://web:8080", "wss://web", "rdp://web", "smb://web", "ws://web")])
    assert [r[4] for r in got] == [
        f"route h{i}.example.org goes to {s}: Service 'web' has no port {p} (it serves 80/http, 443, 22), so every "
        "request to it fails (502)"
        for i, s, p in ((0, "http://web:8080", 8080), (2, "rdp://web", 3389), (3, "smb://web", 445))
    ]
    assert {(r[0], r[1], r[2], r[5]) for r in got} == {
        (
            "error",
            "tunnel.service-port",
            "data.config.yaml",
            "route to one of the Service's ports (the `port`, not the container's targetPort)",
        )
    }
    empty = service(ports=[])
    assert [r[4] for r in tunnel_rows([empty, tunnel_config("http://web:1")])] == [
        "route h0.example.org goes to http://web:1: Service 'web' has no port 1 (it serves none), so every request "
        "to it fails (502)"
    ]


def test_external_and_external_name_services_ports_are_unknown() -> None:
    ext = service(ports=[{"port": 1}], type="ExternalName")
    assert tunnel_rows([ext, tunnel_config("http://web:80")]) == []
    facts = ClusterFacts(external=frozenset({("Service", "blog", "outside")}))
    assert tunnel_rows([tunnel_config("http://outside:80")], facts) == []


# -- GPU capacity ------------------------------------------------------------------------------

GPU = "nvidia.com/gpu"


def test_count() -> None:
    assert _count(True) is None
    assert _count(3) == 3
    assert _count("4") == 4
    assert _count("4.5") is None
    assert _count(None) is None
    assert _count(2.0) is None


def limits(n: Any, side: str = "limits") -> dict[str, Any]:
    return {"resources": {side: {GPU: n}}}


def test_pod_demand() -> None:
    assert _pod_demand({}, GPU) == 0
    assert _pod_demand({"containers": [limits(1), limits(2), {}]}, GPU) == 3
    assert _pod_demand({"containers": [limits(1)], "initContainers": [limits(4), limits(2)]}, GPU) == 4
    assert _pod_demand({"containers": [limits(3)], "initContainers": [limits(2)]}, GPU) == 3
    assert _pod_demand({"containers": [limits(2, "requests")]}, GPU) == 2
    both = {"resources": {"limits": {GPU: 1}, "requests": {GPU: 5}}}
    assert _pod_demand({"containers": [both]}, GPU) == 1
    bad_limit = {"resources": {"limits": {GPU: "x"}, "requests": {GPU: 2}}}
    assert _pod_demand({"containers": [bad_limit, "junk"]}, GPU) == 2


def replicas_of(kind: str, **spec: Any) -> int:
    api = "batch/v1" if kind in ("Job", "CronJob") else "apps/v1"
    return _replicas(obj({"apiVersion": api, "kind": kind, "metadata": {"name": "x"}, "spec": spec}))


def test_replicas() -> None:
    for kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        assert replicas_of(kind) == 1
        assert replicas_of(kind, replicas=3) == 3
        assert replicas_of(kind, replicas=0) == 0
        assert replicas_of(kind, replicas="x") == 1
    assert replicas_of("Job") == 1
    assert replicas_of("Job", parallelism=4, replicas=9) == 4
    assert replicas_of("CronJob", jobTemplate={"spec": {"parallelism": 5}}) == 5
    assert replicas_of("CronJob") == 1
    assert replicas_of("DaemonSet", replicas=7) == 1
    assert replicas_of("Pod", replicas=7) == 1


POOL = NodePool(name="gpu1", labels={"gpu": "yes"}, taints=(Taint(key=GPU),), allocatable={GPU: 2})
POOL2 = NodePool(name="gpu2", labels={"gpu": "yes"}, allocatable={GPU: 1}, size=2)
CPU = NodePool(name="cpu", labels={"cpu": "yes"})
TOLERATE = [{"key": GPU, "operator": "Exists"}]


def gpu_app(name: str, n: Any, *, kind: str = "Deployment", replicas: int | None = None, **pod: Any) -> RenderedObject:
    container = {"name": "c", **limits(n)}
    w = workload(name, kind=kind, containers=[container], tolerations=TOLERATE, nodeSelector={"gpu": "yes"}, **pod)
    if replicas is not None:
        w.manifest["spec"]["replicas"] = replicas
    return w


def gpu_rows(objects: list[RenderedObject], pools: list[NodePool]) -> list[tuple[str, str, str, str, str, str]]:
    return [(r[1], r[3], r[4], r[5], r[0], r[2]) for r in rows(check_gpu_capacity(objects, pools))]


def test_no_allocatable_nothing_checked() -> None:
    assert list(check_gpu_capacity([gpu_app("a", 99)], [CPU])) == []


def test_a_pod_asking_more_than_any_node_offers() -> None:
    assert gpu_rows([gpu_app("a", 3)], [POOL, POOL2, CPU]) == [
        (
            "node.capacity",
            "3 nvidia.com/gpu",
            "spec.template.spec: each pod asks for 3 nvidia.com/gpu, but the nodes it can run on (gpu1, gpu2) "
            "offer at most 2 each, so its pods stay Pending",
            "ask for at most 2, select a pool with more, or add time-slicing to the pool",
            "error",
            "",
        )
    ]
    assert gpu_rows([gpu_app("a", 2)], [POOL]) == []


def test_pods_that_fit_nowhere_or_ask_nothing_are_skipped() -> None:
    lost = workload("a", containers=[limits(1)], nodeSelector={"zone": "mars"})
    none = workload("b", containers=[limits(0)], nodeSelector={"gpu": "yes"})
    assert gpu_rows([lost, none], [POOL2]) == []


def test_replicas_over_the_pools_capacity() -> None:
    # gpu1 offers 2, gpu2 offers 1 on each of 2 nodes: 4 in all
    assert gpu_rows([gpu_app("a", 1, replicas=4)], [POOL, POOL2]) == []
    got = gpu_rows([gpu_app("a", 1, replicas=3), gpu_app("b", 1, replicas=2)], [POOL, POOL2])
    assert got == [
        (
            "node.capacity",
            "gpu1, gpu2",
            "spec.template.spec: asks for 3 nvidia.com/gpu together with Deployment blog/b (2): 5 in all, but node "
            "pool(s) gpu1, gpu2 offer 4, so 1 stay Pending",
            "lower replicas or GPUs per pod, add time-slicing to the pool, or add nodes",
            "error",
            "",
        ),
        (
            "node.capacity",
            "gpu1, gpu2",
            "spec.template.spec: asks for 2 nvidia.com/gpu together with Deployment blog/a (3): 5 in all, but node "
            "pool(s) gpu1, gpu2 offer 4, so 1 stay Pending",
            "lower replicas or GPUs per pod, add time-slicing to the pool, or add nodes",
            "error",
            "",
        ),
    ]
    alone = gpu_rows([gpu_app("a", 2, replicas=2)], [POOL])
    assert [r[2] for r in alone] == [
        "spec.template.spec: asks for 4 nvidia.com/gpu: 4 in all, but node pool(s) gpu1 offer 2, so 2 stay Pending"
    ]
    assert gpu_rows([gpu_app("a", 1, replicas=0)], [POOL]) == []


def test_pods_only_offered_by_the_bigger_pool_are_counted_there() -> None:
    # a 2-GPU pod only fits gpu1; 1-GPU pods can go to either
    got = gpu_rows([gpu_app("big", 2, replicas=1), gpu_app("small", 1, replicas=2)], [POOL, POOL2])
    assert got == []
    got = gpu_rows([gpu_app("big", 2, replicas=2)], [POOL, POOL2])
    assert [r[1] for r in got] == ["gpu1"]


def test_a_daemon_set_on_every_node_it_fits() -> None:
    ds = gpu_app("ds", 1, kind="DaemonSet")
    assert gpu_rows([ds], [POOL, POOL2]) == []
    dep = gpu_app("a", 1, replicas=1)
    got = gpu_rows([ds, dep], [POOL2])
    assert [r[2] for r in got] == [
        "spec.template.spec: asks for 2 nvidia.com/gpu together with Deployment blog/a (1): 3 in all, but node "
        "pool(s) gpu2 offer 2, so 1 stay Pending",
        "spec.template.spec: asks for 1 nvidia.com/gpu together with DaemonSet blog/ds (2): 3 in all, but node "
        "pool(s) gpu2 offer 2, so 1 stay Pending",
    ]


def test_several_resources_are_each_checked() -> None:
    pool = NodePool(name="p", allocatable={"a.io/x": 1, "b.io/y": 1})
    w = workload("w", containers=[{"resources": {"limits": {"a.io/x": 2, "b.io/y": 3}}}])
    assert [r[1] for r in gpu_rows([w], [pool])] == ["2 a.io/x", "3 b.io/y"]


# -- skipped objects do not stop the walk -------------------------------------------------------


def test_a_skipped_service_does_not_stop_the_next_one() -> None:
    pods = [workload(containers=[{"name": "a", "ports": PORTS}])]
    bad = [{"port": 80, "targetPort": "nope"}]
    objects = [
        *pods,
        service("a", ports=bad, selector={}),
        service("b", ports=bad, type="ExternalName"),
        service(ports=bad),
    ]
    assert [(f.ref, f.value) for f in check_service_target_ports(objects)] == [("Service/blog/web", "nope")]


def test_skipped_layers_do_not_stop_the_next_one() -> None:
    objects = [
        layer("./x1", group="x.io"),
        layer("./x2", {"kind": "OCIRepository", "name": "build"}),
        layer("./x3", {"kind": "GitRepository", "name": "other"}),
        layer("./apps"),
        layer("./x4"),
    ]
    assert [r[3] for r in flux_rows(*objects)] == ["./x4"]


def test_flux_paths_are_normalised_like_flux() -> None:
    assert flux_rows(layer("/apps")) == []
    assert flux_rows(layer("apps/")) == []
    assert [r[3] for r in flux_rows(layer("apps./"))] == ["apps./"]
    assert [r[3] for r in flux_rows(layer("./appsX"))] == ["./appsX"]
    assert [r[3] for r in flux_rows(layer("X/apps"))] == ["X/apps"]


def test_skipped_routes_do_not_stop_the_next_one() -> None:
    ns = obj({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "blog"}})
    config = tunnel_config(
        "hello_world", "http://10.0.0.1", "http://public.example.org", "http://web.blog", "http://wbe"
    )
    got = tunnel_rows([ns, WEB, config])
    assert [(r[1], r[3]) for r in got] == [("tunnel.service", "http://wbe")]


def test_a_missing_port_finding_names_the_route() -> None:
    got = tunnel_rows([WEB, tunnel_config("http://web:8080")])
    assert [(r[0], r[1], r[2], r[3]) for r in got] == [
        ("error", "tunnel.service-port", "data.config.yaml", "http://web:8080")
    ]


def test_pools_without_the_resource_offer_none() -> None:
    cpu_only = workload("c", containers=[limits(1)], nodeSelector={"cpu": "yes"})
    assert [r[2] for r in gpu_rows([cpu_only], [POOL, CPU])] == [
        "spec.template.spec: each pod asks for 1 nvidia.com/gpu, but the nodes it can run on (cpu) offer at most 0 "
        "each, so its pods stay Pending"
    ]
    anywhere = workload("a", containers=[limits(1)], tolerations=TOLERATE)
    assert gpu_rows([anywhere], [CPU, POOL]) == []
    two = workload("a", containers=[limits(1)], tolerations=TOLERATE)
    two.manifest["spec"]["replicas"] = 3
    assert [r[1] for r in gpu_rows([two], [CPU, POOL])] == ["gpu1"]


def test_skipped_pods_do_not_stop_the_next_ones() -> None:
    none = workload("none", containers=[{"name": "c"}], nodeSelector={"gpu": "yes"}, tolerations=TOLERATE)
    lost = workload("lost", containers=[limits(1)], nodeSelector={"zone": "mars"})
    big = gpu_app("big", 5)
    over = gpu_app("over", 1, replicas=5)
    got = gpu_rows([none, lost, big, over], [POOL, POOL2])
    assert [(r[1], r[2].split(":")[1]) for r in got] == [
        (
            "5 nvidia.com/gpu",
            " each pod asks for 5 nvidia.com/gpu, but the nodes it can run on (gpu1, gpu2) offer at most 2 each, so its pods stay Pending",
        ),
        ("gpu1, gpu2", " asks for 5 nvidia.com/gpu"),
    ]


def test_pods_asking_nothing_and_zero_replicas_are_not_counted() -> None:
    ds = workload("ds", kind="DaemonSet", containers=[{"name": "c"}], tolerations=TOLERATE)
    zero = gpu_app("zero", 1, replicas=0)
    over = gpu_app("over", 1, replicas=2)
    got = gpu_rows([ds, zero, over], [POOL])
    assert got == []
    over3 = gpu_app("over", 1, replicas=3)
    assert [r[2] for r in gpu_rows([ds, zero, over3], [POOL])] == [
        "spec.template.spec: asks for 3 nvidia.com/gpu: 3 in all, but node pool(s) gpu1 offer 2, so 1 stay Pending"
    ]


def test_three_pods_name_the_two_others() -> None:
    apps = [gpu_app(n, 1) for n in ("a", "b", "c")]
    got = gpu_rows(apps, [POOL])
    assert next(r[2] for r in got) == (
        "spec.template.spec: asks for 1 nvidia.com/gpu together with Deployment blog/b (1), Deployment blog/c (1): "
        "3 in all, but node pool(s) gpu1 offer 2, so 1 stay Pending"
    )


def pool(name: str) -> NodePool:
    return NodePool(name=name, labels={"p": name}, allocatable={GPU: 1})


def test_pool_groups_are_checked_each_in_name_order() -> None:
    names = ["p5", "p3", "p1", "p4", "p2", "p0"]
    pools = [pool(n) for n in names]
    fine = workload("fine", containers=[limits(1)], nodeSelector={"p": "p0"})
    apps = [workload(n, containers=[limits(1)], nodeSelector={"p": n}) for n in names[:-1]]
    for a in apps:
        a.manifest["spec"]["replicas"] = 2
    got = gpu_rows([fine, *apps], pools)
    assert [r[1] for r in got] == ["p1", "p2", "p3", "p4", "p5"]
