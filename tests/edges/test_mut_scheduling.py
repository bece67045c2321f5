"""fako.validation.scheduling, pinned (mutation tests): node selector terms, tolerations,
the pools a pod fits, and the exact findings."""

from __future__ import annotations

from typing import Any

from fako.rendered import RenderedObject
from fako.validation.facts import NodePool, Taint
from fako.validation.scheduling import (
    _affinity_holds,
    _expression_holds,
    _selector_fix,
    _tolerates,
    check_scheduling,
    fitting_pools,
)

CPU = NodePool(name="cpu", labels={"pool": "cpu", "zone": "a"})
GPU = NodePool(name="gpu", labels={"pool": "gpu", "zone": "b"}, taints=(Taint(key="gpu", value="yes"),))
SOFT = NodePool(name="soft", labels={"pool": "soft"}, taints=(Taint(key="soft", effect="PreferNoSchedule"),))
EXEC = NodePool(name="exec", labels={"pool": "exec"}, taints=(Taint(key="ex", effect="NoExecute"),))


def expr(key: str, op: str, *values: Any) -> dict[str, Any]:
    return {"key": key, "operator": op, "values": list(values)}


def test_in_and_not_in() -> None:
    labels = {"zone": "a", "n": "5"}
    assert _expression_holds(expr("zone", "In", "a", "b"), labels) is True
    assert _expression_holds(expr("zone", "In", "b"), labels) is False
    assert _expression_holds(expr("missing", "In", "a"), labels) is False
    assert _expression_holds(expr("zone", "NotIn", "b"), labels) is True
    assert _expression_holds(expr("zone", "NotIn", "a"), labels) is False
    assert _expression_holds(expr("missing", "NotIn", "a"), labels) is True
    assert _expression_holds(expr("n", "In", 5), labels) is True  # values compared as strings
    assert _expression_holds({"key": "zone", "operator": "In", "values": "a"}, labels) is False


def test_exists_and_does_not_exist() -> None:
    labels = {"zone": "a", "": "empty"}
    assert _expression_holds(expr("zone", "Exists"), labels) is True
    assert _expression_holds(expr("x", "Exists"), labels) is False
    assert _expression_holds(expr("zone", "DoesNotExist"), labels) is False
    assert _expression_holds(expr("x", "DoesNotExist"), labels) is True
    assert _expression_holds({"operator": "Exists"}, labels) is True  # no key is the key ""
    assert _expression_holds({"operator": "Exists"}, {"zone": "a"}) is False
    assert _expression_holds(expr("zone", "Bogus", "a"), labels) is False
    assert _expression_holds({"key": "zone"}, labels) is False


def test_gt_and_lt_compare_integers_at_the_boundary() -> None:
    labels = {"n": "5", "word": "five"}
    assert _expression_holds(expr("n", "Gt", "4"), labels) is True
    assert _expression_holds(expr("n", "Gt", "5"), labels) is False
    assert _expression_holds(expr("n", "Gt", "6"), labels) is False
    assert _expression_holds(expr("n", "Lt", "6"), labels) is True
    assert _expression_holds(expr("n", "Lt", "5"), labels) is False
    assert _expression_holds(expr("n", "Lt", "4"), labels) is False
    assert _expression_holds(expr("n", "Gt", "4", "100"), labels) is True  # only the first value counts
    assert _expression_holds(expr("n", "Lt", "6", "1"), labels) is True
    assert _expression_holds(expr("n", "Gt"), labels) is False
    assert _expression_holds(expr("x", "Gt", "1"), labels) is False
    assert _expression_holds(expr("word", "Gt", "1"), labels) is False
    assert _expression_holds(expr("n", "Lt", "ten"), labels) is False


def affinity(*terms: list[dict[str, Any]]) -> dict[str, Any]:
    required = {"nodeSelectorTerms": [{"matchExpressions": t} for t in terms]}
    return {"affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": required}}}


def test_affinity_terms_are_ored_and_expressions_anded() -> None:
    labels = {"zone": "a", "pool": "cpu"}
    assert _affinity_holds({}, labels) is True
    assert _affinity_holds(affinity([expr("zone", "In", "a"), expr("pool", "In", "cpu")]), labels) is True
    assert _affinity_holds(affinity([expr("zone", "In", "a"), expr("pool", "In", "gpu")]), labels) is False
    assert _affinity_holds(affinity([expr("zone", "In", "b")], [expr("pool", "In", "cpu")]), labels) is True
    assert _affinity_holds(affinity([expr("zone", "In", "b")], [expr("pool", "In", "gpu")]), labels) is False
    assert _affinity_holds(affinity([]), labels) is True  # a term without expressions matches


def test_tolerations() -> None:
    taint = Taint(key="gpu", value="yes")
    assert _tolerates({"key": "gpu", "value": "yes"}, taint) is True
    assert _tolerates({"key": "gpu", "value": "yes", "effect": "NoSchedule"}, taint) is True
    assert _tolerates({"key": "gpu", "value": "yes", "effect": "NoExecute"}, taint) is False
    assert _tolerates({"key": "gpu", "value": "no"}, taint) is False
    assert _tolerates({"key": "gpu"}, taint) is False
    assert _tolerates({"key": "gpu", "operator": "Exists"}, taint) is True
    assert _tolerates({"key": "other", "operator": "Exists"}, taint) is False
    assert _tolerates({"operator": "Exists"}, taint) is True
    assert _tolerates({"operator": "Exists", "effect": "NoExecute"}, taint) is False
    assert _tolerates({}, taint) is False
    assert _tolerates({"operator": "Equal"}, taint) is False
    novalue = Taint(key="k")
    assert _tolerates({"key": "k"}, novalue) is True
    assert _tolerates({"key": "k", "value": None}, novalue) is True
    assert _tolerates({"key": "k", "value": "v"}, novalue) is False
    assert _tolerates({"key": "n", "value": 1}, Taint(key="n", value="1")) is True


def test_fitting_pools() -> None:
    pools = [CPU, GPU, SOFT, EXEC]
    assert fitting_pools({}, pools) == [CPU, SOFT]
    assert fitting_pools({"nodeSelector": {"zone": "a"}}, pools) == [CPU]
    assert fitting_pools({"nodeSelector": {"pool": "gpu"}}, pools) == []
    tolerate = {"tolerations": [{"key": "gpu", "operator": "Exists"}], "nodeSelector": {"pool": "gpu"}}
    assert fitting_pools(tolerate, pools) == [GPU]
    assert fitting_pools({"tolerations": [{"operator": "Exists"}]}, pools) == pools
    assert fitting_pools(affinity([expr("pool", "In", "soft", "cpu")]), pools) == [CPU, SOFT]
    assert fitting_pools(
        {"nodeSelector": {"pool": "exec"}, "tolerations": [{"key": "ex", "operator": "Exists"}]}, pools
    ) == [EXEC]


def test_selector_fix() -> None:
    pools = [CPU, GPU]
    assert _selector_fix({"zone": "c"}, pools) == "node pools have zone=a (cpu), zone=b (gpu)"
    assert _selector_fix({"disk": "ssd", "x": "y"}, pools) == "no node pool has label 'disk', 'x'; pools: cpu, gpu"


def deployment(**spec: Any) -> RenderedObject:
    manifest = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "blog"},
        "spec": {"template": {"spec": {"containers": [{"name": "a"}], **spec}}},
    }
    return RenderedObject("apps", "blog", manifest, "apps/blog/web.yaml", "cluster/apps/blog", "Blog", "fako.apps:1")


def found(o: RenderedObject, pools: list[NodePool]) -> list[tuple[str, str, str, str, str]]:
    findings = list(check_scheduling([o], pools))
    assert all(f.ref == "Deployment/blog/web" and f.path == "apps/blog/web.yaml" for f in findings)
    return [(f.severity, f.check, f.message, f.fix, f.value) for f in findings]


def test_no_pools_nothing_checked() -> None:
    assert list(check_scheduling([deployment(nodeSelector={"x": "y"})], [])) == []
    svc = RenderedObject("apps", "b", {"apiVersion": "v1", "kind": "Service"}, "p", "c", "X", "s")
    assert list(check_scheduling([svc], [CPU])) == []


def test_a_selector_no_pool_matches() -> None:
    assert found(deployment(nodeSelector={"zone": "c", "pool": "cpu"}), [CPU, GPU]) == [
        (
            "error",
            "node.selector",
            "spec.template.spec: nodeSelector zone=c, pool=cpu matches no node pool, so its pods stay Pending",
            "node pools have pool=cpu (cpu), pool=gpu (gpu), zone=a (cpu), zone=b (gpu); fix the selector or declare the pool",
            "zone=c, pool=cpu",
        )
    ]
    f = next(iter(check_scheduling([deployment(nodeSelector={"zone": "c"})], [CPU])))
    assert f.ref == "Deployment/blog/web"
    assert f.source == "fako.apps:1"


def test_affinity_no_pool_matches() -> None:
    assert found(deployment(**affinity([expr("zone", "In", "z")])), [CPU]) == [
        (
            "error",
            "node.selector",
            "spec.template.spec: nodeSelector (none) with its required node affinity matches no node pool, "
            "so its pods stay Pending",
            "no node pool has label ; pools: cpu; fix the selector or declare the pool",
            "(none)",
        )
    ]


def test_every_selected_pool_tainted() -> None:
    pools = [GPU, EXEC]
    assert found(deployment(nodeSelector={"pool": "gpu"}), pools) == [
        (
            "error",
            "node.taint",
            "spec.template.spec: every node pool it selects has a taint it does not tolerate (gpu: gpu=yes:NoSchedule)",
            "add a toleration for the taint, or select another pool",
            "gpu: gpu=yes:NoSchedule",
        )
    ]
    assert found(deployment(), pools)[0][4] == "gpu: gpu=yes:NoSchedule; exec: ex:NoExecute"
    two = NodePool(name="two", taints=(Taint(key="a"), Taint(key="b", effect="NoExecute")))
    assert found(deployment(), [two])[0][4] == "two: a:NoSchedule, b:NoExecute"
    # one selected pool it can run on is enough
    assert found(deployment(), [GPU, CPU]) == []
    assert found(deployment(), [SOFT]) == []


def test_a_toleration_for_a_taint_no_pool_has_is_a_warning() -> None:
    tolerations = [
        {"key": "gone", "operator": "Exists", "effect": "NoSchedule"},
        {"key": "gone2", "operator": "Exists"},
        {"key": "gpu", "operator": "Exists"},
        {"operator": "Exists"},
    ]
    assert found(deployment(tolerations=tolerations), [CPU, GPU]) == [
        (
            "warning",
            "node.toleration",
            "spec.template.spec: tolerates taint gone:NoSchedule, which no node pool has",
            "remove the toleration, or declare the taint on its node pool",
            "gone",
        ),
        (
            "warning",
            "node.toleration",
            "spec.template.spec: tolerates taint gone2, which no node pool has",
            "remove the toleration, or declare the taint on its node pool",
            "gone2",
        ),
    ]
