"""Cross-object semantics (fako.validation.semantics, Certificate and Flux sources in
references): one passing and one failing case per check, messages asserted."""

from __future__ import annotations

from typing import Any

import pytest

from fako.rendered import RenderedObject
from fako.validation import ClusterFacts, Finding, NodePool, Taint, validate

# -- builders ------------------------------------------------------------------------------


def obj(manifest: dict[str, Any], *, layer: str = "apps", app: str = "blog", path: str = "") -> RenderedObject:
    return RenderedObject(
        layer=layer,
        app=app,
        manifest=manifest,
        path=path or f"{layer}/{app}/{app}.yaml",
        construct_path=f"cluster/{layer}/{app}",
        construct_class="Blog",
        source="fako.apps.blog:1",
    )


def namespace(name: str = "blog") -> RenderedObject:
    return obj({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}, app=name)


def workload(
    name: str = "web",
    *,
    containers: list[dict[str, Any]],
    kind: str = "Deployment",
    labels: dict[str, str] | None = None,
    ns: str = "blog",
    replicas: int | None = None,
    **pod: Any,
) -> RenderedObject:
    labels = labels or {"app": name}
    spec: dict[str, Any] = {
        "selector": {"matchLabels": labels},
        "template": {"metadata": {"labels": labels}, "spec": {"containers": containers, **pod}},
    }
    if replicas is not None:
        spec["replicas"] = replicas
    return obj({"apiVersion": "apps/v1", "kind": kind, "metadata": {"name": name, "namespace": ns}, "spec": spec})


def service(
    name: str = "web", *, ports: list[dict[str, Any]], selector: dict[str, str] | None = None
) -> RenderedObject:
    return obj(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "namespace": "blog"},
            "spec": {"selector": selector or {"app": name}, "ports": ports},
        }
    )


def config_map(name: str, data: dict[str, str]) -> RenderedObject:
    return obj({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": "blog"}, "data": data})


def secret_volume_pod(secret: str, key: str, **source: Any) -> RenderedObject:
    volume = {"name": "creds", "secret": {"secretName": secret, "items": [{"key": key, "path": "x"}], **source}}
    return workload("reader", containers=[{"name": "app", "image": "busybox:1"}], volumes=[volume])


def env_pod(kind: str, name: str, key: str, **ref: Any) -> RenderedObject:
    field = "secretKeyRef" if kind == "Secret" else "configMapKeyRef"
    env = [{"name": "TOKEN", "valueFrom": {field: {"name": name, "key": key, **ref}}}]
    return workload("reader", containers=[{"name": "app", "image": "busybox:1", "env": env}])


def external_secret(name: str, spec: dict[str, Any]) -> RenderedObject:
    return obj(
        {
            "apiVersion": "external-secrets.io/v1",
            "kind": "ExternalSecret",
            "metadata": {"name": name, "namespace": "blog"},
            "spec": {"secretStoreRef": {"kind": "ClusterSecretStore", "name": "aws"}, **spec},
        }
    )


STORE = obj(
    {"apiVersion": "external-secrets.io/v1", "kind": "ClusterSecretStore", "metadata": {"name": "aws"}, "spec": {}},
    layer="infrastructure-configs",
    app="stores",
)


def cluster_issuer(name: str) -> RenderedObject:
    return obj(
        {"apiVersion": "cert-manager.io/v1", "kind": "ClusterIssuer", "metadata": {"name": name}, "spec": {}},
        layer="infrastructure-configs",
        app="cert-manager",
    )


def run(objects: list[RenderedObject], facts: ClusterFacts | None = None) -> list[Finding]:
    return list(validate([namespace(), *objects], facts or ClusterFacts(), schemas=False).findings)


def only(findings: list[Finding], *checks: str) -> list[Finding]:
    return [f for f in findings if f.check in checks]


# -- 1. probe ports ------------------------------------------------------------------------

WEB_PORTS = [{"name": "http", "containerPort": 8080}]


def probed(port: Any, *, hook: bool = False) -> RenderedObject:
    container: dict[str, Any] = {"name": "web", "image": "nginx:1", "ports": WEB_PORTS}
    if hook:
        container["lifecycle"] = {"preStop": {"httpGet": {"path": "/quit", "port": port}}}
    else:
        container["readinessProbe"] = {"httpGet": {"path": "/", "port": port}}
    return workload(containers=[container])


def test_a_declared_probe_port_by_name_or_number_is_fine() -> None:
    assert only(run([probed("http"), probed(8080)]), "probe.port") == []


def test_a_probe_naming_an_undeclared_port_is_an_error_with_the_closest_name() -> None:
    [f] = only(run([probed("htp")]), "probe.port")
    assert (f.severity, f.field, f.value) == (
        "error",
        "spec.template.spec.containers[0].readinessProbe.httpGet.port",
        "htp",
    )
    assert f.message == (
        "container 'web' readinessProbe names port 'htp', which the container does not declare "
        "(its ports: 8080/http); the kubelet cannot resolve it, so the readinessProbe always fails"
    )
    assert f.fix.startswith("did you mean 'http'? declare the port")


def test_a_lifecycle_hook_naming_an_undeclared_port_is_an_error() -> None:
    [f] = only(run([probed("admin", hook=True)]), "probe.port")
    assert f.field == "spec.template.spec.containers[0].lifecycle.preStop.httpGet.port"
    assert "preStop hook names port 'admin'" in f.message and f.message.endswith("so the preStop hook always fails")


def test_a_probe_on_an_undeclared_number_is_a_warning() -> None:
    [f] = only(run([probed(2000)]), "probe.port")
    assert (f.severity, f.value) == ("warning", "2000")
    assert f.message == (
        "container 'web' readinessProbe uses port 2000, which the container does not declare (its ports: 8080/http)"
    )


# -- 1b. Service target ports --------------------------------------------------------------


def web(ports: list[dict[str, Any]], **pod: Any) -> RenderedObject:
    return workload(containers=[{"name": "web", "image": "nginx:1", "ports": ports}], **pod)


def test_target_ports_by_name_and_number_that_the_pods_declare() -> None:
    objects = [web(WEB_PORTS), service(ports=[{"name": "a", "port": 80, "targetPort": "http"}, {"port": 8080}])]
    assert only(run(objects), "service.target-port") == []


def test_a_named_target_port_no_selected_pod_declares_is_an_error() -> None:
    objects = [web(WEB_PORTS), service(ports=[{"name": "web", "port": 80, "targetPort": "htttp"}])]
    [f] = only(run(objects), "service.target-port")
    assert (f.severity, f.ref, f.field, f.value) == ("error", "Service/blog/web", "spec.ports[0].targetPort", "htttp")
    assert f.message == (
        "port 'web' targets port name 'htttp' (TCP), which no container of the pods it selects declares "
        "(Deployment web: ports 8080/http); the endpoints controller leaves those pods out, so the Service "
        "has no endpoints"
    )
    assert f.fix.startswith("did you mean 'http'?")


def test_a_named_target_port_must_match_the_protocol_too() -> None:
    objects = [web(WEB_PORTS), service(ports=[{"name": "dns", "port": 53, "targetPort": "http", "protocol": "UDP"}])]
    [f] = only(run(objects), "service.target-port")
    assert "targets port name 'http' (UDP)" in f.message


def test_a_sidecar_port_counts_a_plain_init_container_port_does_not() -> None:
    init = {"name": "proxy", "image": "envoy:1", "ports": [{"name": "proxy", "containerPort": 15001}]}
    main = [{"name": "web", "image": "nginx:1"}]
    ports = [{"port": 80, "targetPort": "proxy"}]
    sidecar = workload(containers=main, initContainers=[{**init, "restartPolicy": "Always"}])
    assert only(run([sidecar, service(ports=ports)]), "service.target-port") == []
    plain = workload(containers=main, initContainers=[init])
    [f] = only(run([plain, service(ports=ports)]), "service.target-port")
    assert "targets port name 'proxy'" in f.message


def test_a_numeric_target_port_no_container_declares_is_a_warning() -> None:
    [f] = only(run([web(WEB_PORTS), service(ports=[{"port": 80, "targetPort": 8081}])]), "service.target-port")
    assert (f.severity, f.value) == ("warning", "8081")
    assert f.message == (
        "port 80 targets port 8081 (TCP), which no container of the pods it selects declares "
        "(Deployment web: ports 8080/http)"
    )


def test_a_service_selecting_no_rendered_pod_is_left_to_the_selector_check() -> None:
    findings = run([web(WEB_PORTS), service("db", ports=[{"port": 5432, "targetPort": "pg"}])])
    assert only(findings, "service.target-port") == []
    assert only(findings, "ref.service-selector")


# -- 2. Secret and ConfigMap keys ------------------------------------------------------------


def test_a_config_map_key_that_exists_and_one_that_does_not() -> None:
    settings = config_map("settings", {"LOG_LEVEL": "info", "MODE": "prod"})
    assert only(run([settings, env_pod("ConfigMap", "settings", "MODE")]), "ref.configmap-key") == []
    [f] = only(run([settings, env_pod("ConfigMap", "settings", "LOG_LEVL")]), "ref.configmap-key")
    assert (f.ref, f.value) == ("Deployment/blog/reader", "settings/LOG_LEVL")
    assert f.message == (
        "container 'app' env TOKEN reads key 'LOG_LEVL' of ConfigMap 'settings', which will hold only "
        "LOG_LEVEL, MODE; the kubelet refuses to start the container"
    )
    assert f.fix == "did you mean 'LOG_LEVEL'? use one of its keys, or add 'LOG_LEVL' where the ConfigMap is made"


def test_external_secret_keys_are_its_data_secret_keys() -> None:
    es = external_secret("api", {"data": [{"secretKey": "token", "remoteRef": {"key": "blog/api"}}]})
    assert only(run([STORE, es, env_pod("Secret", "api", "token")]), "ref.secret-key") == []
    [f] = only(run([STORE, es, env_pod("Secret", "api", "tokn")]), "ref.secret-key")
    assert "reads key 'tokn' of Secret 'api', which will hold only token;" in f.message
    assert f.fix.startswith("did you mean 'token'?")


def test_an_external_secret_template_replaces_or_merges_the_keys() -> None:
    data = [{"secretKey": "password", "remoteRef": {"key": "blog/db"}}]
    template = {"data": {"DATABASE_URL": "postgres://{{ .password }}@db"}}
    replaced = external_secret("db", {"data": data, "target": {"template": template}})
    [f] = only(run([STORE, replaced, env_pod("Secret", "db", "password")]), "ref.secret-key")
    assert "which will hold only DATABASE_URL;" in f.message
    merged = external_secret("db", {"data": data, "target": {"template": {**template, "mergePolicy": "Merge"}}})
    assert only(run([STORE, merged, env_pod("Secret", "db", "password")]), "ref.secret-key") == []


def test_keys_that_cannot_be_known_are_not_checked() -> None:
    from_all = external_secret("api", {"dataFrom": [{"extract": {"key": "blog/api"}}]})
    assert only(run([STORE, from_all, env_pod("Secret", "api", "anything")]), "ref.secret-key") == []
    facts = ClusterFacts(external=frozenset({("Secret", "blog", "made-by-hand")}))
    assert only(run([env_pod("Secret", "made-by-hand", "x")], facts), "ref.secret-key") == []


def test_optional_references_are_skipped() -> None:
    settings = config_map("settings", {"MODE": "prod"})
    assert only(run([settings, env_pod("ConfigMap", "settings", "OTHER", optional=True)]), "ref.configmap-key") == []


def test_sops_secret_keys_are_read_in_clear_and_volume_items_checked() -> None:
    sops = obj(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "creds", "namespace": "blog"},
            "stringData": {"credentials.json": "ENC[AES256_GCM,data:abc=,type:str]"},
            "sops": {"mac": "ENC[...]", "version": "3.11.0"},
        }
    )
    assert only(run([sops, secret_volume_pod("creds", "credentials.json")]), "ref.secret-key") == []
    [f] = only(run([sops, secret_volume_pod("creds", "credentials.yaml")]), "ref.secret-key")
    assert f.message.startswith("volume 'creds' items reads key 'credentials.yaml' of Secret 'creds'")


def test_projected_volume_items_are_checked() -> None:
    settings = config_map("settings", {"MODE": "prod"})
    volume = {
        "name": "all",
        "projected": {"sources": [{"configMap": {"name": "settings", "items": [{"key": "mode"}]}}]},
    }
    pod = workload("reader", containers=[{"name": "app", "image": "busybox:1"}], volumes=[volume])
    [f] = only(run([settings, pod]), "ref.configmap-key")
    assert f.value == "settings/mode" and f.fix.startswith("did you mean 'MODE'?")


# -- 3. Certificates -------------------------------------------------------------------------


def certificate(issuer: dict[str, str]) -> RenderedObject:
    return obj(
        {
            "apiVersion": "cert-manager.io/v1",
            "kind": "Certificate",
            "metadata": {"name": "web", "namespace": "blog"},
            "spec": {"secretName": "web-tls", "dnsNames": ["blog.example.org"], "issuerRef": issuer},
        }
    )


def test_a_certificate_from_an_existing_issuer_makes_its_tls_keys() -> None:
    issued = certificate({"name": "letsencrypt", "kind": "ClusterIssuer"})
    findings = run([cluster_issuer("letsencrypt"), issued, secret_volume_pod("web-tls", "tls.crt")])
    assert only(findings, "ref.cluster-issuer", "ref.issuer", "ref.secret", "ref.secret-key") == []
    [f] = only(run([cluster_issuer("letsencrypt"), issued, secret_volume_pod("web-tls", "tls.pem")]), "ref.secret-key")
    assert "which will hold only ca.crt, tls.crt, tls.key;" in f.message and f.fix.startswith("did you mean 'tls.key'?")


def test_a_certificate_naming_a_missing_issuer_and_its_secret_are_reported() -> None:
    issued = certificate({"name": "letsencrypt"})  # kind defaults to Issuer, in the Certificate's namespace
    findings = run([cluster_issuer("letsencrypt"), issued, secret_volume_pod("web-tls", "tls.crt")])
    [issuer] = only(findings, "ref.issuer")
    assert (issuer.ref, issuer.value) == ("Certificate/blog/web", "letsencrypt")
    assert issuer.message == "issuerRef names Issuer 'letsencrypt', which does not exist in namespace 'blog'"
    [secret] = only(findings, "ref.secret")
    assert secret.ref == "Deployment/blog/reader"
    assert secret.message == (
        "volume 'creds' names Secret 'web-tls', which does not exist in namespace 'blog' (Certificate blog/web "
        "asks Issuer 'letsencrypt' for it, which does not exist in namespace 'blog', so cert-manager never "
        "makes it)"
    )
    assert secret.fix.startswith("name an issuer that exists, or declare")


def test_a_certificate_names_its_issuer_by_kind_and_external_issuers_are_not_checked() -> None:
    issuers = ("ref.cluster-issuer", "ref.issuer")
    cluster = certificate({"name": "le", "kind": "ClusterIssuer", "group": "cert-manager.io"})
    [f] = only(run([cluster]), *issuers)
    assert (f.check, f.message) == ("ref.cluster-issuer", "issuerRef names ClusterIssuer 'le', which does not exist")
    # an issuer of another API group (an external issuer) and a kind cert-manager does not know are not checked
    for issuer in (
        {"name": "pca", "kind": "AWSPCAClusterIssuer", "group": "awspca.cert-manager.io"},
        {"name": "x", "kind": "Other"},
        {"kind": "ClusterIssuer"},
        {"name": "le", "kind": "ClusterIssuer", "group": "issuers.example.com"},
    ):
        assert only(run([certificate(issuer)]), *issuers) == [], issuer


def test_an_ingress_tls_secret_exists_only_when_its_cluster_issuer_does() -> None:
    def ingress(issuer: str) -> RenderedObject:
        return obj(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "Ingress",
                "metadata": {
                    "name": "web",
                    "namespace": "blog",
                    "annotations": {"cert-manager.io/cluster-issuer": issuer},
                },
                "spec": {"tls": [{"hosts": ["blog.example.org"], "secretName": "web-tls"}]},
            }
        )

    assert only(run([cluster_issuer("letsencrypt"), ingress("letsencrypt")]), "ref.secret") == []
    [f] = only(run([cluster_issuer("letsencrypt"), ingress("letsencrypt-prod")]), "ref.secret")
    assert "(cert-manager for Ingress blog/web asks ClusterIssuer 'letsencrypt-prod' for it" in f.message


# -- 4. Flux ---------------------------------------------------------------------------------


def flux(kind: str, name: str, spec: dict[str, Any]) -> RenderedObject:
    api = {
        "GitRepository": "source.toolkit.fluxcd.io/v1",
        "OCIRepository": "source.toolkit.fluxcd.io/v1",
        "Kustomization": "kustomize.toolkit.fluxcd.io/v1",
        "HelmRelease": "helm.toolkit.fluxcd.io/v2",
    }[kind]
    manifest = {"apiVersion": api, "kind": kind, "metadata": {"name": name, "namespace": "flux-system"}, "spec": spec}
    return obj(manifest, layer="flux", app="flux", path="flux/flux/flux.yaml")


FLUX = [
    namespace("flux-system"),
    flux("GitRepository", "fako-build", {"url": "ssh://git@example.org/x", "ref": {"branch": "build"}}),
]


def layer(path: str, source: str = "fako-build") -> RenderedObject:
    return flux("Kustomization", "fako-apps", {"path": path, "sourceRef": {"kind": "GitRepository", "name": source}})


def test_a_layer_kustomization_points_at_a_folder_of_the_render() -> None:
    assert only(run([*FLUX, layer("./apps")]), "flux.path", "ref.flux-source") == []  # the blog namespace is in apps/


def test_a_layer_missing_from_the_render_is_an_error() -> None:
    [f] = only(run([*FLUX, layer("./aps")]), "flux.path")
    assert (f.ref, f.field, f.value) == ("Kustomization/flux-system/fako-apps", "spec.path", "./aps")
    assert f.message == (
        "spec.path './aps' is not a folder of the rendered tree that GitRepository 'fako-build' serves, so "
        "Flux fails this Kustomization (kustomization path not found)"
    )
    assert f.fix == "did you mean './apps'? the tree's folders are ./apps, ./flux; render the layer, or fix the path"


def test_a_kustomization_source_must_exist() -> None:
    [f] = only(run([*FLUX, layer("./apps", source="fako-bulid")]), "ref.flux-source")
    assert f.message == "sourceRef names GitRepository 'fako-bulid', which does not exist in namespace 'flux-system'"
    assert f.fix.startswith("did you mean 'fako-build'?")


def test_a_helm_release_chart_ref_must_exist() -> None:
    release = flux("HelmRelease", "app", {"chartRef": {"kind": "OCIRepository", "name": "chart"}})
    [f] = only(run([*FLUX, release]), "ref.chart-source")
    assert f.message == "chartRef names OCIRepository 'chart', which does not exist in namespace 'flux-system'"
    oci = flux("OCIRepository", "chart", {"url": "oci://example.org/chart"})
    assert only(run([*FLUX, release, oci]), "ref.chart-source") == []


# -- 5. tunnel routes ------------------------------------------------------------------------


def tunnel(*services: str) -> RenderedObject:
    routes = "".join(f"- hostname: h{i}.example.org\n  service: {s}\n" for i, s in enumerate(services))
    config = f"tunnel: blog\ncredentials-file: /etc/creds.json\ningress:\n{routes}- service: http_status:404\n"
    return config_map("cloudflared", {"config.yaml": config})


SVC = [web(WEB_PORTS), service(ports=[{"name": "http", "port": 80, "targetPort": "http"}])]


def test_routes_to_existing_services_and_ports_and_outside_the_cluster() -> None:
    routes = (
        "http://web:80",
        "http://web",
        "http://web.blog.svc.cluster.local:80",
        "http://web.blog:80",
        "https://api.example.org:443",
        "http://192.168.1.10:8123",
        "hello_world",
        "http_status:418",
    )
    assert only(run([*SVC, tunnel(*routes)]), "tunnel.service", "tunnel.service-port") == []


def test_a_route_to_a_missing_service_is_an_error() -> None:
    [f] = only(run([*SVC, tunnel("http://wbe:80")]), "tunnel.service")
    assert (f.ref, f.field, f.value) == ("ConfigMap/blog/cloudflared", "data.config.yaml", "http://wbe:80")
    assert f.message == (
        "route h0.example.org goes to http://wbe:80: Service 'wbe' does not exist in namespace 'blog', so every "
        "request to it fails (502)"
    )
    assert f.fix.startswith("did you mean 'web'?")


def test_a_route_to_another_namespace_by_cluster_name() -> None:
    [f] = only(run([*SVC, tunnel("http://web.shop.svc.cluster.local:80")]), "tunnel.service")
    assert "Service 'web' does not exist in namespace 'shop'" in f.message


def test_a_route_to_a_port_the_service_lacks_is_an_error() -> None:
    [f] = only(run([*SVC, tunnel("http://web:8080")]), "tunnel.service-port")
    assert f.message == (
        "route h0.example.org goes to http://web:8080: Service 'web' has no port 8080 (it serves 80/http), so "
        "every request to it fails (502)"
    )


# -- 6. GPU capacity -------------------------------------------------------------------------

GPU_POOL = NodePool(
    name="nvidia-gpu01",
    labels={"kubernetes.io/hostname": "gpu01", "nvidia.com/gpu.present": "true"},
    taints=(Taint(key="nvidia.com/gpu"),),
    allocatable={"nvidia.com/gpu": 1},
)
CPU_POOL = NodePool(name="cpu01", labels={"kubernetes.io/hostname": "cpu01"})
GPU_FACTS = ClusterFacts(node_pools=(GPU_POOL, CPU_POOL))


def gpu_app(name: str, gpus: int | str = 1, replicas: int = 1, kind: str = "Deployment") -> RenderedObject:
    container = {"name": name, "image": "cuda:12", "resources": {"limits": {"nvidia.com/gpu": gpus}}}
    return workload(
        name,
        containers=[container],
        kind=kind,
        replicas=replicas if kind != "DaemonSet" else None,
        nodeSelector={"nvidia.com/gpu.present": "true"},
        tolerations=[{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
    )


def test_gpu_requests_within_the_pool() -> None:
    assert only(run([gpu_app("whisper")], GPU_FACTS), "node.capacity") == []
    assert only(run([gpu_app("whisper", replicas=0), gpu_app("ollama")], GPU_FACTS), "node.capacity") == []


def test_one_pod_asking_more_than_a_node_offers() -> None:
    [f] = only(run([gpu_app("whisper", gpus="2")], GPU_FACTS), "node.capacity")
    assert (f.ref, f.value) == ("Deployment/blog/whisper", "2 nvidia.com/gpu")
    assert f.message == (
        "spec.template.spec: each pod asks for 2 nvidia.com/gpu, but the nodes it can run on (nvidia-gpu01) "
        "offer at most 1 each, so its pods stay Pending"
    )


def test_replicas_and_apps_together_over_the_pool() -> None:
    [f] = only(run([gpu_app("whisper", replicas=2)], GPU_FACTS), "node.capacity")
    assert f.message == (
        "spec.template.spec: asks for 2 nvidia.com/gpu: 2 in all, but node pool(s) nvidia-gpu01 offer 1, so 1 stay Pending"
    )
    findings = only(run([gpu_app("whisper"), gpu_app("ollama")], GPU_FACTS), "node.capacity")
    assert [(f.ref, f.value) for f in findings] == [
        ("Deployment/blog/ollama", "nvidia-gpu01"),
        ("Deployment/blog/whisper", "nvidia-gpu01"),
    ]
    assert "asks for 1 nvidia.com/gpu together with Deployment blog/ollama (1): 2 in all" in findings[1].message


def test_time_slicing_multiplies_the_capacity() -> None:
    sliced = GPU_POOL.model_copy(update={"allocatable": {"nvidia.com/gpu": 4}})
    facts = ClusterFacts(node_pools=(sliced, CPU_POOL))
    assert only(run([gpu_app("whisper", replicas=2), gpu_app("ollama", replicas=2)], facts), "node.capacity") == []


def test_a_daemon_set_takes_its_share_on_every_node_it_fits() -> None:
    two = GPU_POOL.model_copy(update={"size": 2})
    facts = ClusterFacts(node_pools=(two, CPU_POOL))
    assert only(run([gpu_app("exporter", kind="DaemonSet")], facts), "node.capacity") == []
    [_, f] = only(run([gpu_app("exporter", kind="DaemonSet"), gpu_app("whisper")], facts), "node.capacity")
    assert f.ref == "Deployment/blog/whisper" and "3 in all, but node pool(s) nvidia-gpu01 offer 2" in f.message


# -- 8. one app in the cluster's context -----------------------------------------------------


def two_apps_sharing_a_host() -> list[RenderedObject]:
    def ingress(app: str, host: str) -> RenderedObject:
        backend = {"service": {"name": "web", "port": {"number": 80}}}
        rule = {"host": host, "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": backend}]}}
        manifest = {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": app, "namespace": app},
            "spec": {"rules": [rule]},
        }
        return obj(manifest, app=app)

    return [
        namespace("hello"),
        namespace("shop"),
        namespace("blog"),
        ingress("hello", "shop.example.org"),
        ingress("shop", "shop.example.org"),
        ingress("blog", "blog.example.org"),  # broken on its own: Service web does not exist
    ]


def test_for_apps_keeps_the_apps_findings_and_what_they_cause_elsewhere() -> None:
    from fako.checks import for_apps, run_validation

    objects = two_apps_sharing_a_host()
    facts = ClusterFacts()
    whole = run_validation(objects, facts, schemas=False)
    assert {f.ref for f in whole.errors} == {"Ingress/hello/hello", "Ingress/shop/shop", "Ingress/blog/blog"}
    judged = for_apps(whole, objects, facts, ["hello"], complete=False)
    assert sorted((f.ref, f.check) for f in judged.errors) == [
        ("Ingress/hello/hello", "host.duplicate"),
        ("Ingress/hello/hello", "ref.service"),
        ("Ingress/shop/shop", "host.duplicate"),  # exists only because hello claims the host too
    ]
    assert judged.objects == 2  # the hello namespace and Ingress


def test_an_app_file_replaces_the_cluster_app_of_the_same_name(tmp_path: Any) -> None:
    from fako.appfile import switch_on, with_app_file
    from fako.clusters.staging import CLUSTER
    from fako.errors import FakoError

    app = tmp_path / "whisperx.py"
    app.write_text(
        "from fako.tree import AppConstruct\n\n\n"
        "class Whisperx(AppConstruct):\n    '''A stand-in.'''\n\n    name = 'whisperx'\n    default_layer = 'lab'\n\n"
        "    def build(self) -> None:\n        pass\n"
    )
    changed, names = with_app_file(CLUSTER, app)
    assert names == ("whisperx",)
    where = [
        (layer.name, u.app.__module__) for layer in changed.layers for u in layer.units if u.app.name == "whisperx"
    ]
    assert where == [("lab", "_fako_appfile_whisperx")]
    assert [layer.name for layer in changed.layers][-1] == "lab" and changed.facts is CLUSTER.facts
    on = switch_on(CLUSTER, ["ollama"])
    assert [u.enabled for layer in on.layers for u in layer.units if u.app.name == "ollama"] == [True]
    try:
        switch_on(CLUSTER, ["nosuch"])
    except FakoError as exc:
        assert str(exc) == "no app named 'nosuch' in cluster 'staging'; `fako apps` lists them"
    else:
        raise AssertionError("an unknown app was switched on")


def readme_app(tmp_path: Any, host: str | None = None) -> Any:
    import re

    from conftest import ROOT

    [code] = [
        b for b in re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(), re.S) if "AppConstruct" in b
    ]
    path = tmp_path / "hello.py"
    path.write_text(code if host is None else code.replace("hello.example.org", host))
    return path


@pytest.mark.cluster  # validates the whole cluster in-process (left out of mutation runs)
def test_the_readme_app_validates_clean_in_the_cluster(tmp_path: Any) -> None:
    import json

    from conftest import fako

    proc = fako("validate", "--app-file", str(readme_app(tmp_path)), "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    report = json.loads(proc.stdout)
    assert report["summary"]["error"] == 0 and report["summary"]["objects"] == 4
    assert {f["app"] for f in report["findings"]} <= {"hello"}


@pytest.mark.cluster  # validates the whole cluster in-process (left out of mutation runs)
def test_an_app_claiming_a_real_apps_host_fails_naming_both(tmp_path: Any) -> None:
    from conftest import fako

    app = readme_app(tmp_path, host="umami.landryzetam.net")
    proc = fako("synth", "--app-file", str(app), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1 and not (tmp_path / "out").exists()
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error ")]
    assert [line.split()[1] for line in errors] == ["Ingress/hello/hello", "Ingress/umami/umami"]
    assert "host 'umami.landryzetam.net' (path /) is also claimed by Ingress umami/umami (apps/umami)" in errors[0]
    assert "host 'umami.landryzetam.net' (path /) is also claimed by Ingress hello/hello (apps/hello)" in errors[1]
    assert "2 errors, 3 warnings, 0 allowed in 4 objects: failed" in proc.stderr


@pytest.mark.cluster  # validates the whole cluster in-process (left out of mutation runs)
def test_validate_one_app_of_the_cluster() -> None:
    import json

    from conftest import fako

    proc = fako("validate", "--app", "ollama", "--format", "json")  # switched off: switched on for the run
    assert proc.returncode == 0, proc.stdout + proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    assert findings and {f["app"] for f in findings} == {"ollama"}
    assert any(f["check"] == "psa.host-namespaces" and f["allowed"] for f in findings)
    proc = fako("validate", "--app", "nosuch")
    assert proc.returncode == 2 and "no app named 'nosuch' in cluster 'staging'" in proc.stderr
