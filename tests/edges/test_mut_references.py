"""In-process tests for mutation survivors of `fako.validation` references, hosts and identities.

Each test builds a few objects by hand and pins what the check says of them: check id,
message, fix, value, severity. Expected texts are written out from the rule (what the
API server or the controller would do with the reference), never computed by fako.
"""

from __future__ import annotations

from typing import Any

from fako.rendered import RenderedObject
from fako.validation.facts import ClusterFacts
from fako.validation.findings import Finding
from fako.validation.hosts import Tunnel, _ingress_claims, _overlap, _tunnel, check_hosts, tunnels
from fako.validation.identities import check_identities, check_secret_owners
from fako.validation.inventory import Inventory
from fako.validation.references import _closest, _first, _quoted, _secret_refs, check_references
from ruletest import obj as man

# -- builders ------------------------------------------------------------------------------


def ro(
    manifest: dict[str, Any], *, layer: str = "apps", app: str = "blog", source: str = "fako.apps.blog:12"
) -> RenderedObject:
    return RenderedObject(
        layer=layer,
        app=app,
        manifest=manifest,
        path=f"{layer}/{app}/{manifest['kind'].lower()}.yaml",
        construct_path=f"cluster/{app}",
        construct_class="Blog",
        source=source,
    )


def namespace(name: str = "blog") -> RenderedObject:
    return ro(man("v1", "Namespace", name, None))


def pod(*containers: dict[str, Any], ns: str = "blog", **spec: Any) -> RenderedObject:
    return ro(
        man("v1", "Pod", "web", ns, spec={"containers": list(containers), **spec}, meta={"labels": {"app": "web"}})
    )


def refs(*objects: RenderedObject, facts: ClusterFacts | None = None) -> list[Finding]:
    """What check_references says of `objects` plus Namespaces blog, flux-system, ops and other."""
    facts = facts or ClusterFacts()
    everything = [namespace(), namespace("flux-system"), namespace("ops"), namespace("other"), *objects]
    found = list(check_references(everything, Inventory(everything, facts), facts))
    # every finding is about one of the objects: it carries its ref and provenance
    refs_made = {o.ref for o in everything}
    assert all(
        f.ref in refs_made and (f.source, f.layer, f.app) == ("fako.apps.blog:12", "apps", "blog") for f in found
    )
    return found


def said(*objects: RenderedObject, facts: ClusterFacts | None = None) -> list[tuple[str, str]]:
    return [(f.check, f.message) for f in refs(*objects, facts=facts)]


def render_or_declare(kind: str, ns: str, name: str) -> str:
    where = f" in namespace '{ns}'" if ns else ""
    return f"render it{where} or declare ('{kind}', '{ns}', '{name}') in the cluster facts' external list"


# -- small helpers ---------------------------------------------------------------------------


def test_first_quoted_and_closest() -> None:
    assert _first(["a", "b", "c"]) == "a, b, c"
    assert _first(["a", "b", "c", "d"]) == "a, b, c and 1 more"
    assert _first(["a", "b", "c", "d", "e"], 2) == "a, b and 3 more"
    assert _first(["a", "b"], 2) == "a, b"
    assert _first([]) == ""
    assert _quoted([]) == "(none)"
    assert _quoted(["a", "b"]) == "a, b"
    # "abc" against 7 letters: the best ratio is 2*3/10 = 0.6, just at difflib's cutoff
    assert _closest("abc", ["abcdefg"]) == ["abcdefg"]
    assert _closest("abcdefg", ["abc"]) == ["abc"]
    assert _closest("abc", ["abcdefgh"]) == []
    assert _closest("db-pasword", ["web", "db-password", "db-passwords"]) == ["db-password"]
    assert _closest("zzz", ["abc"]) == []


def test_secret_refs_walk_maps_and_lists() -> None:
    node = {
        "vault": {"auth": {"tokenSecretRef": {"name": "t", "key": "k"}}},
        "list": [{"credsSecretRef": {"name": "c"}}, {"other": {"SecretRef": {"name": "s"}}}],
        "emptySecretRef": {"name": ""},
        "stringSecretRef": "x",
        "secretRefs": {"name": "not-a-ref"},
        "nested": {"secretRef": {"name": "outer", "inner": {"secretRef": {"name": "inner"}}}},
    }
    assert list(_secret_refs(node, "provider")) == [
        ("provider.vault.auth.tokenSecretRef", {"name": "t", "key": "k"}),
        ("provider.list[0].credsSecretRef", {"name": "c"}),
        ("provider.list[1].other.SecretRef", {"name": "s"}),
        ("provider.nested.secretRef", {"name": "outer", "inner": {"secretRef": {"name": "inner"}}}),
    ]
    assert list(_secret_refs([{"secretRef": {"name": "a"}}], "x")) == [("x[0].secretRef", {"name": "a"})]
    assert list(_secret_refs("text", "x")) == []


# -- the missing-object finding ------------------------------------------------------------


def test_every_place_naming_one_missing_secret_gives_one_finding() -> None:
    env = [{"name": n, "valueFrom": {"secretKeyRef": {"name": "s1", "key": "k"}}} for n in "ABCDA"]
    env += [
        {"name": "E", "valueFrom": {"configMapKeyRef": {"name": "cm", "key": "k", "optional": True}}},
        {"name": "F", "valueFrom": {"secretKeyRef": {"name": "", "key": "k"}}},
        {"name": "G", "value": "plain"},
    ]
    web = {"name": "web", "image": "x:1", "env": env, "envFrom": [{"secretRef": {"name": "s1"}}]}
    volumes = [{"name": "v", "secret": {"secretName": "s1"}}]
    [f] = refs(pod(web, volumes=volumes))
    assert (f.check, f.ref, f.value, f.severity) == ("ref.secret", "Pod/blog/web", "s1", "error")
    assert f.message == (
        "container 'web' env A, B, C and 1 more, container 'web' envFrom, volume 'v' name Secret 's1', "
        "which does not exist in namespace 'blog'"
    )
    assert f.fix == render_or_declare("Secret", "blog", "s1")
    assert (f.source, f.layer, f.app) == ("fako.apps.blog:12", "apps", "blog")


def test_three_places_are_all_listed_and_one_place_names() -> None:
    env = [{"name": n, "valueFrom": {"configMapKeyRef": {"name": "cfg", "key": "k"}}} for n in "ABC"]
    [f] = refs(pod({"name": "web", "env": env}))
    assert (f.check, f.message) == (
        "ref.configmap",
        "container 'web' env A, B, C name ConfigMap 'cfg', which does not exist in namespace 'blog'",
    )
    unnamed = {"env": [{"valueFrom": {"secretKeyRef": {"name": "s"}}}]}
    assert said(pod(unnamed)) == [
        ("ref.secret", "container '?' env ? names Secret 's', which does not exist in namespace 'blog'")
    ]


def test_env_from_and_optional_references() -> None:
    web = {
        "name": "web",
        "envFrom": [
            {"configMapRef": {"name": "cm"}},
            {"secretRef": {"name": "opt", "optional": True}},
            {"configMapRef": {"name": "opt", "optional": True}},
            {"secretRef": {"name": ""}},
        ],
        "env": [{"name": "X", "valueFrom": {"secretKeyRef": {"name": "opt", "optional": True}}}],
    }
    init = {"name": "init", "envFrom": [{"secretRef": {"name": "boot"}}]}
    assert said(pod(web, initContainers=[init])) == [
        ("ref.secret", "container 'init' envFrom names Secret 'boot', which does not exist in namespace 'blog'"),
        ("ref.configmap", "container 'web' envFrom names ConfigMap 'cm', which does not exist in namespace 'blog'"),
    ]


def test_a_close_name_is_suggested() -> None:
    present = ro(man("v1", "Secret", "db-password"))
    web = {"name": "web", "envFrom": [{"secretRef": {"name": "db-pasword"}}]}
    [f] = refs(present, pod(web))
    assert f.fix == (
        "did you mean 'db-password'? otherwise render it or declare ('Secret', 'blog', 'db-pasword') "
        "in the cluster facts' external list"
    )
    boundary = [ro(man("v1", "Secret", "abcdefg")), pod({"name": "web", "envFrom": [{"secretRef": {"name": "abc"}}]})]
    assert refs(*boundary)[0].fix.startswith("did you mean 'abcdefg'? otherwise")
    elsewhere = [ro(man("v1", "Secret", "db-password", "other")), pod(web)]
    assert refs(*elsewhere)[0].fix == render_or_declare("Secret", "blog", "db-pasword")


def test_missing_namespace() -> None:
    shop = ro(man("apps/v1", "Deployment", "web", "shop", spec={}))
    [f] = refs(shop)
    assert (f.check, f.message, f.fix, f.value) == (
        "ref.namespace",
        "metadata.namespace names Namespace 'shop', which does not exist",
        "render it or declare ('Namespace', '', 'shop') in the cluster facts' external list",
        "shop",
    )
    # a Namespace is not inside a namespace, whatever its metadata says; a look-alike kind is
    assert refs(ro(man("v1", "Namespace", "odd", "shop"))) == []
    assert said(ro(man("example.com/v1", "Namespace", "odd", "shop"))) == [
        ("ref.namespace", "metadata.namespace names Namespace 'shop', which does not exist")
    ]
    assert refs(ro(man("v1", "ConfigMap", "c", "kube-system"))) == []


def test_unissued_tls_secret_names_the_missing_issuer() -> None:
    web = ro(
        man(
            "networking.k8s.io/v1",
            "Ingress",
            "web",
            spec={"tls": [{"secretName": "web-tls"}, {"hosts": ["a"]}]},
            meta={"annotations": {"cert-manager.io/cluster-issuer": "le"}},
        )
    )
    found = refs(web)
    assert [(f.check, f.message, f.fix, f.value) for f in found] == [
        ("ref.cluster-issuer", "names ClusterIssuer 'le', which does not exist", "use one of (none)", "le"),
        (
            "ref.secret",
            "tls names Secret 'web-tls', which does not exist in namespace 'blog' (cert-manager for Ingress "
            "blog/web asks ClusterIssuer 'le' for it, which does not exist, so cert-manager never makes it)",
            "name an issuer that exists, or declare ('Secret', 'blog', 'web-tls') in the cluster facts' external list",
            "web-tls",
        ),
    ]
    issuers = [ro(man("cert-manager.io/v1", "ClusterIssuer", n, None)) for n in ("zeta", "alpha")]
    assert [(f.check, f.fix) for f in refs(*issuers, web)] == [
        ("ref.cluster-issuer", "use one of zeta, alpha"),
        ("ref.secret", found[1].fix),
    ]
    assert refs(ro(man("cert-manager.io/v1", "ClusterIssuer", "le", None)), web) == []


# -- pod specs ----------------------------------------------------------------------------


def test_pod_volumes() -> None:
    volumes = [
        {"name": "s", "secret": {"secretName": "sec"}},
        {"name": "so", "secret": {"secretName": "sec-opt", "optional": True}},
        {"name": "c", "configMap": {"name": "cm"}},
        {"name": "co", "configMap": {"name": "cm-opt", "optional": True}},
        {"name": "d", "persistentVolumeClaim": {"claimName": "claim"}},
        {"name": "e", "persistentVolumeClaim": {"claimName": ""}},
        {
            "name": "p",
            "projected": {
                "sources": [
                    {"secret": {"name": "psec"}},
                    {"configMap": {"name": "pcm"}},
                    {"secret": {"name": "psec-opt", "optional": True}},
                    {"configMap": {"name": "pcm-opt", "optional": True}},
                    {"serviceAccountToken": {"path": "t"}},
                ]
            },
        },
        {"secret": {"secretName": "anon"}},
        {"name": "empty", "emptyDir": {}},
    ]
    assert said(pod({"name": "web"}, volumes=volumes)) == [
        ("ref.secret", "volume 's' names Secret 'sec', which does not exist in namespace 'blog'"),
        ("ref.configmap", "volume 'c' names ConfigMap 'cm', which does not exist in namespace 'blog'"),
        ("ref.pvc", "volume 'd' names PersistentVolumeClaim 'claim', which does not exist in namespace 'blog'"),
        ("ref.secret", "volume 'p' names Secret 'psec', which does not exist in namespace 'blog'"),
        ("ref.configmap", "volume 'p' names ConfigMap 'pcm', which does not exist in namespace 'blog'"),
        ("ref.secret", "volume '?' names Secret 'anon', which does not exist in namespace 'blog'"),
    ]


def test_pull_secrets_and_service_accounts() -> None:
    spec = {"imagePullSecrets": [{"name": "pull"}, {"name": ""}, {}], "serviceAccountName": "bot"}
    assert said(pod({"name": "web"}, **spec)) == [
        ("ref.secret", "imagePullSecrets names Secret 'pull', which does not exist in namespace 'blog'"),
        (
            "ref.service-account",
            "serviceAccountName names ServiceAccount 'bot', which does not exist in namespace 'blog'",
        ),
    ]
    assert said(pod({"name": "web"}, serviceAccount="old")) == [
        (
            "ref.service-account",
            "serviceAccountName names ServiceAccount 'old', which does not exist in namespace 'blog'",
        )
    ]
    assert refs(pod({"name": "web"}, serviceAccountName="default")) == []
    bot = ro(man("v1", "ServiceAccount", "bot"))
    assert refs(bot, pod({"name": "web"}, serviceAccountName="bot")) == []


def test_priority_and_runtime_classes() -> None:
    found = refs(pod({"name": "web"}, priorityClassName="high", runtimeClassName="kata"))
    assert [(f.check, f.message, f.fix, f.value) for f in found] == [
        (
            "ref.priority-class",
            "priorityClassName names PriorityClass 'high', which does not exist",
            "use one of system-cluster-critical, system-node-critical",
            "high",
        ),
        (
            "ref.runtime-class",
            "runtimeClassName names RuntimeClass 'kata', which does not exist",
            "use one of nvidia",
            "kata",
        ),
    ]
    rendered = [
        ro(man("scheduling.k8s.io/v1", "PriorityClass", n, None)) for n in ("zz", "system-node-critical", "high")
    ]
    runtime = ro(man("node.k8s.io/v1", "RuntimeClass", "kata", None))
    assert refs(*rendered, runtime, pod({"name": "web"}, priorityClassName="high", runtimeClassName="kata")) == []
    [f] = refs(*rendered, pod({"name": "web"}, priorityClassName="low"))
    assert f.fix == "use one of system-cluster-critical, system-node-critical, zz, high"
    facts = ClusterFacts(runtime_classes=frozenset({"runc", "gvisor"}))
    [f] = refs(pod({"name": "web"}, runtimeClassName="kata"), facts=facts)
    assert f.fix == "use one of gvisor, runc"


def test_templates_of_workloads_are_checked() -> None:
    template = {"spec": {"containers": [{"name": "job", "envFrom": [{"secretRef": {"name": "s"}}]}]}}
    cron = ro(man("batch/v1", "CronJob", "backup", spec={"jobTemplate": {"spec": {"template": template}}}))
    assert said(cron) == [
        ("ref.secret", "container 'job' envFrom names Secret 's', which does not exist in namespace 'blog'")
    ]


# -- storage -------------------------------------------------------------------------------


DEFAULT_CLASSES = "'', local-path, nfs-backup, nfs-csi-v2, nfs-postgres-v2, nfs-security-logs"


def pvc(**spec: Any) -> RenderedObject:
    return ro(man("v1", "PersistentVolumeClaim", "data", spec=spec))


def test_claim_storage_class_and_volume() -> None:
    [f] = refs(pvc(storageClassName="fast"))
    assert (f.check, f.message, f.fix, f.value) == (
        "ref.storage-class",
        "names StorageClass 'fast', which does not exist",
        f"use one of {DEFAULT_CLASSES}",
        "fast",
    )
    assert refs(pvc(storageClassName=None)) == []
    assert refs(pvc(storageClassName="")) == []
    assert refs(pvc(storageClassName="nfs-backup")) == []
    assert refs(pvc()) == []
    classes = [ro(man("storage.k8s.io/v1", "StorageClass", n, None)) for n in ("c", "a")]
    facts = ClusterFacts(storage_classes=frozenset({"b", "a"}))
    [f] = refs(*classes, pvc(storageClassName="x"), facts=facts)
    assert f.fix == "use one of a, b, c"
    assert refs(*classes, pvc(storageClassName="c"), facts=facts) == []
    [f] = refs(pvc(volumeName="pv1"))
    assert (f.check, f.message, f.fix) == (
        "ref.persistent-volume",
        "volumeName names PersistentVolume 'pv1', which does not exist",
        render_or_declare("PersistentVolume", "", "pv1"),
    )
    assert refs(ro(man("v1", "PersistentVolume", "pv1", None)), pvc(volumeName="pv1")) == []


def test_stateful_set_claim_templates() -> None:
    templates = [
        {"metadata": {"name": "data"}, "spec": {"storageClassName": "fast"}},
        {"spec": {"storageClassName": "slow"}},
        {"metadata": {"name": "ok"}, "spec": {"storageClassName": "local-path"}},
        {"metadata": {"name": "pv"}, "spec": {"volumeName": "pv9"}},
    ]
    db = ro(man("apps/v1", "StatefulSet", "db", spec={"volumeClaimTemplates": templates}))
    found = refs(db)
    assert [(f.check, f.message) for f in found[:2]] == [
        ("ref.storage-class", "volumeClaimTemplate 'data' names StorageClass 'fast', which does not exist"),
        ("ref.storage-class", "volumeClaimTemplate '?' names StorageClass 'slow', which does not exist"),
    ]
    assert [(f.check, f.value, f.message) for f in found[2:]] == [
        (
            "ref.persistent-volume",
            "pv9",
            "volumeClaimTemplate 'pv' volumeName names PersistentVolume 'pv9', which does not exist",
        )
    ]
    # a claim template in another group is not a StatefulSet's
    assert refs(ro(man("example.com/v1", "StatefulSet", "db", spec={"volumeClaimTemplates": templates}))) == []


# -- core kinds ----------------------------------------------------------------------------


def test_token_secret_names_its_service_account() -> None:
    token = ro(
        man(
            "v1",
            "Secret",
            "bot-token",
            type="kubernetes.io/service-account-token",
            meta={"annotations": {"kubernetes.io/service-account.name": "bot"}},
        )
    )
    assert said(token) == [
        ("ref.service-account", "token Secret names ServiceAccount 'bot', which does not exist in namespace 'blog'")
    ]
    assert refs(ro(man("v1", "ServiceAccount", "bot")), token) == []
    opaque = ro(
        man("v1", "Secret", "s", type="Opaque", meta={"annotations": {"kubernetes.io/service-account.name": "x"}})
    )
    assert refs(opaque) == []
    assert refs(ro(man("v1", "Secret", "t", type="kubernetes.io/service-account-token"))) == []


def test_service_account_secrets() -> None:
    account = ro(man("v1", "ServiceAccount", "bot", secrets=[{"name": "a"}, {}], imagePullSecrets=[{"name": "b"}]))
    assert said(account) == [
        ("ref.secret", "secrets names Secret 'a', which does not exist in namespace 'blog'"),
        ("ref.secret", "imagePullSecrets names Secret 'b', which does not exist in namespace 'blog'"),
    ]
    both = ro(man("v1", "ServiceAccount", "bot", secrets=[{"name": "a"}], imagePullSecrets=[{"name": "a"}]))
    assert said(both) == [
        ("ref.secret", "secrets, imagePullSecrets name Secret 'a', which does not exist in namespace 'blog'")
    ]


def test_role_bindings() -> None:
    binding = ro(
        man(
            "rbac.authorization.k8s.io/v1",
            "RoleBinding",
            "b",
            subjects=[
                {"kind": "ServiceAccount", "name": "bot"},
                {"kind": "ServiceAccount", "name": "ops-bot", "namespace": "ops"},
                {"kind": "User", "name": "jane"},
                {"kind": "ServiceAccount", "name": ""},
            ],
            roleRef={"kind": "Role", "name": "reader"},
        )
    )
    found = refs(binding)
    assert [(f.check, f.message) for f in found] == [
        ("ref.service-account", "subject names ServiceAccount 'bot', which does not exist in namespace 'blog'"),
        ("ref.service-account", "subject names ServiceAccount 'ops-bot', which does not exist in namespace 'ops'"),
        ("ref.role", "roleRef names Role 'reader', which does not exist in namespace 'blog'"),
    ]
    assert found[1].fix == render_or_declare("ServiceAccount", "ops", "ops-bot")
    cluster = ro(
        man(
            "rbac.authorization.k8s.io/v1",
            "ClusterRoleBinding",
            "c",
            None,
            roleRef={"kind": "ClusterRole", "name": "qqqq"},
        )
    )
    [f] = refs(cluster)
    assert (f.check, f.message, f.fix) == (
        "ref.role",
        "roleRef names ClusterRole 'qqqq', which does not exist",
        render_or_declare("ClusterRole", "", "qqqq"),
    )
    fine = ro(
        man(
            "rbac.authorization.k8s.io/v1",
            "ClusterRoleBinding",
            "c",
            None,
            roleRef={"kind": "ClusterRole", "name": "view"},
        )
    )
    assert refs(fine) == []
    group = ro(man("rbac.authorization.k8s.io/v1", "RoleBinding", "g", roleRef={"kind": "Group", "name": "x"}))
    assert refs(group) == []


# -- external secrets ----------------------------------------------------------------------


def external_secret(**spec: Any) -> RenderedObject:
    return ro(man("external-secrets.io/v1", "ExternalSecret", "es", spec=spec))


def test_external_secret_stores() -> None:
    es = external_secret(
        secretStoreRef={"name": "vault"},
        data=[
            {"secretKey": "a", "sourceRef": {"storeRef": {"name": "vault"}}},
            {"secretKey": "b", "sourceRef": {"storeRef": {"name": "p", "kind": "Provider"}}},
        ],
        dataFrom=[{"sourceRef": {"storeRef": {"name": "global", "kind": "ClusterSecretStore"}}}],
    )
    found = refs(es)
    assert [(f.check, f.message) for f in found] == [
        ("ref.secret-store", "secretStoreRef names SecretStore 'vault', which does not exist in namespace 'blog'"),
        ("ref.secret-store", "secretStoreRef names ClusterSecretStore 'global', which does not exist"),
    ]
    store = ro(man("external-secrets.io/v1", "SecretStore", "vault"))
    cluster_store = ro(man("external-secrets.io/v1", "ClusterSecretStore", "global", None))
    assert refs(store, cluster_store, es) == []
    assert refs(external_secret(secretStoreRef={"kind": "SecretStore"})) == []
    # each place is read on its own: the main store, then each data item's and dataFrom item's
    assert said(external_secret(secretStoreRef={"name": "main"})) == [
        ("ref.secret-store", "secretStoreRef names SecretStore 'main', which does not exist in namespace 'blog'")
    ]
    only_data = external_secret(data=[{"secretKey": "a", "sourceRef": {"storeRef": {"name": "d"}}}])
    assert said(only_data) == [
        ("ref.secret-store", "secretStoreRef names SecretStore 'd', which does not exist in namespace 'blog'")
    ]
    skip_then_check = external_secret(
        data=[
            {"secretKey": "a", "sourceRef": {"storeRef": {"name": "p", "kind": "Provider"}}},
            {"secretKey": "b", "sourceRef": {"storeRef": {"name": "d2"}}},
        ]
    )
    assert [f.value for f in refs(skip_then_check)] == ["d2"]


def test_external_secret_merging_into_a_secret_needs_it() -> None:
    store = ro(man("external-secrets.io/v1", "SecretStore", "vault"))
    merge = external_secret(secretStoreRef={"name": "vault"}, target={"creationPolicy": "Merge"})
    assert said(store, merge) == [
        ("ref.secret", "target (creationPolicy Merge) names Secret 'es', which does not exist in namespace 'blog'")
    ]
    named = external_secret(secretStoreRef={"name": "vault"}, target={"creationPolicy": "Merge", "name": "db"})
    assert [f.value for f in refs(store, named)] == ["db"]
    assert refs(store, ro(man("v1", "Secret", "db")), named) == []
    assert refs(store, external_secret(secretStoreRef={"name": "vault"}, target={"creationPolicy": "Owner"})) == []


def test_secret_store_provider_secrets() -> None:
    provider = {
        "vault": {
            "auth": {"tokenSecretRef": {"name": "token"}},
            "caProvider": {"secretRef": {"name": "ca", "namespace": "ops"}},
        }
    }
    store = ro(man("external-secrets.io/v1", "SecretStore", "vault", spec={"provider": provider}))
    assert said(store) == [
        (
            "ref.secret",
            "provider.vault.auth.tokenSecretRef names Secret 'token', which does not exist in namespace 'blog'",
        ),
        (
            "ref.secret",
            "provider.vault.caProvider.secretRef names Secret 'ca', which does not exist in namespace 'ops'",
        ),
    ]
    # a cluster store's refs name their namespace; one without names none, even with a stray metadata.namespace
    cluster = ro(man("external-secrets.io/v1", "ClusterSecretStore", "global", "blog", spec={"provider": provider}))
    assert said(cluster) == [
        ("ref.secret", "provider.vault.caProvider.secretRef names Secret 'ca', which does not exist in namespace 'ops'")
    ]


# -- ingresses -----------------------------------------------------------------------------


def ingress(annotations: dict[str, str] | None = None, **spec: Any) -> RenderedObject:
    return ro(man("networking.k8s.io/v1", "Ingress", "web", spec=spec, meta={"annotations": annotations or {}}))


def web_service(*ports: dict[str, Any]) -> RenderedObject:
    return ro(man("v1", "Service", "web", spec={"ports": list(ports)}))


def test_ingress_issuer_and_class() -> None:
    found = refs(ingress({"cert-manager.io/issuer": "local", "kubernetes.io/ingress.class": "nginx"}))
    assert [(f.check, f.message, f.fix) for f in found] == [
        (
            "ref.ingress-class",
            "kubernetes.io/ingress.class names IngressClass 'nginx', which does not exist",
            "use one of traefik",
        ),
        (
            "ref.issuer",
            "cert-manager.io/issuer names Issuer 'local', which does not exist in namespace 'blog'",
            render_or_declare("Issuer", "blog", "local"),
        ),
    ]
    [f] = refs(ingress({"kubernetes.io/ingress.class": "traefik"}, ingressClassName="nginx"))
    assert (f.message, f.value) == ("ingressClassName names IngressClass 'nginx', which does not exist", "nginx")
    assert refs(ingress({"kubernetes.io/ingress.class": "traefik"})) == []
    assert refs(ingress(ingressClassName="traefik")) == []
    local = ro(man("cert-manager.io/v1", "Issuer", "local"))
    assert refs(local, ingress({"cert-manager.io/issuer": "local"})) == []
    classes = ro(man("networking.k8s.io/v1", "IngressClass", "nginx", None))
    assert refs(classes, ingress(ingressClassName="nginx")) == []


def test_ingress_backends_and_ports() -> None:
    svc = web_service({"name": "http", "port": 80}, {"port": 443})
    rules = [
        {"http": {"paths": [{"backend": {"service": {"name": "web", "port": {"number": 8080}}}}]}},
        {"http": {"paths": [{"backend": {"service": {"name": "web", "port": {"name": "metrics"}}}}]}},
        {"http": {"paths": [{"backend": {"service": {"name": "web", "port": {"number": 443}}}}]}},
        {"http": {"paths": [{"backend": {"service": {"name": "web", "port": {"name": "http"}}}}]}},
        {"http": {"paths": [{"backend": {"service": {"name": "web"}}}]}},
        {"http": {"paths": [{"backend": {"resource": {"kind": "Bucket"}}}]}},
    ]
    found = refs(svc, ingress(defaultBackend={"service": {"name": "api", "port": {"number": 80}}}, rules=rules))
    assert [(f.check, f.message, f.fix, f.value) for f in found] == [
        (
            "ref.service-port",
            "backend names port 8080 of Service 'web', which has no such port",
            "use one of 80/http, 443",
            "web:8080",
        ),
        (
            "ref.service-port",
            "backend names port 'metrics' of Service 'web', which has no such port",
            "use one of 80/http, 443",
            "web:metrics",
        ),
        (
            "ref.service",
            "backend names Service 'api', which does not exist in namespace 'blog'",
            render_or_declare("Service", "blog", "api"),
            "api",
        ),
    ]
    # a Service declared external has unknown ports; a Service without ports offers none
    facts = ClusterFacts(external=frozenset({("Service", "blog", "api")}))
    assert refs(ingress(defaultBackend={"service": {"name": "api", "port": {"number": 1}}}), facts=facts) == []
    [f] = refs(web_service(), ingress(defaultBackend={"service": {"name": "web", "port": {"number": 1}}}))
    assert f.fix == "use one of (none)"


def test_ingress_middlewares() -> None:
    rendered = ro(man("traefik.io/v1alpha1", "Middleware", "auth"))
    value = "blog-auth@kubernetescrd, blog-gone@kubernetescrd,other@file, ops-ext@kubernetescrd"
    facts = ClusterFacts(external=frozenset({("Middleware", "ops", "ext")}))
    found = refs(rendered, ingress({"traefik.ingress.kubernetes.io/router.middlewares": value}), facts=facts)
    assert [(f.check, f.message, f.fix, f.value) for f in found] == [
        (
            "ref.middleware",
            "traefik.ingress.kubernetes.io/router.middlewares names 'blog-gone@kubernetescrd', which matches no "
            "traefik.io Middleware (the form is <namespace>-<name>@kubernetescrd)",
            "use one of blog-auth@kubernetescrd, ops-ext@kubernetescrd, or render the Middleware, or declare it external",
            "blog-gone@kubernetescrd",
        )
    ]
    [f] = refs(ingress({"traefik.ingress.kubernetes.io/router.middlewares": "x@kubernetescrd"}))
    assert f.fix == "use one of (none), or render the Middleware, or declare it external"
    other_kind = ro(man("v1", "ConfigMap", "auth"))
    assert (
        len(refs(other_kind, ingress({"traefik.ingress.kubernetes.io/router.middlewares": "blog-auth@kubernetescrd"})))
        == 1
    )


# -- Flux ----------------------------------------------------------------------------------


def flux(kind: str, **spec: Any) -> RenderedObject:
    api = "kustomize.toolkit.fluxcd.io/v1" if kind == "Kustomization" else "helm.toolkit.fluxcd.io/v2"
    return ro(man(api, kind, "apps", "flux-system", spec=spec))


def test_kustomization_dependencies_and_source() -> None:
    k = flux(
        "Kustomization",
        dependsOn=[{"name": "infra"}, {"name": "db", "namespace": "ops"}, {}],
        sourceRef={"kind": "GitRepository", "name": "repo"},
    )
    found = refs(k)
    assert [(f.check, f.message) for f in found] == [
        ("ref.depends-on", "dependsOn names Kustomization 'infra', which does not exist in namespace 'flux-system'"),
        ("ref.depends-on", "dependsOn names Kustomization 'db', which does not exist in namespace 'ops'"),
        ("ref.flux-source", "sourceRef names GitRepository 'repo', which does not exist in namespace 'flux-system'"),
    ]
    other_ns = flux("Kustomization", sourceRef={"kind": "OCIRepository", "name": "oci", "namespace": "ops"})
    assert said(other_ns) == [
        ("ref.flux-source", "sourceRef names OCIRepository 'oci', which does not exist in namespace 'ops'")
    ]
    assert refs(flux("Kustomization", sourceRef={"kind": "HelmRepository", "name": "charts"})) == []
    assert refs(flux("Kustomization", sourceRef={"kind": "Bucket", "name": ""})) == []
    repo = ro(man("source.toolkit.fluxcd.io/v1", "GitRepository", "repo", "flux-system"))
    assert refs(repo, flux("Kustomization", sourceRef={"kind": "GitRepository", "name": "repo"})) == []


def test_helm_release_chart_sources() -> None:
    hr = flux(
        "HelmRelease",
        dependsOn=[{"name": "db"}],
        chart={"spec": {"chart": "x", "sourceRef": {"kind": "HelmRepository", "name": "charts"}}},
        chartRef={"kind": "OCIRepository", "name": "oci", "namespace": "ops"},
    )
    assert said(hr) == [
        ("ref.depends-on", "dependsOn names HelmRelease 'db', which does not exist in namespace 'flux-system'"),
        (
            "ref.chart-source",
            "chart.spec.sourceRef names HelmRepository 'charts', which does not exist in namespace 'flux-system'",
        ),
        ("ref.chart-source", "chartRef names OCIRepository 'oci', which does not exist in namespace 'ops'"),
    ]
    odd = flux(
        "HelmRelease",
        chartRef={"kind": "Unknown", "name": "x"},
        chart={"spec": {"sourceRef": {"kind": "HelmRepository"}}},
    )
    assert refs(odd) == []
    # a HelmRelease's sourceRef field is not read (it has none)
    assert refs(flux("HelmRelease", sourceRef={"kind": "GitRepository", "name": "repo"})) == []


def test_certificate_issuer_ref() -> None:
    def cert(**issuer: Any) -> RenderedObject:
        return ro(man("cert-manager.io/v1", "Certificate", "web", spec={"secretName": "t", "issuerRef": issuer}))

    assert said(cert(name="le", kind="ClusterIssuer")) == [
        ("ref.cluster-issuer", "issuerRef names ClusterIssuer 'le', which does not exist")
    ]
    assert said(cert(name="local")) == [
        ("ref.issuer", "issuerRef names Issuer 'local', which does not exist in namespace 'blog'")
    ]
    assert said(cert(name="local", group="", kind="")) == [
        ("ref.issuer", "issuerRef names Issuer 'local', which does not exist in namespace 'blog'")
    ]
    assert said(cert(name="local", group="cert-manager.io")) == [
        ("ref.issuer", "issuerRef names Issuer 'local', which does not exist in namespace 'blog'")
    ]
    assert refs(cert(name="v", group="example.com", kind="Issuer")) == []
    assert refs(cert(name="v", kind="OtherIssuer")) == []
    assert refs(cert(kind="Issuer")) == []


# -- selectors -----------------------------------------------------------------------------


def deployment(labels: dict[str, str], ns: str = "blog") -> RenderedObject:
    template = {"metadata": {"labels": labels}, "spec": {"containers": []}}
    return ro(man("apps/v1", "Deployment", "d", ns, spec={"template": template}))


def service(selector: dict[str, str], **spec: Any) -> RenderedObject:
    return ro(man("v1", "Service", "svc", spec={"selector": selector, **spec}))


def test_service_selector() -> None:
    fix_tail = (
        "change the selector or the pod labels (pods made by a HelmRelease or an operator are not visible here: "
        "allow-list those)"
    )
    [f] = refs(service({"app": "db", "role": "main"}), deployment({"app": "db", "role": "replica", "x": "y"}))
    assert (f.check, f.message, f.fix, f.value, f.severity) == (
        "ref.service-selector",
        "selector app=db, role=main matches no pod template in namespace 'blog'",
        f"pod templates there carry app=db, role=replica; {fix_tail}",
        "app=db, role=main",
        "error",
    )
    [f] = refs(service({"app": "db"}), deployment({"app": "db"}, ns="other"))
    assert f.fix == fix_tail
    assert refs(service({"app": "db"}), deployment({"app": "db", "x": "y"})) == []
    assert refs(service({"app": "db"}), deployment({"app": "web"}), deployment({"app": "db"})) == []
    assert refs(service({})) == []
    assert refs(service({"app": "db"}, type="ExternalName")) == []
    assert len(refs(service({"app": "db"}, type="ClusterIP"))) == 1


def test_policies_and_budgets_should_select_pods() -> None:
    policy = ro(man("networking.k8s.io/v1", "NetworkPolicy", "p", spec={"podSelector": {"matchLabels": {"app": "db"}}}))
    budget = ro(
        man("policy/v1", "PodDisruptionBudget", "b", spec={"selector": {"matchLabels": {"app": "db", "t": "1"}}})
    )
    found = refs(policy, budget, deployment({"app": "web"}))
    fix = "fix the labels (pods made by a HelmRelease or an operator are not visible here: allow-list those)"
    assert [(f.check, f.severity, f.message, f.fix, f.value) for f in found] == [
        (
            "ref.policy-selector",
            "warning",
            "podSelector app=db matches no pod template in namespace 'blog', so it applies to nothing",
            fix,
            "app=db",
        ),
        (
            "ref.pdb-selector",
            "warning",
            "selector app=db, t=1 matches no pod template in namespace 'blog', so it applies to nothing",
            fix,
            "app=db, t=1",
        ),
    ]
    assert refs(policy, budget, deployment({"app": "db", "t": "1"})) == []
    # a namespace without any pod template
    assert [f.check for f in refs(policy)] == ["ref.policy-selector"]
    expressions = {"matchLabels": {"app": "db"}, "matchExpressions": [{"key": "a", "operator": "Exists"}]}
    assert refs(ro(man("networking.k8s.io/v1", "NetworkPolicy", "p", spec={"podSelector": expressions}))) == []
    assert refs(ro(man("networking.k8s.io/v1", "NetworkPolicy", "p", spec={"podSelector": {}}))) == []
    # a NetworkPolicy's `selector` field is not its pod selector
    assert (
        refs(ro(man("networking.k8s.io/v1", "NetworkPolicy", "p", spec={"selector": {"matchLabels": {"a": "b"}}})))
        == []
    )


def test_autoscaler_target() -> None:
    def hpa(kind: str, name: str) -> RenderedObject:
        spec = {"scaleTargetRef": {"kind": kind, "name": name}}
        return ro(man("autoscaling/v2", "HorizontalPodAutoscaler", "h", spec=spec))

    [f] = refs(hpa("Deployment", "web"))
    assert (f.check, f.message, f.fix) == (
        "ref.scale-target",
        "spec.scaleTargetRef names Deployment 'web', which does not exist in namespace 'blog'",
        render_or_declare("Deployment", "blog", "web"),
    )
    assert said(hpa("StatefulSet", "db")) == [
        ("ref.scale-target", "spec.scaleTargetRef names StatefulSet 'db', which does not exist in namespace 'blog'")
    ]
    assert said(hpa("ReplicaSet", "rs"))[0][0] == "ref.scale-target"
    assert refs(hpa("Rollout", "web")) == []
    assert refs(hpa("Deployment", "")) == []
    unnamed = ro(man("autoscaling/v2", "HorizontalPodAutoscaler", "h", spec={"scaleTargetRef": {"kind": "Deployment"}}))
    assert refs(unnamed) == []
    assert refs(ro(man("apps/v1", "Deployment", "web", spec={})), hpa("Deployment", "web")) == []


def test_postgres_cluster_secrets() -> None:
    spec = {
        "bootstrap": {"initdb": {"secret": {"name": "app"}}},
        "superuserSecret": {"name": "su"},
        "managed": {"roles": [{"name": "r0"}, {"name": "r1", "passwordSecret": {"name": "r1-pw"}}]},
        "backup": {"target": [{"credsSecretRef": {"name": "creds"}}]},
    }
    cluster = ro(man("postgresql.cnpg.io/v1", "Cluster", "pg", spec=spec))
    tail = "which does not exist in namespace 'blog'"
    assert said(cluster) == [
        ("ref.secret", f"bootstrap.initdb.secret names Secret 'app', {tail}"),
        ("ref.secret", f"superuserSecret names Secret 'su', {tail}"),
        ("ref.secret", f"managed.roles[1].passwordSecret names Secret 'r1-pw', {tail}"),
        ("ref.secret", f"backup.target[0].credsSecretRef names Secret 'creds', {tail}"),
    ]
    assert refs(ro(man("example.com/v1", "Cluster", "pg", spec=spec))) == []


def test_service_monitor_ports() -> None:
    web = ro(
        man(
            "v1",
            "Service",
            "web",
            spec={"ports": [{"name": "http", "port": 80}, {"port": 9000}, {"name": "admin", "port": 81}]},
            meta={"labels": {"app": "web"}},
        )
    )
    other = ro(
        man(
            "v1",
            "Service",
            "web2",
            "ops",
            spec={"ports": [{"name": "metrics", "port": 9100}]},
            meta={"labels": {"app": "web"}},
        )
    )

    def monitor(labels: dict[str, str], *ports: Any, names: list[str] | None = None) -> RenderedObject:
        spec: dict[str, Any] = {"selector": {"matchLabels": labels}, "endpoints": [{"port": p} for p in ports]}
        if names is not None:
            spec["namespaceSelector"] = {"matchNames": names}
        return ro(man("monitoring.coreos.com/v1", "ServiceMonitor", "m", spec=spec))

    found = refs(web, other, monitor({"app": "web"}, "http", "metrics", 9000))
    assert [(f.check, f.message, f.fix, f.field, f.value) for f in found] == [
        (
            "ref.monitor-port",
            "endpoints[1] scrapes port 'metrics', which no Service it selects has",
            "use one of admin, http",
            "spec.endpoints[1].port",
            "metrics",
        )
    ]
    assert refs(web, other, monitor({"app": "web"}, "metrics", names=["ops"])) == []
    assert refs(web, other, monitor({"app": "web"}, "metrics", "http", names=["ops", "blog"])) == []
    [f] = refs(web, other, monitor({"app": "web"}, "http", names=["ops"]))
    assert (f.message, f.fix, f.field) == (
        "endpoints[0] scrapes port 'http', which no Service it selects has",
        "use one of metrics",
        "spec.endpoints[0].port",
    )
    assert refs(web, monitor({}, "nope")) == []
    assert refs(web, monitor({"app": "none"}, "nope")) == []
    assert refs(web, monitor({"app": "web", "tier": "x"}, "nope")) == []


# -- identities ----------------------------------------------------------------------------


def test_an_object_rendered_twice_in_one_layer() -> None:
    first = ro(man("apps/v1", "Deployment", "web", spec={}), source="fako.apps.blog:12")
    second = ro(man("apps/v1beta1", "Deployment", "web", spec={}), app="shop", source="")
    third = ro(man("apps/v1", "Deployment", "web", spec={}), app="x", source="fako.apps.x:3")
    [f] = check_identities([first, second, third])
    assert (f.check, f.ref, f.app, f.source) == ("identity.duplicate", "Deployment/blog/web", "x", "fako.apps.x:3")
    assert f.message == (
        "is rendered 3 times in layer 'apps': apps/blog (fako.apps.blog:12), apps/shop (apps/shop/deployment.yaml), "
        "apps/x (fako.apps.x:3)"
    )
    assert f.fix == "keep one; give the others their own name"
    # another API group, kind, namespace or name is another object
    others = [
        ro(man("extensions/v1beta1", "Deployment", "web", spec={})),
        ro(man("apps/v1", "StatefulSet", "web", spec={})),
        ro(man("apps/v1", "Deployment", "web", "other", spec={})),
        ro(man("apps/v1", "Deployment", "web2", spec={})),
    ]
    assert list(check_identities([first, *others])) == []


def test_an_object_rendered_in_two_layers() -> None:
    copies = [
        ro(man("v1", "ConfigMap", "c"), layer="infra"),
        ro(man("v1", "ConfigMap", "c"), layer="apps"),
        ro(man("v1", "ConfigMap", "c"), layer="infra", app="other"),
    ]
    [f] = check_identities(copies)
    assert (f.check, f.ref, f.app, f.layer) == ("identity.layers", "ConfigMap/blog/c", "other", "infra")
    assert f.message == (
        "is rendered by 2 Flux layers (infra, apps): infra/blog (fako.apps.blog:12), apps/blog (fako.apps.blog:12), "
        "infra/other (fako.apps.blog:12); their Kustomizations would fight over it"
    )
    assert f.fix == "render it in one layer only"


def test_secret_owners() -> None:
    def es(name: str, target: str, ns: str = "blog") -> RenderedObject:
        return ro(man("external-secrets.io/v1", "ExternalSecret", name, ns, spec={"target": {"name": target}}))

    sops = ro(man("v1", "Secret", "db", sops={"version": "3"}))
    objects = [es("z", "solo"), es("b", "db"), sops, es("c", "db"), es("a", "api", "alpha"), es("a2", "api", "alpha")]
    found = list(check_secret_owners(Inventory(objects, ClusterFacts())))
    assert [(f.check, f.ref, f.value, f.message, f.fix, f.severity) for f in found] == [
        (
            "identity.secret-owner",
            "Secret/alpha/api",
            "ExternalSecret alpha/a and ExternalSecret alpha/a2",
            "Secret 'api' in namespace 'alpha' is created by ExternalSecret alpha/a and ExternalSecret alpha/a2; "
            "they overwrite each other",
            "keep one source for the Secret (or give the other target another name)",
            "error",
        ),
        (
            "identity.secret-owner",
            "Secret/blog/db",
            "ExternalSecret blog/b and SOPS Secret blog/db and ExternalSecret blog/c",
            "Secret 'db' in namespace 'blog' is created by ExternalSecret blog/b and SOPS Secret blog/db and "
            "ExternalSecret blog/c; they overwrite each other",
            "keep one source for the Secret (or give the other target another name)",
            "error",
        ),
    ]
    # the finding is placed on the last creator
    assert (found[0].path, found[1].path) == ("apps/blog/externalsecret.yaml", "apps/blog/externalsecret.yaml")
    assert found[1].construct == "Blog"


# -- hosts ---------------------------------------------------------------------------------


def tunnel_map(
    ns: str, tunnel: str, hosts: list[str], key: str = "config.yaml", name: str = "cloudflared"
) -> RenderedObject:
    routes = "".join(f"- hostname: {h}\n  service: http://web:80\n" for h in hosts)
    config = f"tunnel: {tunnel}\ningress:\n{routes}- service: http_status:404\n"
    return ro(man("v1", "ConfigMap", name, ns, data={key: config}))


def web_ingress(name: str, host: str, *paths: str, ns: str = "blog", app: str = "blog") -> RenderedObject:
    http = {"paths": [{"path": p} if p else {} for p in paths]} if paths else None
    rule: dict[str, Any] = {"host": host}
    if http:
        rule["http"] = http
    return ro(man("networking.k8s.io/v1", "Ingress", name, ns, spec={"rules": [rule]}), app=app)


def test_tunnel_config_parsing() -> None:
    cm = ro(man("v1", "ConfigMap", "c"))
    assert _tunnel(cm, "k", "ingress:\n- service: x\n") is None
    assert _tunnel(cm, "k", "tunnel: t\n") is None
    bad = _tunnel(cm, "k", "tunnel: t\ningress: [\n")
    assert isinstance(bad, Finding)
    assert (bad.check, bad.severity, bad.ref) == ("tunnel.config", "warning", "ConfigMap/blog/c")
    assert bad.message.startswith("data.k is not valid YAML: ")
    assert _tunnel(cm, "k", "tunnel: t\ningress: []\n---\ntunnel: u\ningress: []\n") is None
    assert _tunnel(cm, "k", "tunnels: t\ningress: []\n") is None
    assert _tunnel(cm, "k", "tunnel: t\ningress: {}\n") is None
    assert _tunnel(cm, "k", "# tunnel: t\ningress: []\n") is None
    config = "tunnel: 42\ningress:\n- hostname: A.Example.org\n  service: http://a:80\n- hostname: b.example.org\n- service: x\n- 7\n"
    assert _tunnel(cm, "k", config) == Tunnel(cm, "k", "42", (("a.example.org", "http://a:80"), ("b.example.org", "")))
    t = Tunnel(cm, "k", "t", ())
    assert t.where == "ConfigMap blog/c"


def test_tunnels_come_from_core_config_maps() -> None:
    text = "tunnel: t\ningress:\n- hostname: a.example.org\n  service: s\n"
    cm = ro(man("v1", "ConfigMap", "c", data={"b.yaml": text, "a.yaml": text, "n": 5, "bad": "tunnel: [\ningress:"}))
    found, problems = tunnels(
        [
            cm,
            ro(man("example.com/v1", "ConfigMap", "x", data={"a": text})),
            ro(man("v1", "Secret", "s", data={"a": text})),
        ]
    )
    assert [(t.key, t.name, t.routes) for t in found] == [
        ("a.yaml", "t", (("a.example.org", "s"),)),
        ("b.yaml", "t", (("a.example.org", "s"),)),
    ]
    assert [(p.check, p.message.split(":")[0]) for p in problems] == [("tunnel.config", "data.bad is not valid YAML")]


def test_ingress_claims() -> None:
    web = ro(
        man(
            "networking.k8s.io/v1",
            "Ingress",
            "web",
            spec={
                "rules": [
                    {"host": "A.example.org", "http": {"paths": [{"path": "/x"}, {}, {"path": "/x"}]}},
                    {"host": "b.example.org"},
                    {"http": {"paths": [{"path": "/y"}]}},
                    {"host": "a.example.org", "http": {"paths": [{"path": "/z"}]}},
                ]
            },
        )
    )
    assert _ingress_claims(web) == [
        ("a.example.org", "/x"),
        ("a.example.org", "/"),
        ("b.example.org", "*"),
        ("a.example.org", "/z"),
    ]
    assert _overlap("*", "/a") and _overlap("/a", "*") and _overlap("/a", "/a")
    assert not _overlap("/a", "/b")


def test_split_tunnel_configs() -> None:
    one = tunnel_map("blog", "t", ["a.example.org"])
    two = tunnel_map("ops", "t", ["b.example.org"])
    same = tunnel_map("other", "t", ["a.example.org"])
    found = list(check_hosts([one, two, same]))
    assert [(f.check, f.ref, f.field, f.value) for f in found] == [
        ("tunnel.split-config", "ConfigMap/blog/cloudflared", "data.config.yaml", "t"),
        ("tunnel.split-config", "ConfigMap/ops/cloudflared", "data.config.yaml", "t"),
        ("tunnel.split-config", "ConfigMap/other/cloudflared", "data.config.yaml", "t"),
    ]
    assert found[1].message == (
        "tunnel 't' is also configured by ConfigMap blog/cloudflared, ConfigMap other/cloudflared with a different "
        "ingress list; each connector serves only its own list, so requests fail at random"
    )
    assert found[1].fix == "keep one ingress list per tunnel: merge the routes into one config, or use another tunnel"
    assert found[0].severity == "error"
    # one list shared by every connector is fine, and so is a host routed twice by one tunnel
    assert list(check_hosts([one, same])) == []
    assert list(check_hosts([tunnel_map("blog", "t", ["a.example.org", "a.example.org"])])) == []


def test_one_host_on_two_tunnels() -> None:
    a = tunnel_map("blog", "ta", ["x.example.org"], key="a.yaml")
    b = tunnel_map("ops", "tb", ["x.example.org", "y.example.org"])
    c = tunnel_map("other", "tc", ["X.example.org"])
    found = list(check_hosts([a, b, c]))
    assert [(f.check, f.ref, f.field, f.value, f.severity) for f in found] == [
        ("host.duplicate", "ConfigMap/blog/cloudflared", "data.a.yaml", "x.example.org", "error"),
        ("host.duplicate", "ConfigMap/ops/cloudflared", "data.config.yaml", "x.example.org", "error"),
        ("host.duplicate", "ConfigMap/other/cloudflared", "data.config.yaml", "x.example.org", "error"),
    ]
    assert found[0].message == (
        "host 'x.example.org' is routed by tunnel 'ta' here and also by tunnel 'tb' (ConfigMap ops/cloudflared), "
        "tunnel 'tc' (ConfigMap other/cloudflared)"
    )
    assert found[0].fix == "route each hostname through one tunnel only"


def test_one_host_on_two_ingresses() -> None:
    web = web_ingress("web", "x.example.org", "/", "/api")
    api = web_ingress("api", "X.example.org", "/api", ns="ops", app="shop")
    other = web_ingress("other", "x.example.org", "/other")
    found = list(check_hosts([web, api, other]))
    assert [(f.check, f.ref, f.field, f.value, f.message) for f in found] == [
        (
            "host.duplicate",
            "Ingress/blog/web",
            "spec.rules",
            "x.example.org",
            "host 'x.example.org' (path /api) is also claimed by Ingress ops/api (apps/shop)",
        ),
        (
            "host.duplicate",
            "Ingress/ops/api",
            "spec.rules",
            "x.example.org",
            "host 'x.example.org' (path /api) is also claimed by Ingress blog/web (apps/blog)",
        ),
    ]
    assert found[0].fix == "serve each hostname and path from one Ingress only"
    # a host without paths claims them all; each claimant is reported once, naming each rival once
    everything = web_ingress("all", "x.example.org")
    found = list(check_hosts([web, everything, other]))
    assert [(f.ref, f.message) for f in found] == [
        ("Ingress/blog/web", "host 'x.example.org' (path /) is also claimed by Ingress blog/all (apps/blog)"),
        (
            "Ingress/blog/all",
            "host 'x.example.org' (path *) is also claimed by Ingress blog/web (apps/blog), Ingress blog/other (apps/blog)",
        ),
        ("Ingress/blog/other", "host 'x.example.org' (path /other) is also claimed by Ingress blog/all (apps/blog)"),
    ]
    # one Ingress naming a host twice is no rival of itself; other groups are not Ingresses
    assert list(check_hosts([web_ingress("w", "x.example.org", "/", "/")])) == []
    odd = ro(man("extensions/v1beta1", "Ingress", "old", spec={"rules": [{"host": "x.example.org"}]}))
    assert list(check_hosts([web, odd])) == []


def test_host_on_a_tunnel_and_an_ingress() -> None:
    web = web_ingress("web", "x.example.org", "/", "/api")
    tunnel = tunnel_map("ops", "tb", ["x.example.org"])
    found = list(check_hosts([tunnel, web]))
    assert [(f.check, f.ref, f.severity, f.field, f.value) for f in found] == [
        ("host.tunnel-and-ingress", "Ingress/blog/web", "warning", "spec.rules", "x.example.org")
    ]
    assert found[0].message == (
        "host 'x.example.org' is also routed by Cloudflare tunnel 'tb' (ConfigMap ops/cloudflared); DNS points at "
        "one of them, so the other never sees traffic (and HTTP-01 fails)"
    )
    assert found[0].fix == "drop the Ingress or the tunnel route"
    second = tunnel_map("other", "tc", ["y.example.org"])
    assert [f.check for f in check_hosts([second, tunnel, web])] == ["host.tunnel-and-ingress"]
    assert "tunnel 'tb'" in list(check_hosts([tunnel, tunnel_map("other", "tc", ["x.example.org"]), web]))[-1].message


def test_boundaries_two_is_already_a_conflict() -> None:
    """Exactly two claimants conflict, and a clean object before a conflicting one hides nothing."""
    lone = ro(man("v1", "ConfigMap", "lone"))
    pair = [ro(man("v1", "ConfigMap", "c")), ro(man("v1", "ConfigMap", "c"), app="other")]
    assert [(f.check, f.message.split(":")[0]) for f in check_identities([lone, *pair])] == [
        ("identity.duplicate", "is rendered 2 times in layer 'apps'")
    ]

    def es(name: str, target: str, ns: str = "blog") -> RenderedObject:
        return ro(man("external-secrets.io/v1", "ExternalSecret", name, ns, spec={"target": {"name": target}}))

    owners = [es("solo", "solo", "aaa"), es("a", "db"), es("b", "db")]
    assert [f.ref for f in check_secret_owners(Inventory(owners, ClusterFacts()))] == ["Secret/blog/db"]

    alone = tunnel_map("blog", "ta", ["a.example.org"], name="first")
    one = tunnel_map("blog", "ta", ["x.example.org"])
    two = tunnel_map("ops", "tb", ["x.example.org"])
    assert [(f.check, f.ref) for f in check_hosts([alone, one, two])] == [
        ("tunnel.split-config", "ConfigMap/blog/first"),
        ("tunnel.split-config", "ConfigMap/blog/cloudflared"),
        ("host.duplicate", "ConfigMap/blog/cloudflared"),
        ("host.duplicate", "ConfigMap/ops/cloudflared"),
    ]
    solo = tunnel_map("other", "tz", ["z.example.org"])
    split = [tunnel_map("blog", "ty", ["a.example.org"]), tunnel_map("ops", "ty", ["b.example.org"])]
    assert [f.check for f in check_hosts([solo, *split])] == ["tunnel.split-config", "tunnel.split-config"]
    assert [f.ref for f in check_hosts([solo, one, two])] == ["ConfigMap/blog/cloudflared", "ConfigMap/ops/cloudflared"]


def test_every_ingress_on_a_tunnel_host_is_warned_and_other_objects_are_skipped() -> None:
    tunnel = tunnel_map("ops", "tb", ["x.example.org"])
    web, api = web_ingress("web", "x.example.org", "/a"), web_ingress("api", "x.example.org", "/b")
    assert [(f.check, f.ref) for f in check_hosts([tunnel, web, api])] == [
        ("host.tunnel-and-ingress", "Ingress/blog/web"),
        ("host.tunnel-and-ingress", "Ingress/blog/api"),
    ]
    secret = ro(man("v1", "Secret", "s"))
    found, _ = tunnels([secret, tunnel])
    assert [t.name for t in found] == ["tb"]
    # "tunnel:" without "ingress:" is not a cloudflared config, even when it does not parse
    assert _tunnel(ro(man("v1", "ConfigMap", "c")), "k", "tunnel: [\n") is None
