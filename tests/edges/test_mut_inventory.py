"""In-process tests for mutation survivors of `fako.validation` inventory, facts, findings and engine.

Expected values are worked out by hand from the rules the modules implement (what
exists once a render is applied, how findings read and sort, how the allow-list and
fixtures apply), never taken from the code under test.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import pytest

from fako.rendered import RenderedObject
from fako.validation.engine import _apply_allow_list, _exempt, _matches, each, expand_lists, validate
from fako.validation.facts import Allowance, ClusterFacts, NodePool, Taint
from fako.validation.findings import Finding, Report, finding
from fako.validation.inventory import Inventory, _external_secret_keys, group_of
from ruletest import obj as man

# -- builders ------------------------------------------------------------------------------


def ro(
    manifest: dict[str, Any],
    *,
    layer: str = "apps",
    app: str = "blog",
    source: str = "fako.apps.blog:12",
    path: str = "apps/blog/x.yaml",
    construct_class: str = "Blog",
    construct_path: str = "cluster/blog",
) -> RenderedObject:
    return RenderedObject(
        layer=layer,
        app=app,
        manifest=manifest,
        path=path,
        construct_path=construct_path,
        construct_class=construct_class,
        source=source,
    )


def inv(*objects: RenderedObject, external: Iterable[tuple[str, str, str]] = ()) -> Inventory:
    return Inventory(list(objects), ClusterFacts(external=frozenset(external)))


def secret(name: str, ns: str = "blog", **body: Any) -> RenderedObject:
    return ro(man("v1", "Secret", name, ns, **body))


def external_secret(name: str, ns: str = "blog", **spec: Any) -> RenderedObject:
    return ro(man("external-secrets.io/v1", "ExternalSecret", name, ns, spec=spec))


# -- group_of ------------------------------------------------------------------------------


def test_group_of_reads_the_api_group() -> None:
    assert group_of({"apiVersion": "apps/v1"}) == "apps"
    assert group_of({"apiVersion": "v1"}) == ""
    assert group_of({}) == ""
    assert group_of({"apiVersion": "cert-manager.io/v1"}) == "cert-manager.io"


# -- Inventory: keys, exists, names ---------------------------------------------------------


def test_key_drops_the_namespace_of_cluster_scoped_kinds() -> None:
    assert Inventory.key("StorageClass", "blog", "nfs") == ("StorageClass", "", "nfs")
    assert Inventory.key("Secret", "blog", "db") == ("Secret", "blog", "db")


def test_built_in_objects_exist() -> None:
    i = inv()
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease"):
        assert i.exists("Namespace", "", ns)
        assert i.implied[("Namespace", "", ns)] == "built in"
    for role in ("cluster-admin", "admin", "edit", "view"):
        assert i.exists("ClusterRole", "", role)
        assert i.implied[("ClusterRole", "", role)] == "built in"
    assert i.names("Namespace") == ["default", "kube-system", "kube-public", "kube-node-lease"]
    assert i.names("ClusterRole") == ["cluster-admin", "admin", "edit", "view"]
    assert i.exists("ServiceAccount", "anywhere", "default")
    assert i.exists("ConfigMap", "anywhere", "kube-root-ca.crt")
    assert i.exists("ClusterRole", "", "system:aggregate-to-view")
    assert not i.exists("ServiceAccount", "blog", "web")
    assert not i.exists("Secret", "blog", "default")
    assert not i.exists("Secret", "blog", "kube-root-ca.crt")
    assert not i.exists("ConfigMap", "blog", "default")
    assert not i.exists("Role", "blog", "system:view")
    assert not i.exists("ClusterRole", "", "my-system:view")
    assert not i.exists("Namespace", "", "blog")
    assert i.rendered == {}
    assert i.creators == {}
    assert i.unissued == {}


def test_external_objects_exist_and_are_named_in_order() -> None:
    external = [("Secret", "blog", "zeta"), ("Secret", "blog", "alpha"), ("StorageClass", "", "fast")]
    i = inv(external=external)
    assert i.exists("Secret", "blog", "zeta")
    assert i.exists("StorageClass", "other", "fast")
    assert not i.exists("Secret", "other", "zeta")
    assert i.names("Secret", "blog") == ["alpha", "zeta"]  # sorted facts
    assert i.names("StorageClass") == ["fast"]
    assert i.names("StorageClass", "blog") == ["fast"]
    assert i.names("Secret") == []
    assert i.external == frozenset(external)
    assert i.keys("Secret", "blog", "zeta") is None
    # a cluster-scoped kind is listed without namespace, whatever the facts wrote
    assert inv(external=[("StorageClass", "blog", "slow")]).names("StorageClass") == ["slow"]
    # a namespaced kind asked without a namespace: the names declared with namespace ""
    assert inv(external=[("Secret", "", "loose")]).names("Secret") == ["loose"]


def test_rendered_objects_are_tracked_by_group_and_kind() -> None:
    objects = [
        ro(man("v1", "Secret", "db")),
        ro(man("v1", "ConfigMap", "cfg")),
        ro(man("apps/v1", "Deployment", "web")),
        ro(man("v1", "Deployment", "wrong-group")),  # not apps: not a Deployment
        ro(man("storage.k8s.io/v1", "StorageClass", "nfs", None)),
        ro(man("rbac.authorization.k8s.io/v1", "ClusterRole", "reader", None)),
        ro(man("traefik.io/v1alpha1", "Middleware", "auth")),
        ro(man("example.com/v1", "Widget", "w")),
    ]
    i = inv(*objects)
    assert set(i.rendered) == {
        ("Secret", "blog", "db"),
        ("ConfigMap", "blog", "cfg"),
        ("Deployment", "blog", "web"),
        ("StorageClass", "", "nfs"),
        ("ClusterRole", "", "reader"),
        ("Middleware", "blog", "auth"),
    }
    assert i.rendered[("Secret", "blog", "db")] is objects[0]
    assert i.exists("Deployment", "blog", "web")
    assert not i.exists("Deployment", "blog", "wrong-group")
    assert i.names("ClusterRole") == ["reader", "cluster-admin", "admin", "edit", "view"]  # rendered first


def test_names_keep_first_seen_order_without_repeats() -> None:
    i = inv(secret("b"), secret("a"), secret("b"), secret("c", "other"))
    assert i.names("Secret", "blog") == ["b", "a"]
    assert i.names("Secret", "other") == ["c"]
    # the first copy of a duplicated object is the one kept
    assert i.rendered[("Secret", "blog", "b")].manifest["metadata"]["name"] == "b"
    # each (kind, namespace) keeps its own names
    i = inv(secret("x"), ro(man("v1", "ConfigMap", "x")), secret("x", "other"))
    assert (i.names("Secret", "blog"), i.names("ConfigMap", "blog"), i.names("Secret", "other")) == (
        ["x"],
        ["x"],
        ["x"],
    )


# -- Inventory: data keys ------------------------------------------------------------------


def test_secret_and_configmap_keys() -> None:
    i = inv(
        secret("db", data={"user": "eA=="}, stringData={"password": "x"}),
        ro(man("v1", "ConfigMap", "cfg", data={"a": "1"}, binaryData={"b": "AA=="}, stringData={"no": "x"})),
        secret("token", type="kubernetes.io/service-account-token", data={"extra": "eA=="}),
        secret("empty"),
    )
    assert i.keys("Secret", "blog", "db") == frozenset({"user", "password"})
    assert i.keys("ConfigMap", "blog", "cfg") == frozenset({"a", "b"})
    assert i.keys("Secret", "blog", "token") == frozenset({"extra", "token", "ca.crt", "namespace"})
    assert i.keys("Secret", "blog", "empty") == frozenset()
    assert i.keys("Secret", "blog", "missing") is None
    assert i.keys("ConfigMap", "other", "cfg") is None


def test_only_the_first_copy_of_a_secret_gives_keys_and_a_creator() -> None:
    first = secret("db", data={"one": "eA=="})
    second = secret("db", data={"two": "eA=="})
    i = inv(first, second)
    assert i.keys("Secret", "blog", "db") == frozenset({"one"})
    assert i.creators[("Secret", "blog", "db")] == [(first, "Secret blog/db")]
    c1 = ro(man("v1", "ConfigMap", "cfg", data={"one": "1"}))
    c2 = ro(man("v1", "ConfigMap", "cfg", data={"two": "2"}))
    assert inv(c1, c2).keys("ConfigMap", "blog", "cfg") == frozenset({"one"})


def test_kube_root_ca_keys_unless_rendered_or_external() -> None:
    assert inv().keys("ConfigMap", "blog", "kube-root-ca.crt") == frozenset({"ca.crt"})
    assert inv().keys("Secret", "blog", "kube-root-ca.crt") is None
    rendered = ro(man("v1", "ConfigMap", "kube-root-ca.crt", data={"own.crt": "x"}))
    assert inv(rendered).keys("ConfigMap", "blog", "kube-root-ca.crt") == frozenset({"own.crt"})
    external = [("ConfigMap", "blog", "kube-root-ca.crt")]
    assert inv(external=external).keys("ConfigMap", "blog", "kube-root-ca.crt") is None
    # external wins over rendered
    assert (
        inv(secret("db", data={"a": "eA=="}), external=[("Secret", "blog", "db")]).keys("Secret", "blog", "db") is None
    )


def test_sops_secret_is_named_as_such() -> None:
    s = secret("db", sops={"version": "3"})
    assert inv(s).creators[("Secret", "blog", "db")] == [(s, "SOPS Secret blog/db")]


def test_unknown_keys_stay_unknown() -> None:
    """A source whose keys cannot be read makes the keys unknown, whichever comes first."""
    plain = secret("db", data={"a": "eA=="})
    merge_unknown = external_secret("es", target={"name": "db", "creationPolicy": "Merge"}, dataFrom=[{"extract": {}}])
    assert inv(plain, merge_unknown).keys("Secret", "blog", "db") is None
    assert inv(merge_unknown, plain).keys("Secret", "blog", "db") is None
    merge_known = external_secret("es2", target={"name": "db", "creationPolicy": "Merge"}, data=[{"secretKey": "b"}])
    assert inv(plain, merge_known).keys("Secret", "blog", "db") == frozenset({"a", "b"})
    assert inv(merge_unknown, merge_known).keys("Secret", "blog", "db") is None


# -- Inventory: ExternalSecret -------------------------------------------------------------


def test_external_secret_creation_policies() -> None:
    owner = external_secret("es", data=[{"secretKey": "k"}])
    i = inv(owner)
    assert i.creators[("Secret", "blog", "es")] == [(owner, "ExternalSecret blog/es")]
    assert i.implied[("Secret", "blog", "es")] == "ExternalSecret blog/es"
    assert i.keys("Secret", "blog", "es") == frozenset({"k"})
    assert i.names("Secret", "blog") == ["es"]

    orphan = external_secret("es", target={"name": "out", "creationPolicy": "Orphan"}, data=[{"secretKey": "k"}])
    i = inv(orphan)
    assert i.exists("Secret", "blog", "out")
    assert not i.exists("Secret", "blog", "es")
    assert i.keys("Secret", "blog", "out") == frozenset({"k"})

    merge = external_secret("es", target={"name": "out", "creationPolicy": "Merge"}, data=[{"secretKey": "k"}])
    i = inv(merge)
    assert not i.exists("Secret", "blog", "out")
    assert i.creators == {}
    assert i.keys("Secret", "blog", "out") == frozenset({"k"})

    none = external_secret("es", target={"name": "out", "creationPolicy": "None"}, data=[{"secretKey": "k"}])
    i = inv(none)
    assert not i.exists("Secret", "blog", "out")
    assert i.keys("Secret", "blog", "out") is None


def test_two_creators_keep_the_first_reason() -> None:
    one = external_secret("a", target={"name": "db"})
    two = external_secret("b", target={"name": "db"})
    i = inv(one, two)
    assert i.creators[("Secret", "blog", "db")] == [(one, "ExternalSecret blog/a"), (two, "ExternalSecret blog/b")]
    assert i.implied[("Secret", "blog", "db")] == "ExternalSecret blog/a"
    assert i.names("Secret", "blog") == ["db"]


def test_external_secret_of_another_group_creates_nothing() -> None:
    es = ro(man("example.com/v1", "ExternalSecret", "es", spec={"data": [{"secretKey": "k"}]}))
    assert not inv(es).exists("Secret", "blog", "es")


def test_external_secret_keys() -> None:
    assert _external_secret_keys({}) == set()
    assert _external_secret_keys({"data": [{"secretKey": "a"}, {"remoteRef": {}}, {"secretKey": ""}, "x"]}) == {"a"}
    assert _external_secret_keys({"data": [{"secretKey": 5}]}) == {"5"}
    assert _external_secret_keys({"data": [{"secretKey": "a"}], "dataFrom": [{"extract": {}}]}) is None
    assert _external_secret_keys({"data": [{"secretKey": "a"}], "dataFrom": []}) == {"a"}
    target_from = {"target": {"template": {"templateFrom": [{"configMap": {}}], "data": {"t": "x"}}}}
    assert _external_secret_keys({"data": [{"secretKey": "a"}], **target_from}) is None
    replace = {"target": {"template": {"data": {"t": "{{ .a }}", 7: "x"}}}}
    assert _external_secret_keys({"data": [{"secretKey": "a"}], **replace}) == {"t", "7"}
    merge = {"target": {"template": {"mergePolicy": "Merge", "data": {"t": "x"}}}}
    assert _external_secret_keys({"data": [{"secretKey": "a"}], **merge}) == {"a", "t"}
    assert _external_secret_keys({"dataFrom": [{"extract": {}}], **merge}) is None
    replace_unknown = {"target": {"template": {"mergePolicy": "Replace", "data": {"t": "x"}}}}
    assert _external_secret_keys({"dataFrom": [{"extract": {}}], **replace_unknown}) == {"t"}
    no_data = {"target": {"template": {"mergePolicy": "Merge", "type": "Opaque"}}}
    assert _external_secret_keys({"data": [{"secretKey": "a"}], **no_data}) == {"a"}
    assert _external_secret_keys({"dataFrom": [{"extract": {}}], **no_data}) is None


# -- Inventory: certificates --------------------------------------------------------------


def certificate(secret_name: str | None = "web-tls", **issuer: Any) -> RenderedObject:
    """Certificate blog/web for Secret `secret_name`, its `issuerRef` made of `issuer`."""
    spec: dict[str, Any] = {"issuerRef": issuer} if issuer else {}
    if secret_name is not None:
        spec["secretName"] = secret_name
    return ro(man("cert-manager.io/v1", "Certificate", "web", spec=spec))


def cluster_issuer(name: str) -> RenderedObject:
    return ro(man("cert-manager.io/v1", "ClusterIssuer", name, None))


def test_certificate_from_an_existing_issuer_creates_its_secret() -> None:
    cert = certificate(name="le", kind="ClusterIssuer")
    i = inv(cert, cluster_issuer("le"))  # the issuer may come later in the render
    key = ("Secret", "blog", "web-tls")
    assert i.creators[key] == [(cert, "Certificate blog/web")]
    assert i.implied[key] == "Certificate blog/web"
    assert i.keys("Secret", "blog", "web-tls") == frozenset({"tls.crt", "tls.key", "ca.crt"})
    assert i.unissued == {}
    issuer = ro(man("cert-manager.io/v1", "Issuer", "local"))
    assert inv(certificate(name="local"), issuer).exists("Secret", "blog", "web-tls")  # kind defaults to Issuer
    grouped = certificate(name="local", group="cert-manager.io")
    assert inv(grouped, issuer).exists("Secret", "blog", "web-tls")


def test_certificate_from_a_missing_issuer_is_unissued() -> None:
    i = inv(certificate(name="le", kind="ClusterIssuer"))
    assert not i.exists("Secret", "blog", "web-tls")
    assert i.unissued == {
        ("Secret", "blog", "web-tls"): "Certificate blog/web asks ClusterIssuer 'le' for it, which does not exist"
    }
    assert i.keys("Secret", "blog", "web-tls") is None
    i = inv(certificate(name="local"), ro(man("cert-manager.io/v1", "Issuer", "local", "other")))
    assert i.unissued == {
        ("Secret", "blog", "web-tls"): (
            "Certificate blog/web asks Issuer 'local' for it, which does not exist in namespace 'blog'"
        )
    }
    assert i.creators == {}


def test_certificate_of_an_external_issuer_or_no_issuer_is_assumed_issued() -> None:
    cert = certificate(name="vault", group="example.com", kind="VaultIssuer")
    i = inv(cert)
    assert i.creators[("Secret", "blog", "web-tls")] == [(cert, "Certificate blog/web")]
    assert i.keys("Secret", "blog", "web-tls") is None
    bare = certificate()
    assert inv(bare).creators[("Secret", "blog", "web-tls")] == [(bare, "Certificate blog/web")]
    assert inv(certificate(secret_name=None, name="le")).creators == {}
    assert inv(certificate(secret_name="", name="le")).implied.get(("Secret", "blog", "")) is None
    other = ro(man("example.com/v1", "Certificate", "web", spec={"secretName": "web-tls"}))
    assert not inv(other).exists("Secret", "blog", "web-tls")


def ingress(name: str = "web", annotations: dict[str, str] | None = None, tls: Any = None) -> RenderedObject:
    spec: dict[str, Any] = {"rules": [{"host": "blog.example.org"}]}
    if tls is not None:
        spec["tls"] = tls
    return ro(man("networking.k8s.io/v1", "Ingress", name, spec=spec, meta={"annotations": annotations or {}}))


def test_ingress_tls_secret_from_cert_manager() -> None:
    annotations = {"cert-manager.io/cluster-issuer": "le"}
    web = ingress(annotations=annotations, tls=[{"secretName": "web-tls"}, {"hosts": ["x"]}, {"secretName": ""}])
    i = inv(web, cluster_issuer("le"))
    key = ("Secret", "blog", "web-tls")
    assert i.exists(*key)
    assert i.implied[key] == "cert-manager for Ingress blog/web"
    assert key not in i.creators  # an Ingress's certificate is not an ownership claim
    assert i.keys(*key) == frozenset({"tls.crt", "tls.key", "ca.crt"})
    assert [k for k in i.implied if k[0] == "Secret"] == [key]

    i = inv(web)
    assert not i.exists(*key)
    assert i.unissued == {key: "cert-manager for Ingress blog/web asks ClusterIssuer 'le' for it, which does not exist"}

    local = ingress(annotations={"cert-manager.io/issuer": "local"}, tls=[{"secretName": "web-tls"}])
    i = inv(local)
    assert i.unissued == {
        key: "cert-manager for Ingress blog/web asks Issuer 'local' for it, which does not exist in namespace 'blog'"
    }
    assert inv(local, ro(man("cert-manager.io/v1", "Issuer", "local"))).exists(*key)


def test_ingress_prefers_the_cluster_issuer_and_needs_an_annotation() -> None:
    both = {"cert-manager.io/issuer": "local", "cert-manager.io/cluster-issuer": "le"}
    web = ingress(annotations=both, tls=[{"secretName": "web-tls"}])
    assert inv(web, cluster_issuer("le")).exists("Secret", "blog", "web-tls")
    assert not inv(web, ro(man("cert-manager.io/v1", "Issuer", "local"))).exists("Secret", "blog", "web-tls")
    plain = ingress(tls=[{"secretName": "web-tls"}])
    i = inv(plain, cluster_issuer("le"))
    assert not i.exists("Secret", "blog", "web-tls")
    assert i.unissued == {}
    empty = ingress(annotations={"cert-manager.io/cluster-issuer": ""}, tls=[{"secretName": "web-tls"}])
    assert inv(empty).unissued == {}
    other = ro(
        man(
            "extensions/v1beta1",
            "Ingress",
            "web",
            spec={"tls": [{"secretName": "web-tls"}]},
            meta={"annotations": {"cert-manager.io/cluster-issuer": "le"}},
        )
    )
    assert inv(other).unissued == {}


# -- Inventory: StatefulSet claims, services, pod labels ------------------------------------


def stateful_set(replicas: Any = None, claims: Sequence[str] = ("data",)) -> RenderedObject:
    spec: dict[str, Any] = {
        "volumeClaimTemplates": [{"metadata": {"name": c}} for c in claims],
        "template": {"metadata": {"labels": {"app": "db"}}, "spec": {"containers": []}},
    }
    if replicas is not None:
        spec["replicas"] = replicas
    return ro(man("apps/v1", "StatefulSet", "db", spec=spec))


def claims_of(i: Inventory) -> list[str]:
    return i.names("PersistentVolumeClaim", "blog")


def test_stateful_set_claims_one_per_replica() -> None:
    assert claims_of(inv(stateful_set())) == ["data-db-0"]
    assert claims_of(inv(stateful_set(3, ("data", "wal")))) == [
        "data-db-0",
        "data-db-1",
        "data-db-2",
        "wal-db-0",
        "wal-db-1",
        "wal-db-2",
    ]
    assert inv(stateful_set(2)).implied[("PersistentVolumeClaim", "blog", "data-db-1")] == "StatefulSet blog/db"
    assert claims_of(inv(stateful_set(0))) == ["data-db-0"]
    assert claims_of(inv(stateful_set(-1))) == ["data-db-0"]
    assert claims_of(inv(stateful_set("3"))) == ["data-db-0"]
    assert len(claims_of(inv(stateful_set(999)))) == 999
    assert claims_of(inv(stateful_set(999)))[-1] == "data-db-998"
    assert claims_of(inv(stateful_set(1000))) == ["data-db-0"]
    assert claims_of(inv(stateful_set(1))) == ["data-db-0"]
    other = ro(man("example.com/v1", "StatefulSet", "db", spec={"volumeClaimTemplates": [{"metadata": {"name": "d"}}]}))
    assert claims_of(inv(other)) == []


def test_service_ports_labels_and_pod_labels() -> None:
    svc = ro(
        man(
            "v1",
            "Service",
            "web",
            spec={"ports": [{"name": "http", "port": 80}, "junk", 5]},
            meta={"labels": {"tier": "front"}},
        )
    )
    bare = ro(man("v1", "Service", "bare", "other"))
    pod = ro(man("v1", "Pod", "p", spec={"containers": []}, meta={"labels": {"app": "p"}}))
    deploy = ro(
        man("apps/v1", "Deployment", "web", spec={"template": {"metadata": {"labels": {"app": "web"}}, "spec": {}}})
    )
    elsewhere = ro(man("v1", "Pod", "q", "other", spec={}, meta={"labels": {"app": "q"}}))
    i = inv(svc, bare, pod, deploy, elsewhere)
    assert i.service_ports == {("blog", "web"): [{"name": "http", "port": 80}], ("other", "bare"): []}
    assert i.service_labels == {("blog", "web"): {"tier": "front"}, ("other", "bare"): {}}
    assert i.pod_labels == {"blog": [{"app": "p"}, {"app": "web"}], "other": [{"app": "q"}]}
    # a second Service of the same name replaces the ports
    again = ro(man("v1", "Service", "web", spec={"ports": [{"port": 8080}]}))
    assert inv(svc, again).service_ports[("blog", "web")] == [{"port": 8080}]


# -- facts ---------------------------------------------------------------------------------


def test_taint_text() -> None:
    assert str(Taint(key="gpu", value="true", effect="NoExecute")) == "gpu=true:NoExecute"
    assert str(Taint(key="gpu")) == "gpu:NoSchedule"
    assert str(Taint(key="gpu", value="")) == "gpu=:NoSchedule"


@pytest.mark.parametrize("bad", ["a*", "a?", "a[b]"])
def test_allowance_refuses_globs_in_check_and_ref(bad: str) -> None:
    message = (
        f"allow-list entries name one object exactly, got {bad!r}: write one entry per object "
        "(a glob would also accept new mistakes)"
    )
    with pytest.raises(ValueError) as raised:
        Allowance(check=bad, ref="Secret/blog/x", reason="r")
    assert message in str(raised.value)
    with pytest.raises(ValueError) as raised:
        Allowance(check="ref.secret", ref=bad, reason="r")
    assert message in str(raised.value)


def test_allowance_keeps_its_values_and_needs_a_reason() -> None:
    a = Allowance(check="ref.secret", ref="Secret/blog/x", value="v", reason=" why ")
    assert (a.check, a.ref, a.value, a.reason) == ("ref.secret", "Secret/blog/x", "v", " why ")
    for blank in ("", "   ", "\t\n"):
        with pytest.raises(ValueError) as raised:
            Allowance(check="ref.secret", ref="x", reason=blank)
        assert "an allowance needs a reason: say why the finding is acceptable" in str(raised.value)


def test_policy_facts() -> None:
    facts = ClusterFacts(policy={"policy.probes": "error"})
    assert facts.policy == {"policy.probes": "error"}
    assert facts.severity("policy.probes") == "error"
    assert facts.severity("policy.image-tag") == "warning"
    with pytest.raises(ValueError) as raised:
        ClusterFacts(policy={"zz": "error", "aa": "warning", "policy.probes": "error"})
    assert (
        "unknown policy check aa, zz; choose from policy.image-tag, policy.resources, policy.probes, policy.run-as-root"
    ) in str(raised.value)


@pytest.mark.parametrize(("given", "kept"), [("1.34", "1.34"), ("v1.30", "1.30"), ("1.29.3", "1.29"), ("2.0.x", "2.0")])
def test_kubernetes_version_is_kept_as_major_minor(given: str, kept: str) -> None:
    assert ClusterFacts(kubernetes_version=given).kubernetes_version == kept


@pytest.mark.parametrize("bad", ["1", "", "1.x", "x.1", "v", "1.", ".1"])
def test_kubernetes_version_must_look_like_major_minor(bad: str) -> None:
    with pytest.raises(ValueError) as raised:
        ClusterFacts(kubernetes_version=bad)
    assert f"must look like '1.34', got {bad!r}" in str(raised.value)


# -- findings ------------------------------------------------------------------------------


def f_(severity: Any = "error", check: str = "c", ref: str = "K/ns/n", message: str = "m", **extra: Any) -> Finding:
    return Finding(severity=severity, check=check, ref=ref, message=message, **extra)


def test_fails_only_for_an_error_nobody_allowed() -> None:
    assert f_("error").fails
    assert not f_("error", allowed="ok").fails
    assert not f_("warning").fails
    assert not f_("warning", allowed="ok").fails


def test_sort_key_orders_by_ref_check_field_message_source() -> None:
    assert f_(field="f", source="s").sort_key() == ("K/ns/n", "c", "f", "m", "s")
    a = f_(ref="A", check="z", field="z", message="z", source="z")
    b = f_(ref="B", check="a", field="a", message="a", source="a")
    c = f_(ref="B", check="b", field="a", message="a", source="a")
    d = f_(ref="B", check="b", field="b", message="a", source="a")
    e = f_(ref="B", check="b", field="b", message="b", source="a")
    g = f_(ref="B", check="b", field="b", message="b", source="b")
    report = Report.of([g, e, d, c, b, a], objects=1)
    assert report.findings == (a, b, c, d, e, g)


def test_render_every_part() -> None:
    full = f_(
        ref="Ingress/blog/web",
        check="ref.secret",
        message="names Secret 'x'",
        fix="render it",
        source="fako.apps.blog:12",
        construct="Blog",
        field="spec.tls",
    )
    assert full.render() == (
        "error  Ingress/blog/web  (fako.apps.blog:12 Blog)  ref.secret: spec.tls: names Secret 'x'; fix: render it"
    )
    assert f_("warning").render() == "warning  K/ns/n  c: m"
    assert f_(source="s").render() == "error  K/ns/n  (s)  c: m"
    assert f_(construct="C").render() == "error  K/ns/n  (C)  c: m"
    assert f_(allowed="known").render() == "allowed  K/ns/n  c: m; allowed: known"
    assert f_(message="a\x1bb\nc").render() == "error  K/ns/n  c: a\\x1bb\\nc"


def test_finding_without_an_object() -> None:
    assert finding(None, "c", "m") == Finding(severity="error", check="c", ref="", message="m")
    got = finding(None, "c", "m", "fx", severity="warning", ref="R", field="f", value="v")
    assert got == Finding(severity="warning", check="c", ref="R", message="m", fix="fx", field="f", value="v")


def test_finding_about_an_object_carries_its_provenance() -> None:
    o = ro(man("v1", "Secret", "db"), layer="L", app="A", source="S", path="P", construct_class="CC")
    got = finding(o, "c", "m", "fx", field="f", value="v")
    assert got == Finding(
        severity="error",
        check="c",
        ref="Secret/blog/db",
        message="m",
        fix="fx",
        construct="CC",
        source="S",
        path="P",
        layer="L",
        app="A",
        field="f",
        value="v",
    )
    assert finding(o, "c", "m", ref="Other/x", severity="warning").ref == "Other/x"
    assert finding(o, "c", "m", severity="warning").severity == "warning"
    assert finding(o, "c", "m").fix == ""
    plain = ro(man("v1", "Secret", "db"), construct_class="", construct_path="cluster/blog/db")
    assert finding(plain, "c", "m").construct == "cluster/blog/db"


def test_report_counts_summary_and_text() -> None:
    findings = [f_("error", ref="b"), f_("warning", ref="a"), f_("error", ref="c", allowed="r"), f_("warning", ref="d")]
    report = Report.of(findings, objects=3)
    assert report.counts == {"error": 1, "warning": 2, "allowed": 1}
    assert not report.ok
    assert [f.ref for f in report.errors] == ["b"]
    assert [f.ref for f in report.warnings] == ["a", "d"]
    assert report.summary() == "1 error, 2 warnings, 1 allowed in 3 objects: failed"
    assert report.to_text() == "\n".join(
        [
            "warning  a  c: m",
            "error  b  c: m",
            "allowed  c  c: m; allowed: r",
            "warning  d  c: m",
            "1 error, 2 warnings, 1 allowed in 3 objects: failed",
        ]
    )
    one = Report.of([f_("warning"), f_("warning", allowed="x"), f_("error", allowed="y")], objects=1)
    assert one.ok
    assert one.summary() == "0 errors, 1 warning, 2 allowed in 1 object: ok"
    assert Report().summary() == "0 errors, 0 warnings, 0 allowed in 0 objects: ok"
    assert Report().to_text() == "0 errors, 0 warnings, 0 allowed in 0 objects: ok"
    two = Report.of([f_("error"), f_("error", ref="z")], objects=2)
    assert two.summary() == "2 errors, 0 warnings, 0 allowed in 2 objects: failed"


def test_report_as_json() -> None:
    report = Report.of([f_("warning", fix="x")], objects=2)
    data = report.as_dict()
    assert data["summary"] == {"error": 0, "warning": 1, "allowed": 0, "objects": 2, "ok": True}
    assert data["findings"] == [
        {
            "severity": "warning",
            "check": "c",
            "ref": "K/ns/n",
            "message": "m",
            "fix": "x",
            "construct": "",
            "source": "",
            "path": "",
            "layer": "",
            "app": "",
            "allowed": "",
            "field": "",
            "value": "",
        }
    ]
    text = report.to_json()
    assert json.loads(text) == data
    assert text.startswith('{\n  "findings": [\n    {\n      "allowed": "",\n      "app": "",')
    assert text.endswith('"objects": 2,\n    "ok": true,\n    "warning": 1\n  }\n}')


# -- engine --------------------------------------------------------------------------------


class Memo:
    def __init__(self) -> None:
        self.stored: dict[tuple[str, str], list[Finding]] = {}
        self.calls: list[tuple[str, str, str]] = []

    def get(self, obj: RenderedObject, part: str) -> list[Finding] | None:
        self.calls.append(("get", obj.name, part))
        return self.stored.get((obj.name, part))

    def put(self, obj: RenderedObject, part: str, findings: list[Finding]) -> None:
        self.calls.append(("put", obj.name, part))
        self.stored[(obj.name, part)] = findings


def test_each_without_and_with_a_memo() -> None:
    a, b = secret("a"), secret("b")
    batches: list[list[str]] = []

    def run(some: Sequence[RenderedObject]) -> list[Finding]:
        batches.append([o.name for o in some])
        return [f_(ref=o.name) for o in some]

    assert [f.ref for f in each([a, b], "rules", run, None)] == ["a", "b"]
    assert batches == [["a", "b"]]
    batches.clear()
    memo = Memo()
    memo.stored[("b", "rules")] = [f_(ref="remembered")]
    assert [f.ref for f in each([a, b], "rules", run, memo)] == ["a", "remembered"]
    assert batches == [["a"]]
    assert memo.calls == [("get", "a", "rules"), ("put", "a", "rules"), ("get", "b", "rules")]
    assert [f.ref for f in memo.stored[("a", "rules")]] == ["a"]
    batches.clear()
    memo.stored[("a", "schema")] = []
    assert each([a], "schema", run, memo) == []
    assert batches == []


def test_matches_needs_check_ref_and_value() -> None:
    allow = Allowance(check="c", ref="R", value="v", reason="r")
    assert _matches(allow, f_(check="c", ref="R", value="v"))
    assert not _matches(allow, f_(check="x", ref="R", value="v"))
    assert not _matches(allow, f_(check="c", ref="X", value="v"))
    assert not _matches(allow, f_(check="c", ref="R", value="x"))
    assert _matches(Allowance(check="c", ref="R", reason="r"), f_(check="c", ref="R"))


def test_allow_list_marks_findings_and_reports_stale_entries() -> None:
    first = Allowance(check="c", ref="R", value="v", reason="first")
    second = Allowance(check="c", ref="R", value="v", reason="second")
    stale = Allowance(check="ref.secret", ref="R", value="gone", reason="old")
    stale_no_value = Allowance(check="ref.pvc", ref="R", reason="older")
    elsewhere = Allowance(check="c", ref="Other", reason="off")
    found = [f_(check="c", ref="R", value="v"), f_(check="c", ref="R", value="w")]
    out = _apply_allow_list(found, [first, second, stale, stale_no_value, elsewhere], ["R", "R2"])
    assert [(f.check, f.value, f.allowed) for f in out[:2]] == [("c", "v", "first"), ("c", "w", "")]
    assert out[2].message == "stale allow-list entry: no c finding about 'v' on R (reason given: second)"
    assert out[3:] == [
        Finding(
            severity="error",
            check="allow.stale",
            ref="R",
            message="stale allow-list entry: no ref.secret finding about 'gone' on R (reason given: old)",
            fix="the mistake is gone: remove the entry from the cluster facts' allow list",
            value="gone",
        ),
        Finding(
            severity="error",
            check="allow.stale",
            ref="R",
            message="stale allow-list entry: no ref.pvc finding on R (reason given: older)",
            fix="the mistake is gone: remove the entry from the cluster facts' allow list",
            value="",
        ),
    ]
    # the second entry matches the same kind of finding as the first: it is used when the first is not
    two = [f_(check="c", ref="R", value="v"), f_(check="c", ref="R", value="v")]
    out = _apply_allow_list(two, [first, second], ["R"])
    assert [f.allowed for f in out[:2]] == ["first", "first"]
    assert len(out) == 3
    assert out[2].check == "allow.stale"
    assert "reason given: second" in out[2].message
    assert _apply_allow_list([], [stale], []) == []


def test_expand_lists_replaces_lists_by_their_items() -> None:
    item = man("v1", "Secret", "one")
    listing = ro(
        {"apiVersion": "v1", "kind": "List", "items": [item, "junk", man("v1", "ConfigMap", "two")]},
        source="fako.apps.blog:3",
    )
    listing = RenderedObject(**{**listing.__dict__, "raw": b"x"})
    unsourced = ro({"apiVersion": "v1", "kind": "SecretList", "items": [man("v1", "Secret", "three")]}, source="")
    not_a_list = ro({"apiVersion": "v1", "kind": "List", "items": {"a": 1}})
    items_elsewhere = ro(man("example.com/v1", "Catalog", "c", items=[man("v1", "Secret", "x")]))
    plain = secret("plain")
    out = expand_lists([listing, unsourced, not_a_list, items_elsewhere, plain])
    assert [(o.kind, o.name, o.source) for o in out] == [
        ("Secret", "one", "fako.apps.blog:3 items[0]"),
        ("ConfigMap", "two", "fako.apps.blog:3 items[2]"),
        ("Secret", "three", "items[0]"),
        ("List", "", "fako.apps.blog:12"),
        ("Catalog", "c", "fako.apps.blog:12"),
        ("Secret", "plain", "fako.apps.blog:12"),
    ]
    assert out[0].manifest is item
    assert out[0].raw is None
    assert (out[0].layer, out[0].app, out[0].path) == ("apps", "blog", "apps/blog/x.yaml")
    assert out[3] is not_a_list
    assert out[5] is plain


def test_exempt_spares_schema_and_identity_findings() -> None:
    fixtures = frozenset({"broken"})
    assert _exempt(f_(check="ref.secret", app="broken"), fixtures)
    assert not _exempt(f_(check="ref.secret", app="other"), fixtures)
    assert not _exempt(f_(check="schema", app="broken"), fixtures)
    assert not _exempt(f_(check="schema.unknown", app="broken"), fixtures)
    assert not _exempt(f_(check="identity.duplicate", app="broken"), fixtures)
    assert _exempt(f_(check="identity", app="broken"), fixtures)


def namespace(name: str = "blog") -> RenderedObject:
    return ro(man("v1", "Namespace", name, None))


def test_validate_counts_objects_after_expanding_lists() -> None:
    listing = ro({"apiVersion": "v1", "kind": "List", "items": [namespace().manifest, man("v1", "ConfigMap", "c")]})
    report = validate([listing], ClusterFacts())
    assert report.objects == 2
    assert report.findings == ()


def test_validate_schemas_flag_and_memo() -> None:
    bad = ro(man("v1", "ConfigMap", "c", data={"a": "1"}, bogus=1))
    with_schemas = validate([namespace(), bad], ClusterFacts())
    assert [f.check for f in with_schemas.findings] == ["schema"]
    assert validate([namespace(), bad], ClusterFacts(), schemas=False).findings == ()
    memo = Memo()
    validate([namespace(), bad], ClusterFacts(), memo=memo)
    assert ("put", "c", "schema") in memo.calls
    assert ("put", "c", "rules") in memo.calls
    assert [f.check for f in memo.stored[("c", "schema")]] == ["schema"]


def test_validate_fixtures_and_allow_list() -> None:
    missing = ro(
        man(
            "v1",
            "Pod",
            "p",
            spec={"containers": [{"name": "c", "image": "x:1", "envFrom": [{"secretRef": {"name": "s"}}]}]},
        ),
        app="broken",
    )
    checks = {f.check for f in validate([namespace(), missing], ClusterFacts(), schemas=False).findings}
    assert "ref.secret" in checks
    exempt = validate([namespace(), missing], ClusterFacts(fixtures=frozenset({"broken"})), schemas=False)
    assert exempt.findings == ()
    allow = Allowance(check="ref.secret", ref="Pod/blog/p", value="s", reason="known")
    stale = Allowance(check="ref.pvc", ref="Pod/blog/p", reason="old")
    facts = ClusterFacts(allow=(allow, stale))
    report = validate([namespace(), missing], facts, schemas=False)
    assert [(f.check, f.allowed) for f in report.findings if f.check in ("ref.secret", "allow.stale")] == [
        ("ref.secret", "known")
    ]
    report = validate([namespace(), missing], facts, schemas=False, complete=True)
    assert [(f.check, f.allowed) for f in report.findings if f.check in ("ref.secret", "allow.stale")] == [
        ("allow.stale", ""),
        ("ref.secret", "known"),
    ]


def test_validate_hands_every_check_what_it_needs() -> None:
    """Facts, pools, inventory, custom validator and Kubernetes version each reach their check."""

    def pod(name: str, container: dict[str, Any] | None = None, **spec: Any) -> RenderedObject:
        body = {"containers": [container or {"name": "c", "image": "x:1"}], **spec}
        return ro(man("v1", "Pod", name, spec=body))

    labelled = ro(
        man("v1", "Namespace", "blog", None, meta={"labels": {"pod-security.kubernetes.io/enforce": "baseline"}})
    )
    gpu = {"name": "c", "image": "x:1", "resources": {"limits": {"nvidia.com/gpu": 2}}}
    env = {
        "name": "c",
        "image": "x:1",
        "env": [{"name": "A", "valueFrom": {"secretKeyRef": {"name": "s", "key": "nokey"}}}],
    }
    sysctls = {"sysctls": [{"name": "net.ipv4.tcp_rmem", "value": "4096 87380 6291456"}]}
    route = "tunnel: t\ningress:\n- hostname: a.example.org\n  service: http://missing:80\n- service: http_status:404\n"
    widget = RenderedObject(**{**ro(man("example.com/v1", "Widget", "w")).__dict__, "typed": False})
    typed = ro(man("v1", "ConfigMap", "typed", bogus=1))
    raw = RenderedObject(**{**ro(man("v1", "ConfigMap", "raw", bogus=1)).__dict__, "typed": False})
    objects = [
        labelled,
        pod("sel", nodeSelector={"gpu": "no"}),
        pod("gpu", gpu),
        pod("prio", priorityClassName="high"),
        pod("sys", securityContext=sysctls),
        pod("keys", env),
        secret("s", type="Opaque", data={"k": "eA=="}),
        ro(man("v1", "ConfigMap", "cloudflared", data={"config.yaml": route})),
        widget,
        typed,
        raw,
    ]
    seen: list[str] = []

    def custom(manifest: dict[str, Any]) -> list[str]:
        seen.append(manifest["kind"])
        return ["bad widget"]

    pools = (NodePool(name="gpu", labels={"gpu": "yes"}, allocatable={"nvidia.com/gpu": 1}),)
    keep = (
        "tunnel.service",
        "schema",
        "schema.custom",
        "node.capacity",
        "node.selector",
        "psa.sysctls",
        "ref.secret-key",
        "ref.priority-class",
    )

    def run(version: str) -> list[tuple[str, str]]:
        facts = ClusterFacts(kubernetes_version=version, priority_classes=frozenset({"high"}), node_pools=pools)
        report = validate(objects, facts, custom=custom, skip_typed_schemas=True)
        assert report.objects == 11
        return [(f.check, f.ref) for f in report.findings if f.check in keep]

    expected = [
        ("tunnel.service", "ConfigMap/blog/cloudflared"),
        ("schema", "ConfigMap/blog/raw"),
        ("node.capacity", "Pod/blog/gpu"),
        ("ref.secret-key", "Pod/blog/keys"),
        ("node.selector", "Pod/blog/sel"),
        ("schema.custom", "Widget/blog/w"),
    ]
    assert run("1.34") == expected
    assert seen == ["Widget"]
    custom_found = [(f.check, f.ref, f.message) for f in validate(objects, ClusterFacts(), custom=custom).findings]
    assert ("schema.custom", "Widget/blog/w", "bad widget") in custom_found
    # without skip_typed_schemas the typed ConfigMap's schema is checked too
    assert ("schema", "ConfigMap/blog/typed", "the object: unknown field 'bogus'") in custom_found
    # net.ipv4.tcp_rmem is a baseline-safe sysctl only from Kubernetes 1.32 on
    assert run("1.30") == [*expected[:5], ("psa.sysctls", "Pod/blog/sys"), expected[5]]
