"""The validation engine: one seeded mistake per check, asserted by id and message text."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from fako.errors import FakoError
from fako.rendered import RenderedObject
from fako.validation import Allowance, ClusterFacts, Finding, NodePool, Report, SchemaSet, Taint, load_tree, validate
from fako.validation.files import MAX_FILE_BYTES

# -- builders --------------------------------------------------------------------------


def obj(manifest: dict[str, Any], *, layer: str = "apps", app: str = "") -> RenderedObject:
    meta = manifest.get("metadata", {})
    return RenderedObject(
        layer=layer,
        app=app or meta.get("namespace") or meta.get("name", ""),
        manifest=manifest,
        path=f"{layer}/{app or 'x'}/{manifest['kind'].lower()}.yaml",
        construct_path=f"cluster/{app}",
        construct_class="Blog",
        source="fako.apps.blog:12",
    )


def meta(name: str, ns: str = "blog", **extra: Any) -> dict[str, Any]:
    return {"name": name, "namespace": ns, **extra}


def namespace(name: str = "blog") -> RenderedObject:
    return obj({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}, app=name)


def container(name: str = "web", image: str = "nginx:1.27.3", **extra: Any) -> dict[str, Any]:
    probe = {"httpGet": {"path": "/", "port": 80}}
    return {
        "name": name,
        "image": image,
        "ports": [{"name": "http", "containerPort": 80}],
        "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}, "limits": {"memory": "64Mi"}},
        "livenessProbe": probe,
        "readinessProbe": probe,
        **extra,
    }


def deployment(
    name: str = "web",
    ns: str = "blog",
    *,
    labels: dict[str, str] | None = None,
    containers: list[dict[str, Any]] | None = None,
    app: str = "",
    **pod: Any,
) -> RenderedObject:
    labels = labels or {"app": name}
    spec = {"securityContext": {"runAsNonRoot": True, "runAsUser": 1000}, **pod}
    spec["containers"] = containers or [container()]
    return obj(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": meta(name, ns),
            "spec": {"selector": {"matchLabels": labels}, "template": {"metadata": {"labels": labels}, "spec": spec}},
        },
        app=app,
    )


def service(name: str = "web", ns: str = "blog", selector: dict[str, str] | None = None) -> RenderedObject:
    return obj(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": meta(name, ns),
            "spec": {"selector": selector or {"app": name}, "ports": [{"name": "http", "port": 80, "targetPort": 80}]},
        }
    )


def ingress(
    name: str = "web",
    ns: str = "blog",
    host: str = "blog.example.org",
    annotations: dict[str, str] | None = None,
    **spec: Any,
) -> RenderedObject:
    backend = {"service": {"name": "web", "port": {"number": 80}}}
    return obj(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": meta(name, ns, annotations=annotations or {}),
            "spec": {
                "ingressClassName": "traefik",
                "rules": [{"host": host, "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": backend}]}}],
                **spec,
            },
        }
    )


def issuer(name: str) -> RenderedObject:
    return obj(
        {"apiVersion": "cert-manager.io/v1", "kind": "ClusterIssuer", "metadata": {"name": name}, "spec": {"acme": {}}},
        layer="infrastructure-configs",
        app="cert-manager",
    )


def tunnel_config(ns: str, tunnel: str, hosts: list[str]) -> RenderedObject:
    # the origin is outside the cluster: these tests are about hostnames, not route targets
    routes = "".join(f"- hostname: {h}\n  service: http://origin.example.net:80\n" for h in hosts)
    config = f"tunnel: {tunnel}\ncredentials-file: /etc/creds.json\ningress:\n{routes}- service: http_status:404\n"
    return obj(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta("cloudflared", ns), "data": {"config.yaml": config}}
    )


ENC = "ENC[AES256_GCM,data:YWJj,iv:aXZpdml2aXZpdml2,tag:dGFndGFndGFndGFn,type:str]"
"""A value in SOPS's encrypted form (the shape `secret.sops` checks; not real ciphertext)."""


def sops_secret(name: str, ns: str = "blog") -> RenderedObject:
    return obj(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": meta(name, ns),
            "data": {"token": ENC},
            "sops": {"age": [], "mac": ENC, "encrypted_regex": "^(data|stringData)$", "version": "3.11.0"},
        }
    )


def base() -> list[RenderedObject]:
    """A clean little app: namespace, deployment, service, ingress, issuers."""
    return [
        namespace(),
        deployment(),
        service(),
        ingress(annotations={"cert-manager.io/cluster-issuer": "letsencrypt-production"}),
        issuer("letsencrypt-production"),
        issuer("letsencrypt-staging"),
        issuer("letsencrypt-dns01"),
    ]


def run(objects: list[RenderedObject], facts: ClusterFacts | None = None, **kwargs: Any) -> Report:
    return validate(objects, facts or ClusterFacts(), **kwargs)


def only(report: Report, check: str) -> list[Finding]:
    return [f for f in report.findings if f.check == check]


def checks(report: Report) -> list[str]:
    return [f.check for f in report.findings]


# -- the baseline ------------------------------------------------------------------------


def test_clean_app_has_no_findings() -> None:
    report = run(base())
    assert report.findings == ()
    assert report.ok
    assert report.summary() == "0 errors, 0 warnings, 0 allowed in 7 objects: ok"


# -- references --------------------------------------------------------------------------


def test_missing_cluster_issuer_lists_the_real_ones() -> None:
    objects = base()
    objects[3] = ingress(annotations={"cert-manager.io/cluster-issuer": "letsencrypt-prod"})
    report = run(objects)
    [f] = report.findings
    assert f.render() == (
        "error  Ingress/blog/web  (fako.apps.blog:12 Blog)  ref.cluster-issuer: names ClusterIssuer "
        "'letsencrypt-prod', which does not exist; fix: use one of letsencrypt-production, "
        "letsencrypt-staging, letsencrypt-dns01"
    )
    assert not report.ok


def test_the_json_report_is_indented_with_sorted_keys() -> None:
    objects = base()
    objects[3] = ingress(annotations={"cert-manager.io/cluster-issuer": "letsencrypt-prod"})
    text = run(objects).to_json()
    assert text.startswith('{\n  "findings": [\n    {\n      "allowed": "",\n      "app": "blog",\n')
    assert text.endswith(
        '  "summary": {\n    "allowed": 0,\n    "error": 1,\n    "objects": 7,\n    "ok": false,\n    "warning": 0\n  }\n}'
    )


def test_ingress_class_nginx_is_not_served() -> None:
    objects = base()
    objects[3] = ingress(ingressClassName="nginx")
    [f] = run(objects).findings
    assert (f.check, f.message, f.fix) == (
        "ref.ingress-class",
        "ingressClassName names IngressClass 'nginx', which does not exist",
        "use one of traefik",
    )


def test_ingress_class_annotation_is_checked_too() -> None:
    objects = base()
    objects[3] = ingress(annotations={"kubernetes.io/ingress.class": "nginx"})
    objects[3].manifest["spec"].pop("ingressClassName")
    [f] = run(objects).findings
    assert f.message == "kubernetes.io/ingress.class names IngressClass 'nginx', which does not exist"


def test_missing_secret_names_every_place_once() -> None:
    env = [
        {"name": "A", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "a"}}},
        {"name": "B", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "b"}}},
        {"name": "C", "valueFrom": {"secretKeyRef": {"name": "maybe", "key": "c", "optional": True}}},
    ]
    objects = [namespace(), deployment(containers=[container(env=env)]), service()]
    [f] = run(objects).findings
    assert f.check == "ref.secret"
    assert f.message == "container 'web' env A, B name Secret 'creds', which does not exist in namespace 'blog'"
    assert f.fix == (
        "render it in namespace 'blog' or declare ('Secret', 'blog', 'creds') in the cluster facts' external list"
    )


def test_secret_made_by_external_secret_sops_or_declared_external_exists() -> None:
    volumes = [
        {"name": "a", "secret": {"secretName": "from-es"}},
        {"name": "b", "secret": {"secretName": "from-sops"}},
        {"name": "c", "secret": {"secretName": "by-hand"}},
        {"name": "d", "projected": {"sources": [{"configMap": {"name": "kube-root-ca.crt"}}]}},
    ]
    es = obj(
        {
            "apiVersion": "external-secrets.io/v1",
            "kind": "ExternalSecret",
            "metadata": meta("es"),
            "spec": {"secretStoreRef": {"name": "aws", "kind": "SecretStore"}, "target": {"name": "from-es"}},
        }
    )
    store = obj(
        {
            "apiVersion": "external-secrets.io/v1",
            "kind": "SecretStore",
            "metadata": meta("aws"),
            "spec": {
                "provider": {
                    "aws": {"auth": {"secretRef": {"accessKeyIDSecretRef": {"name": "from-sops", "key": "token"}}}}
                }
            },
        }
    )
    objects = [namespace(), deployment(volumes=volumes), service(), es, store, sops_secret("from-sops")]
    facts = ClusterFacts(external=frozenset({("Secret", "blog", "by-hand")}))
    assert run(objects, facts).findings == ()
    assert checks(run(objects)) == ["ref.secret"]


def test_external_secret_needs_its_store() -> None:
    es = obj(
        {
            "apiVersion": "external-secrets.io/v1",
            "kind": "ExternalSecret",
            "metadata": meta("es"),
            "spec": {"secretStoreRef": {"name": "aws-secrets-store"}},
        }
    )
    store = obj({"apiVersion": "external-secrets.io/v1", "kind": "SecretStore", "metadata": meta("aws-secret-store")})
    [f] = run([namespace(), es, store]).findings
    assert (f.check, f.message, f.fix) == (
        "ref.secret-store",
        "secretStoreRef names SecretStore 'aws-secrets-store', which does not exist in namespace 'blog'",
        "did you mean 'aws-secret-store'? otherwise render it or declare "
        "('SecretStore', 'blog', 'aws-secrets-store') in the cluster facts' external list",
    )


def test_configmap_pvc_and_service_account_references() -> None:
    volumes = [
        {"name": "conf", "configMap": {"name": "web-config"}},
        {"name": "data", "persistentVolumeClaim": {"claimName": "web-data"}},
    ]
    objects = [namespace(), deployment(volumes=volumes, serviceAccountName="web"), service()]
    report = run(objects)
    assert [(f.check, f.message) for f in report.findings] == [
        ("ref.configmap", "volume 'conf' names ConfigMap 'web-config', which does not exist in namespace 'blog'"),
        ("ref.pvc", "volume 'data' names PersistentVolumeClaim 'web-data', which does not exist in namespace 'blog'"),
        (
            "ref.service-account",
            "serviceAccountName names ServiceAccount 'web', which does not exist in namespace 'blog'",
        ),
    ]


def test_image_pull_secrets_of_a_pod_and_a_service_account_must_exist() -> None:
    account = obj(
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": meta("builder"),
            "imagePullSecrets": [{"name": "ghcr-pull"}],
            "secrets": [{"name": "builder-token"}],
        }
    )
    objects = [namespace(), deployment(imagePullSecrets=[{"name": "dockerhub-registry"}]), service(), account]
    report = run(objects)
    assert sorted((f.check, f.ref, f.value, f.message) for f in report.findings) == [
        (
            "ref.secret",
            "Deployment/blog/web",
            "dockerhub-registry",
            "imagePullSecrets names Secret 'dockerhub-registry', which does not exist in namespace 'blog'",
        ),
        (
            "ref.secret",
            "ServiceAccount/blog/builder",
            "builder-token",
            "secrets names Secret 'builder-token', which does not exist in namespace 'blog'",
        ),
        (
            "ref.secret",
            "ServiceAccount/blog/builder",
            "ghcr-pull",
            "imagePullSecrets names Secret 'ghcr-pull', which does not exist in namespace 'blog'",
        ),
    ]
    # the same objects with the Secrets present: nothing to report
    present = [*objects, sops_secret("dockerhub-registry"), sops_secret("ghcr-pull"), sops_secret("builder-token")]
    assert run(present).findings == ()


def test_ingress_tls_secret_must_exist() -> None:
    objects = base()
    objects[3] = ingress(tls=[{"hosts": ["blog.example.org"], "secretName": "blog-tls"}])
    [f] = run(objects).findings
    assert (f.check, f.ref, f.value, f.message) == (
        "ref.secret",
        "Ingress/blog/web",
        "blog-tls",
        "tls names Secret 'blog-tls', which does not exist in namespace 'blog'",
    )
    assert run([*objects, sops_secret("blog-tls")]).findings == ()


def test_default_service_account_always_exists_and_bindings_are_checked() -> None:
    binding = obj(
        {
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": meta("read"),
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
            "subjects": [
                {"kind": "ServiceAccount", "name": "default", "namespace": "blog"},
                {"kind": "ServiceAccount", "name": "keycloak", "namespace": "dev-keycloak"},
            ],
        }
    )
    [f] = run([namespace(), binding]).findings
    assert f.message == "subject names ServiceAccount 'keycloak', which does not exist in namespace 'dev-keycloak'"


def test_ingress_backend_port_must_exist_on_the_service() -> None:
    objects = base()
    objects[3].manifest["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]["port"] = {"name": "https"}
    [f] = run(objects).findings
    assert (f.check, f.message, f.fix) == (
        "ref.service-port",
        "backend names port 'https' of Service 'web', which has no such port",
        "use one of 80/http",
    )


def test_middleware_annotation_must_name_a_traefik_middleware() -> None:
    middleware = obj(
        {"apiVersion": "traefik.io/v1alpha1", "kind": "Middleware", "metadata": meta("lan-only"), "spec": {}}
    )
    objects = [*base(), middleware]
    note = "traefik.ingress.kubernetes.io/router.middlewares"
    objects[3].manifest["metadata"]["annotations"][note] = (
        "blog-lan-only@kubernetescrd, default-timeout-middleware@kubernetescrd"
    )
    [f] = run(objects).findings
    assert f.check == "ref.middleware"
    assert f.message.startswith(f"{note} names 'default-timeout-middleware@kubernetescrd', which matches no")
    assert f.fix.startswith("use one of blog-lan-only@kubernetescrd")


def test_storage_class_priority_and_runtime_class_come_from_facts() -> None:
    pvc = obj(
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": meta("data"),
            "spec": {"storageClassName": "nfs-client", "accessModes": ["ReadWriteOnce"]},
        }
    )
    objects = [namespace(), pvc, deployment(priorityClassName="high", runtimeClassName="nvidia"), service()]
    report = run(objects)
    assert [(f.check, f.message) for f in report.findings] == [
        ("ref.priority-class", "priorityClassName names PriorityClass 'high', which does not exist"),
        ("ref.storage-class", "names StorageClass 'nfs-client', which does not exist"),
    ]
    assert only(report, "ref.storage-class")[0].fix == (
        "use one of '', local-path, nfs-backup, nfs-csi-v2, nfs-postgres-v2, nfs-security-logs"
    )


def test_depends_on_must_name_an_existing_kustomization() -> None:
    def kustomization(name: str, depends: list[str]) -> RenderedObject:
        return obj(
            {
                "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
                "kind": "Kustomization",
                "metadata": meta(name, "flux-system"),
                "spec": {"dependsOn": [{"name": d} for d in depends], "path": f"./{name}", "prune": True},
            },
            layer="flux",
        )

    objects = [
        namespace("flux-system"),
        kustomization("infrastructure-configs", []),
        kustomization("apps", ["infra-configs"]),
    ]
    [f] = run(objects).findings
    assert (f.check, f.ref, f.message) == (
        "ref.depends-on",
        "Kustomization/flux-system/apps",
        "dependsOn names Kustomization 'infra-configs', which does not exist in namespace 'flux-system'",
    )
    assert f.fix.startswith("did you mean 'infrastructure-configs'?")


def test_service_selector_must_match_a_pod_template() -> None:
    objects = [
        namespace(),
        deployment(labels={"app": "redis"}),
        service("redis", selector={"app": "redis", "role": "master"}),
    ]
    [f] = run(objects).findings
    assert (f.check, f.message) == (
        "ref.service-selector",
        "selector app=redis, role=master matches no pod template in namespace 'blog'",
    )
    assert f.fix.startswith("pod templates there carry app=redis; change the selector or the pod labels")


def test_namespace_must_exist() -> None:
    report = run([deployment(ns="quantum-trades"), service(ns="quantum-trades")])
    assert [f.ref for f in report.findings] == ["Deployment/quantum-trades/web", "Service/quantum-trades/web"]
    assert checks(report) == ["ref.namespace", "ref.namespace"]
    assert report.findings[0].message == "metadata.namespace names Namespace 'quantum-trades', which does not exist"


# -- identities --------------------------------------------------------------------------


def test_object_in_two_layers_names_both() -> None:
    one = deployment(app="gpu-monitoring")
    two = obj(one.manifest, layer="monitoring-configs", app="all")
    [f] = run([namespace(), one, two, service()]).findings
    assert f.check == "identity.layers"
    assert f.message == (
        "is rendered by 2 Flux layers (apps, monitoring-configs): apps/gpu-monitoring (fako.apps.blog:12), "
        "monitoring-configs/all (fako.apps.blog:12); their Kustomizations would fight over it"
    )
    assert f.fix == "render it in one layer only"
    # an object read from a file has no construct source: its path is named instead
    loaded = RenderedObject("apps", "x", one.manifest, "apps/x/web.yaml", "", "", "")
    [f] = run([namespace(), one, loaded, service()]).findings
    assert "apps/gpu-monitoring (fako.apps.blog:12), apps/x (apps/x/web.yaml)" in f.message


def test_a_taint_reads_as_kubectl_writes_it() -> None:
    assert str(Taint(key="gpu", value="true", effect="NoExecute")) == "gpu=true:NoExecute"
    assert str(Taint(key="node-role.kubernetes.io/control-plane")) == "node-role.kubernetes.io/control-plane:NoSchedule"
    assert str(Taint(key="k", value="")) == "k=:NoSchedule"


def test_duplicate_in_one_layer() -> None:
    [f] = run([namespace(), deployment(), deployment(), service()]).findings
    assert f.check == "identity.duplicate"
    assert f.message.startswith("is rendered 2 times in layer 'apps'")


def test_sops_secret_and_external_secret_fight_over_one_secret() -> None:
    es = obj(
        {
            "apiVersion": "external-secrets.io/v1",
            "kind": "ExternalSecret",
            "metadata": meta("app-user-external-secret"),
            "spec": {"secretStoreRef": {"name": "aws"}, "target": {"name": "app-user-secret"}},
        }
    )
    store = obj({"apiVersion": "external-secrets.io/v1", "kind": "SecretStore", "metadata": meta("aws")})
    [f] = run([namespace(), sops_secret("app-user-secret"), store, es]).findings
    assert (f.check, f.ref) == ("identity.secret-owner", "Secret/blog/app-user-secret")
    assert f.message == (
        "Secret 'app-user-secret' in namespace 'blog' is created by SOPS Secret blog/app-user-secret and "
        "ExternalSecret blog/app-user-external-secret; they overwrite each other"
    )


# -- hosts -------------------------------------------------------------------------------


def test_same_host_on_two_ingresses_is_reported_on_both() -> None:
    objects = [*base(), ingress("web2")]
    found = [(f.check, f.ref, f.value, f.message) for f in run(objects).findings]
    assert found == [
        (
            "host.duplicate",
            "Ingress/blog/web",
            "blog.example.org",
            "host 'blog.example.org' (path /) is also claimed by Ingress blog/web2 (apps/blog)",
        ),
        (
            "host.duplicate",
            "Ingress/blog/web2",
            "blog.example.org",
            "host 'blog.example.org' (path /) is also claimed by Ingress blog/web (apps/blog)",
        ),
    ]


def test_one_host_split_by_path_across_ingresses_is_fine() -> None:
    api = ingress("api")
    api.manifest["spec"]["rules"][0]["http"]["paths"][0]["path"] = "/api"
    assert run([*base(), api]).findings == ()


def test_same_host_on_two_tunnels_and_on_an_ingress() -> None:
    objects = [
        *base(),
        namespace("n8n"),
        tunnel_config("blog", "blog-tunnel", ["blog.example.org"]),
        tunnel_config("n8n", "n8n-tunnel", ["Blog.example.org", "n8n.example.org"]),
    ]
    report = run(objects)
    assert [(f.severity, f.check, f.ref) for f in report.findings] == [
        ("error", "host.duplicate", "ConfigMap/blog/cloudflared"),
        ("error", "host.duplicate", "ConfigMap/n8n/cloudflared"),
        ("warning", "host.tunnel-and-ingress", "Ingress/blog/web"),
    ]
    assert report.findings[1].message == (
        "host 'blog.example.org' is routed by tunnel 'n8n-tunnel' here and also by tunnel 'blog-tunnel' "
        "(ConfigMap blog/cloudflared)"
    )
    assert report.findings[2].message.startswith(
        "host 'blog.example.org' is also routed by Cloudflare tunnel 'blog-tunnel' (ConfigMap blog/cloudflared)"
    )


def test_one_tunnel_with_two_ingress_lists() -> None:
    objects = [
        namespace(),
        namespace("n8n"),
        tunnel_config("blog", "fakocluster", ["blog.example.org"]),
        tunnel_config("n8n", "fakocluster", ["n8n.example.org"]),
    ]
    found = run(objects).findings
    assert [(f.check, f.ref, f.value) for f in found] == [
        ("tunnel.split-config", "ConfigMap/blog/cloudflared", "fakocluster"),
        ("tunnel.split-config", "ConfigMap/n8n/cloudflared", "fakocluster"),
    ]
    assert found[0].message.startswith(
        "tunnel 'fakocluster' is also configured by ConfigMap n8n/cloudflared with a different ingress list"
    )


# -- scheduling --------------------------------------------------------------------------

POOLS = (
    NodePool(
        name="control-plane",
        labels={"kubernetes.io/hostname": "zz-macbookpro", "node-role.kubernetes.io/control-plane": "true"},
        taints=(Taint(key="node-role.kubernetes.io/control-plane", effect="NoSchedule"),),
    ),
    NodePool(name="gpu", labels={"kubernetes.io/hostname": "thinkpad02", "nvidia.com/gpu.present": "true"}),
)


def test_node_selector_no_pool_has() -> None:
    objects = [namespace(), deployment(nodeSelector={"nvidia.com/gpu": "true"}), service()]
    [f] = run(objects, ClusterFacts(node_pools=POOLS)).findings
    assert (f.check, f.message, f.fix) == (
        "node.selector",
        "spec.template.spec: nodeSelector nvidia.com/gpu=true matches no node pool, so its pods stay Pending",
        "no node pool has label 'nvidia.com/gpu'; pools: control-plane, gpu; fix the selector or declare the pool",
    )


def test_selected_pool_tainted_and_unused_toleration() -> None:
    pod: dict[str, Any] = {
        "nodeSelector": {"node-role.kubernetes.io/control-plane": "true"},
        "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
    }
    objects = [namespace(), deployment(**pod), service()]
    report = run(objects, ClusterFacts(node_pools=POOLS))
    assert [(f.severity, f.check) for f in report.findings] == [("error", "node.taint"), ("warning", "node.toleration")]
    assert report.findings[0].message == (
        "spec.template.spec: every node pool it selects has a taint it does not tolerate "
        "(control-plane: node-role.kubernetes.io/control-plane:NoSchedule)"
    )
    pod["tolerations"] = [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}]
    assert run([namespace(), deployment(**pod), service()], ClusterFacts(node_pools=POOLS)).findings == ()


# -- policy ------------------------------------------------------------------------------


def test_plaintext_secret_is_an_error() -> None:
    plain = obj({"apiVersion": "v1", "kind": "Secret", "metadata": meta("db"), "stringData": {"password": "x"}})
    token = obj(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "type": "kubernetes.io/service-account-token",
            "metadata": meta("token", annotations={"kubernetes.io/service-account.name": "default"}),
        }
    )
    [f] = run([namespace(), plain, token, sops_secret("ok")]).findings
    assert (f.severity, f.check, f.ref, f.field, f.message) == (
        "error",
        "secret.plaintext",
        "Secret/blog/db",
        "stringData.password",
        "Secret holds a plaintext value ('***' (1 characters)) that would be committed to git",
    )


def test_latest_image_warns_and_can_be_promoted() -> None:
    objects = [namespace(), deployment(containers=[container(image="ollama/ollama:latest")]), service()]
    [f] = run(objects).findings
    assert (f.severity, f.check, f.message) == (
        "warning",
        "policy.image-tag",
        "container 'web' image 'ollama/ollama:latest' uses the moving tag ':latest'",
    )
    assert run(objects).ok
    promoted = run(objects, ClusterFacts(policy={"policy.image-tag": "error"}))
    assert [(f.severity, f.check) for f in promoted.findings] == [("error", "policy.image-tag")]
    assert not promoted.ok


def test_untagged_image_and_digest() -> None:
    objects = [
        namespace(),
        deployment(containers=[container(image="busybox"), container("pinned", image="busybox@sha256:abc")]),
        service(),
    ]
    [f] = run(objects).findings
    assert f.message == "container 'web' image 'busybox' has no tag, so it pulls ':latest'"


def test_resources_probes_and_root() -> None:
    bare = {"name": "web", "image": "nginx:1.27.3", "ports": [{"containerPort": 80}]}
    objects = [namespace(), deployment(containers=[bare], securityContext={}), service()]
    report = run(objects)
    assert [(f.check, f.message) for f in report.findings] == [
        ("policy.probes", "container 'web' has no livenessProbe and no readinessProbe"),
        ("policy.resources", "container 'web' sets no resource requests or limits"),
        (
            "policy.run-as-root",
            "spec.template.spec: container 'web' may run as root "
            "(no runAsNonRoot: true and no runAsUser > 0 at pod or container level)",
        ),
    ]
    assert all(f.severity == "warning" for f in report.findings)


def test_container_can_override_pod_run_as_user_to_root() -> None:
    root = container(securityContext={"runAsUser": 0})
    [f] = run([namespace(), deployment(containers=[root]), service()]).findings
    assert f.check == "policy.run-as-root"


# -- allow-list and fixtures ---------------------------------------------------------------


def test_allow_list_keeps_the_finding_with_its_reason() -> None:
    objects = base()
    objects[3] = ingress(annotations={"cert-manager.io/cluster-issuer": "letsencrypt-prod"})
    reason = "blog keeps its staging cert until the DNS move"
    allow = Allowance(check="ref.cluster-issuer", ref="Ingress/blog/web", value="letsencrypt-prod", reason=reason)
    report = run(objects, ClusterFacts(allow=(allow,)))
    [f] = report.findings
    assert f.allowed == reason
    assert report.ok
    assert report.counts == {"error": 0, "warning": 0, "allowed": 1}
    assert f.render().startswith("allowed  Ingress/blog/web")
    assert f.render().endswith(f"; allowed: {reason}")


def test_an_allow_list_entry_does_not_mask_a_new_mistake_on_the_same_object() -> None:
    objects = base()
    objects[3] = ingress(annotations={"cert-manager.io/cluster-issuer": "letsencrypt-typo"})
    allow = Allowance(check="ref.cluster-issuer", ref="Ingress/blog/web", value="letsencrypt-prod", reason="known")
    report = run(objects, ClusterFacts(allow=(allow,)))
    assert [(f.check, f.value, f.allowed) for f in report.findings] == [("ref.cluster-issuer", "letsencrypt-typo", "")]
    assert not report.ok


@pytest.mark.parametrize("ref", ["Ingress/blog/*", "Ingress/*/web", "Ingress/blog/we?", "Ingress/blog/[w]eb"])
def test_allow_list_entries_may_not_glob(ref: str) -> None:
    with pytest.raises(ValueError, match="allow-list entries name one object exactly"):
        Allowance(check="ref.cluster-issuer", ref=ref, value="x", reason="any")


def test_stale_allowance_is_an_error_on_a_complete_render() -> None:
    allow = Allowance(check="ref.secret", ref="Ingress/blog/web", value="web-tls", reason="old")
    facts = ClusterFacts(allow=(allow,))
    [f] = run(base(), facts, complete=True).findings
    assert (f.severity, f.check, f.ref) == ("error", "allow.stale", "Ingress/blog/web")
    assert f.message == (
        "stale allow-list entry: no ref.secret finding about 'web-tls' on Ingress/blog/web (reason given: old)"
    )
    # a partial render (enabled apps only) cannot tell: the finding may need a switched-off app
    assert run(base(), facts).findings == ()


def test_allowance_for_an_object_not_rendered_is_not_stale() -> None:
    """An entry for a switched-off app's object applies only when that app is rendered."""
    facts = ClusterFacts(allow=(Allowance(check="ref.secret", ref="Deployment/blog/gone", reason="off"),))
    assert run(base(), facts).findings == ()


def test_allowance_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="needs a reason"):
        Allowance(check="ref.secret", ref="x", reason=" ")


def test_fixture_app_is_exempt_from_reference_and_policy_checks_but_not_schemas() -> None:
    broken = deployment(
        "configerror",
        "selfheal-test",
        app="selfheal-test",
        containers=[container(image="busybox:latest", envFrom=[{"secretRef": {"name": "selfheal-missing"}}])],
        nodeSelector={"selfheal.test/nonexistent-node": "true"},
    )
    objects = [namespace("selfheal-test"), broken]
    assert {f.check for f in run(objects, ClusterFacts(node_pools=POOLS)).findings} == {
        "ref.secret",
        "node.selector",
        "policy.image-tag",
    }
    facts = ClusterFacts(node_pools=POOLS, fixtures=frozenset({"selfheal-test"}))
    assert run(objects, facts).findings == ()
    broken.manifest["spec"]["replica"] = 1
    assert checks(run(objects, facts)) == ["schema"]


def test_policy_facts_reject_unknown_checks() -> None:
    with pytest.raises(ValueError, match=r"unknown policy check policy\.imagetag"):
        ClusterFacts(policy={"policy.imagetag": "error"})


# -- schemas -----------------------------------------------------------------------------


def test_strict_schema_rejects_an_unknown_field() -> None:
    objects = base()
    objects[1].manifest["spec"]["template"]["spec"]["containers"][0]["imagePullPolicyy"] = "Always"
    [f] = run(objects).findings
    assert (f.check, f.message) == ("schema", "spec.template.spec.containers[0]: unknown field 'imagePullPolicyy'")
    assert f.fix.startswith("did you mean 'imagePullPolicy'?")


def test_schema_errors_name_the_field() -> None:
    objects = base()
    objects[2].manifest["spec"]["ports"][0]["port"] = "eighty"
    [f] = only(run(objects), "schema")
    assert (f.check, f.message) == ("schema", "spec.ports[0].port: 'eighty' is not of type 'integer'")


def test_unknown_core_kind_is_an_error() -> None:
    odd = obj({"apiVersion": "apps/v1", "kind": "Deploymnet", "metadata": meta("web")})
    [f] = run([namespace(), odd]).findings
    assert (f.check, f.message, f.fix) == (
        "schema.unknown-kind",
        "apps/v1 Deploymnet is not a kind Kubernetes 1.34 serves",
        "did you mean kind 'Deployment'?",
    )


def test_removed_api_version_names_the_served_one() -> None:
    old = obj({"apiVersion": "networking.k8s.io/v1beta1", "kind": "Ingress", "metadata": meta("web")})
    [f] = run([namespace(), old]).findings
    assert (f.message, f.fix) == (
        "networking.k8s.io/v1beta1 Ingress is not a kind Kubernetes 1.34 serves",
        "use apiVersion networking.k8s.io/v1",
    )


def test_inlined_schemas_keep_fields_named_like_keywords_and_recursive_types() -> None:
    priority = obj(
        {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": "zi-agent-remediator"},
            "value": 1000,
            "description": "a field named like a schema keyword",
        }
    )
    openapi = {"type": "object", "properties": {"spec": {"type": "object", "properties": {"a": {"tpye": "string"}}}}}
    crd = obj(
        {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": "plans.upgrade.cattle.io"},
            "spec": {
                "group": "upgrade.cattle.io",
                "names": {"kind": "Plan", "plural": "plans"},
                "scope": "Namespaced",
                "versions": [{"name": "v1", "served": True, "storage": True, "schema": {"openAPIV3Schema": openapi}}],
            },
        }
    )
    [f] = run([priority, crd]).findings
    assert f.ref == "CustomResourceDefinition/plans.upgrade.cattle.io"
    assert f.message == ("spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.a: unknown field 'tpye'")
    assert f.fix.startswith("did you mean 'type'?")


def test_sops_block_is_ignored_by_the_schema() -> None:
    assert run([namespace(), sops_secret("tunnel-credentials")]).findings == ()


def test_custom_resources_go_to_the_injected_validator() -> None:
    seen: list[str] = []

    def custom(manifest: dict[str, Any]) -> list[str]:
        seen.append(manifest["kind"])
        return ["spec.acme: server is required"] if manifest["metadata"]["name"] == "bad" else []

    objects = [*base(), issuer("bad")]
    assert run(objects).findings == ()  # no custom validator: custom resources are skipped
    [f] = run(objects, custom=custom).findings
    assert (f.check, f.ref, f.message) == ("schema.custom", "ClusterIssuer/bad", "spec.acme: server is required")
    assert seen == ["ClusterIssuer"] * 4  # built-in kinds never reach it


def test_schemas_can_be_skipped() -> None:
    objects = base()
    objects[1].manifest["spec"]["bogus"] = 1
    assert run(objects, schemas=False).findings == ()


def test_validator_is_built_once_per_kind() -> None:
    schemas = SchemaSet.for_version("1.34")
    assert SchemaSet.for_version("1.34") is schemas
    first = schemas.validator("apps/v1", "Deployment")
    run(base())
    run(base())
    assert schemas.validator("apps/v1", "Deployment") is first
    assert schemas.validator("v1", "Affinity") is None  # a sub-type, not a kind


def test_unshipped_kubernetes_version_is_a_clear_error() -> None:
    with pytest.raises(FakoError, match=r"ships no schemas for Kubernetes 1\.99"):
        run(base(), ClusterFacts(kubernetes_version="1.99"))


# -- report ------------------------------------------------------------------------------


def test_findings_are_sorted_and_render_as_json() -> None:
    objects = base()
    objects[3] = ingress(annotations={"cert-manager.io/cluster-issuer": "letsencrypt-prod"}, ingressClassName="nginx")
    objects.append(obj({"apiVersion": "v1", "kind": "Secret", "metadata": meta("a"), "data": {"k": "dg=="}}))
    report = run(objects)
    assert [(f.ref, f.check) for f in report.findings] == [
        ("Ingress/blog/web", "ref.cluster-issuer"),
        ("Ingress/blog/web", "ref.ingress-class"),
        ("Secret/blog/a", "secret.plaintext"),
    ]
    data = json.loads(report.to_json())
    assert data["summary"] == {"error": 3, "warning": 0, "allowed": 0, "objects": 8, "ok": False}
    assert data["findings"][0]["check"] == "ref.cluster-issuer"
    assert data["findings"][0]["source"] == "fako.apps.blog:12"
    assert report.to_text().splitlines()[-1] == "3 errors, 0 warnings, 0 allowed in 8 objects: failed"


# -- loading a tree ----------------------------------------------------------------------

SOPS_FILE = """apiVersion: v1
kind: Secret
metadata:
  name: tunnel-credentials
  namespace: blog
data:
  credentials.json: ENC[AES256_GCM,data:YWJj,iv:aXZpdml2aXZpdml2,tag:dGFndGFndGFndGFn,type:str]
sops:
  mac: ENC[AES256_GCM,data:eHl6,iv:aXZpdml2aXZpdml2,tag:dGFndGFndGFndGFn,type:str]
  encrypted_regex: ^(data|stringData)$
  version: 3.11.0
"""


def write(root: Path, relative: str, text: str | bytes) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text)
    return path


def test_load_tree_reads_layers_apps_and_sops_bytes(tmp_path: Path) -> None:
    write(tmp_path, "apps/blog/namespace.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: blog\n")
    write(tmp_path, "apps/blog/secret.yaml", SOPS_FILE)
    write(
        tmp_path,
        "apps/kustomization.yaml",
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [blog]\n",
    )
    write(tmp_path, "apps/.hidden/x.yaml", "- not: read\n")
    objects = load_tree(tmp_path)
    assert [(o.layer, o.app, o.ref, o.source) for o in objects] == [
        ("apps", "blog", "Namespace/blog", "apps/blog/namespace.yaml:1"),
        ("apps", "blog", "Secret/blog/tunnel-credentials", "apps/blog/secret.yaml:1"),
    ]
    assert objects[0].raw is None
    assert objects[1].raw == SOPS_FILE.encode()
    assert validate(objects, ClusterFacts()).findings == ()


def test_load_tree_refuses_alias_bombs(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [{', '.join([f'*{chr(96 + i)}'] * 10)}]")
    write(tmp_path, "apps/bomb/bomb.yaml", "\n".join(lines) + "\n")
    with pytest.raises(FakoError, match=r"apps/bomb/bomb\.yaml: refused: aliases expand to more than"):
        load_tree(tmp_path)


def test_load_tree_accepts_small_aliases(tmp_path: Path) -> None:
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  labels: &l {a: b}\n  annotations: *l\n"
    write(tmp_path, "apps/c/c.yaml", text)
    [loaded] = load_tree(tmp_path)
    assert loaded.manifest["metadata"]["annotations"] == {"a": "b"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- a\n- b\n", r"apps/x/bad\.yaml:1: a document is a list, not a mapping"),
        ("a: 1\na: 2\n", r"apps/x/bad\.yaml: refused: line 2: duplicate key 'a'"),
        ("a: !!python/object/apply:os.system [true]\n", r"apps/x/bad\.yaml: refused: could not determine"),
        ("a: [\n", r"apps/x/bad\.yaml: refused:"),
        (b"a: \xff\n", r"apps/x/bad\.yaml: not UTF-8"),
    ],
)
def test_load_tree_refuses_hostile_files(tmp_path: Path, text: str | bytes, message: str) -> None:
    write(tmp_path, "apps/x/bad.yaml", text)
    with pytest.raises(FakoError, match=message):
        load_tree(tmp_path)


def test_load_tree_refuses_huge_files(tmp_path: Path) -> None:
    path = write(tmp_path, "apps/x/big.yaml", "a: b\n")
    with path.open("r+b") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(FakoError, match=r"apps/x/big\.yaml: 20,971,521 bytes is over the 20,971,520-byte limit"):
        load_tree(tmp_path)


def test_load_tree_keeps_dates_as_strings(tmp_path: Path) -> None:
    write(tmp_path, "apps/c/c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  d: 2024-01-01\n")
    [loaded] = load_tree(tmp_path)
    assert loaded.manifest["data"]["d"] == "2024-01-01"


def test_load_tree_places_objects_by_path_and_marks_them_untyped(tmp_path: Path) -> None:
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n"
    write(tmp_path, "top.yaml", cm.format(name="top"))
    write(tmp_path, "apps/flat.yml", cm.format(name="flat") + "---\n" + cm.format(name="second"))
    write(tmp_path, "apps/blog/.hidden.yaml", cm.format(name="hidden"))
    write(tmp_path, "apps/blog/notes.txt", "not yaml")
    write(tmp_path, "apps/blog/kustomization.yaml", "apiVersion: v2\nkind: Kustomization\nmetadata:\n  name: k\n")
    kustomize = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n---\n"
    write(tmp_path, "apps/blog/deep/more.yaml", kustomize + cm.format(name="deep"))  # skipped, then read on
    objects = load_tree(tmp_path)
    assert [(o.layer, o.app, o.name, o.path, o.source) for o in objects] == [
        ("", "top", "top", "top.yaml", "top.yaml:1"),
        ("apps", "flat", "flat", "apps/flat.yml", "apps/flat.yml:1"),
        ("apps", "flat", "second", "apps/flat.yml", "apps/flat.yml:6"),
        # a Kustomization that is not kustomize's own file (another apiVersion) is an object
        ("apps", "blog", "k", "apps/blog/kustomization.yaml", "apps/blog/kustomization.yaml:1"),
        ("apps", "blog", "deep", "apps/blog/deep/more.yaml", "apps/blog/deep/more.yaml:4"),
    ]
    assert {(o.construct_path, o.construct_class, o.typed, o.raw) for o in objects} == {("", "", False, None)}
    with pytest.raises(
        FakoError,
        match=r"^apps/x/bad\.yaml:3: a document is a str, not a mapping; every document must "
        r"be one Kubernetes object$",
    ):
        write(tmp_path, "apps/x/bad.yaml", "a: 1\n---\njust text\n")
        load_tree(tmp_path)
    with pytest.raises(FakoError, match=rf"^{tmp_path}/top\.yaml: not a directory$"):
        load_tree(tmp_path / "top.yaml")


def test_load_tree_limit_is_inclusive_and_odd_files_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "apps/x/exact.yaml", "a: b\n#" + "#" * (MAX_FILE_BYTES - 11) + "\nc: d")
    assert path.stat().st_size == MAX_FILE_BYTES
    assert load_tree(tmp_path)[0].manifest == {"a": "b", "c": "d"}  # read to the last byte
    path.unlink()
    (tmp_path / "apps" / "x" / "fifo.yaml").parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(tmp_path / "apps" / "x" / "fifo.yaml")
    with pytest.raises(FakoError) as caught:
        load_tree(tmp_path)
    assert str(caught.value) == "apps/x/fifo.yaml: not a regular file; fako reads only plain YAML files"
    (tmp_path / "apps" / "x" / "fifo.yaml").unlink()
    (tmp_path / "apps" / "x" / "loop.yaml").symlink_to("loop.yaml")
    with pytest.raises(FakoError) as caught:
        load_tree(tmp_path)
    assert str(caught.value) == "apps/x/loop.yaml: cannot read it (Too many levels of symbolic links)"


def test_sops_rule_checks_every_value_the_files_regex_covers() -> None:
    from fako.validation.secrets import sops_encrypted

    mac = ENC
    manifest = {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": "plain-name", "labels": {"data": "plain-label"}},
        "data": {"token": ENC, "list": [ENC, "hunter2-in-a-list"], "nested": {"deep": "hunter2-nested"}, "none": None},
        "stringData": {"password": "hunter2"},
        "spec": {"items": [{"data": "in-an-item"}, {"other": "plain-but-not-covered"}]},
        "sops": {"mac": mac, "encrypted_regex": "^(data|stringData)$"},
    }
    found = [(v.field, v.message, v.value) for v in sops_encrypted(manifest)]
    assert found == [
        (  # SOPS matches the regex against keys at any depth, as here
            "metadata.labels.data",
            "is not encrypted ('pl***' (11 characters)) although the file is marked as SOPS-encrypted",
            "metadata.labels.data",
        ),
        (
            "data.list[1]",
            "is not encrypted ('hu***' (17 characters)) although the file is marked as SOPS-encrypted",
            "data.list[1]",
        ),
        (
            "data.nested.deep",
            "is not encrypted ('hu***' (14 characters)) although the file is marked as SOPS-encrypted",
            "data.nested.deep",
        ),
        (
            "stringData.password",
            "is not encrypted ('hu***' (7 characters)) although the file is marked as SOPS-encrypted",
            "stringData.password",
        ),
        (
            "spec.items[0].data",
            "is not encrypted ('in***' (10 characters)) although the file is marked as SOPS-encrypted",
            "spec.items[0].data",
        ),
    ]
    # without encrypted_regex SOPS encrypts every value: plain ones anywhere are reported
    manifest["sops"] = {"mac": mac}
    assert [v.field for v in sops_encrypted(manifest)] == [
        "apiVersion",
        "kind",
        "metadata.name",
        "metadata.labels.data",
        "data.list[1]",
        "data.nested.deep",
        "stringData.password",
        "spec.items[0].data",
        "spec.items[1].other",
    ]
    manifest["sops"] = {"mac": "not-a-mac", "encrypted_regex": "(["}
    assert [(v.field, v.message) for v in sops_encrypted(manifest)][:2] == [
        ("sops.mac", "has no valid MAC: this is not a file SOPS encrypted"),
        ("sops.encrypted_regex", "is not a valid regular expression"),
    ]
    assert list(sops_encrypted({"kind": "Secret", "data": {"a": "plain"}})) == []  # not marked: secret.plaintext's job


@pytest.mark.parametrize(
    ("pod", "container", "flagged"),
    [
        ({}, {}, True),  # nothing says non-root
        ({"runAsNonRoot": True}, {}, False),
        ({}, {"runAsNonRoot": True}, False),
        ({"runAsNonRoot": True}, {"runAsNonRoot": False}, True),  # the container's word wins
        ({"runAsUser": 1000}, {}, False),
        ({}, {"runAsUser": 1000}, False),
        ({"runAsUser": 0, "runAsNonRoot": True}, {}, True),  # uid 0 is root whatever runAsNonRoot says
        ({"runAsUser": 1000}, {"runAsUser": 0}, True),
        ({"runAsUser": 0}, {"runAsUser": 1}, False),
    ],
)
def test_privilege_escalation_needs_a_container_that_may_run_as_root(
    pod: dict[str, Any], container: dict[str, Any], flagged: bool
) -> None:
    from fako.validation.security import privilege_escalation

    context = {"allowPrivilegeEscalation": True, **container}
    manifest = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "p"},
        "spec": {"securityContext": pod, "containers": [{"name": "web", "image": "x:1", "securityContext": context}]},
    }
    found = [(v.field, v.message) for v in privilege_escalation(manifest)]
    expected = [
        (
            "spec.containers[0].securityContext.allowPrivilegeEscalation",
            "container 'web' may run as root and allows privilege escalation",
        )
    ]
    assert found == (expected if flagged else [])


# -- references the mutation benchmark found unchecked ---------------------------------------


def test_an_autoscaler_names_a_workload_that_exists() -> None:
    def hpa(target: str) -> RenderedObject:
        spec = {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target}, "maxReplicas": 3}
        return obj(
            {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": meta("h"), "spec": spec}
        )

    assert only(run([*base(), hpa("web")]), "ref.scale-target") == []
    [f] = only(run([*base(), hpa("wbe")]), "ref.scale-target")
    assert f.message == "spec.scaleTargetRef names Deployment 'wbe', which does not exist in namespace 'blog'"
    assert f.fix.startswith("did you mean 'web'?")
    for kind in ("StatefulSet", "ReplicaSet"):
        other = hpa("db")
        other.manifest["spec"]["scaleTargetRef"]["kind"] = kind
        [f] = only(run([*base(), other]), "ref.scale-target")
        assert f.message == f"spec.scaleTargetRef names {kind} 'db', which does not exist in namespace 'blog'"
    for target in ({"kind": "Deployment"}, {"name": "web"}, {"kind": "Rollout", "name": "x"}):
        unjudged = hpa("x")
        unjudged.manifest["spec"]["scaleTargetRef"] = target
        assert only(run([*base(), unjudged]), "ref.scale-target") == [], target


@pytest.mark.parametrize(
    ("kind", "api", "field", "check"),
    [
        ("NetworkPolicy", "networking.k8s.io/v1", "podSelector", "ref.policy-selector"),
        ("PodDisruptionBudget", "policy/v1", "selector", "ref.pdb-selector"),
    ],
)
def test_a_policy_whose_selector_matches_no_pod_is_reported(kind: str, api: str, field: str, check: str) -> None:
    def policy(app: str) -> RenderedObject:
        return obj(
            {"apiVersion": api, "kind": kind, "metadata": meta("p"), "spec": {field: {"matchLabels": {"app": app}}}}
        )

    assert only(run([*base(), policy("web")]), check) == []
    [f] = only(run([*base(), policy("wbe")]), check)
    assert (f.severity, f.value, f.ref) == ("warning", "app=wbe", f"{kind}/blog/p")
    assert f.message == f"{field} app=wbe matches no pod template in namespace 'blog', so it applies to nothing"
    assert f.fix == "fix the labels (pods made by a HelmRelease or an operator are not visible here: allow-list those)"
    two = policy("web")
    two.manifest["spec"][field]["matchLabels"]["tier"] = "db"
    [f] = only(run([*base(), two]), check)
    assert f.value == "app=web, tier=db"
    # every pod (empty), expressions (not judged here), a namespace without pods: nothing to say
    for selector in ({}, {"matchLabels": {}}, {"matchLabels": {"app": "x"}, "matchExpressions": [{"key": "a"}]}):
        unjudged = policy("x")
        unjudged.manifest["spec"][field] = selector
        assert only(run([*base(), unjudged]), check) == [], selector
    elsewhere = policy("web")
    elsewhere.manifest["metadata"]["namespace"] = "other"
    [f] = only(run([*base(), namespace("other"), elsewhere]), check)
    assert f.message.endswith("matches no pod template in namespace 'other', so it applies to nothing")


def test_a_postgres_cluster_reads_secrets_that_exist() -> None:
    spec = {
        "bootstrap": {"initdb": {"secret": {"name": "app-user"}}},
        "superuserSecret": {"name": "superuser"},
        "managed": {"roles": [{"name": "admin", "passwordSecret": {"name": "admin-pass"}}]},
    }
    cluster = obj({"apiVersion": "postgresql.cnpg.io/v1", "kind": "Cluster", "metadata": meta("pg"), "spec": spec})
    found = only(run([*base(), cluster, sops_secret("app-user"), sops_secret("superuser")]), "ref.secret")
    assert [f.value for f in found] == ["admin-pass"]
    assert "managed.roles[0].passwordSecret names Secret 'admin-pass'" in found[0].message
    found = only(run([*base(), cluster]), "ref.secret")
    assert sorted(f.message.split(" which ")[0] for f in found) == [
        "bootstrap.initdb.secret names Secret 'app-user',",
        "managed.roles[0].passwordSecret names Secret 'admin-pass',",
        "superuserSecret names Secret 'superuser',",
    ]


def test_a_service_monitor_scrapes_a_port_its_services_have() -> None:
    svc = service()
    svc.manifest["metadata"]["labels"] = {"app": "web"}
    svc.manifest["spec"]["ports"][0]["name"] = "http"

    def monitor(port: str) -> RenderedObject:
        spec = {"selector": {"matchLabels": {"app": "web"}}, "endpoints": [{"port": port}]}
        return obj(
            {"apiVersion": "monitoring.coreos.com/v1", "kind": "ServiceMonitor", "metadata": meta("m"), "spec": spec}
        )

    assert only(run([*base()[:2], svc, *base()[3:], monitor("http")]), "ref.monitor-port") == []
    [f] = only(run([*base()[:2], svc, *base()[3:], monitor("metrics")]), "ref.monitor-port")
    assert (f.field, f.message, f.fix) == (
        "spec.endpoints[0].port",
        "endpoints[0] scrapes port 'metrics', which no Service it selects has",
        "use one of http",
    )
    # a monitor in another namespace selects the Services of the namespaces it names
    remote = monitor("metrics")
    remote.manifest["metadata"]["namespace"] = "monitoring"
    remote.manifest["spec"]["namespaceSelector"] = {"matchNames": ["blog"]}
    objects = [*base()[:2], svc, *base()[3:], namespace("monitoring")]
    [f] = only(run([*objects, remote]), "ref.monitor-port")
    assert (f.ref, f.value, f.fix) == ("ServiceMonitor/monitoring/m", "metrics", "use one of http")
    del remote.manifest["spec"]["namespaceSelector"]  # its own namespace has no such Service: not judged
    assert only(run([*objects, remote]), "ref.monitor-port") == []
    # a Service elsewhere with the labels and the port, one here without labels: neither is selected
    elsewhere = service(ns="other")
    elsewhere.manifest["metadata"]["labels"] = {"app": "web"}
    elsewhere.manifest["spec"]["ports"][0]["name"] = "metrics"
    unlabelled = service("bare")
    unlabelled.manifest["spec"]["ports"][0]["name"] = "metrics"
    extra = [namespace("other"), elsewhere, unlabelled]
    [f] = only(run([*base()[:2], svc, *base()[3:], *extra, monitor("metrics")]), "ref.monitor-port")
    assert f.fix == "use one of http"
    unselective = monitor("metrics")
    unselective.manifest["spec"]["selector"] = {}
    assert only(run([*base()[:2], svc, *base()[3:], unselective]), "ref.monitor-port") == []
