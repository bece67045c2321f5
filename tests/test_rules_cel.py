"""CEL rules of CRDs (`fako.validation.crd_rules`): evaluated on custom resources with
`self` at the rule's schema path, defaults applied, transition rules skipped; the
shipped rules match the CRD schemas in ../shared."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from fako.rendered import RenderedObject
from fako.validation import ClusterFacts, validate
from fako.validation import crd_rules as rules
from ruletest import found, obj


def helmrelease(**spec: object) -> dict[str, object]:
    return obj("helm.toolkit.fluxcd.io/v2", "HelmRelease", "web", spec={"interval": "1h", **spec})


def test_shipped_rules_are_extracted_from_the_current_crd_schemas(shared: Path) -> None:
    spec = importlib.util.spec_from_file_location("extract_crd_rules", ROOT / "tools" / "extract_crd_rules.py")
    assert spec and spec.loader
    tool = importlib.util.module_from_spec(spec)
    sys.modules["extract_crd_rules"] = tool
    spec.loader.exec_module(tool)
    fresh = tool.render(tool.extract(shared / "schemas" / "crds"))
    shipped = (ROOT / "src" / "fako" / "validation" / "files" / "crd_rules.json").read_text()
    assert shipped == fresh, "run tools/extract_crd_rules.py"


def test_rule_counts_and_skipped_transition_rules() -> None:
    assert rules.rule_count() == 50
    skipped = rules.skipped_rules()
    assert len(skipped) == 19
    assert all("oldSelf" in s["rule"] and s["why"].startswith("transition rule") for s in skipped)


def test_helmrelease_needs_chart_or_chart_ref() -> None:
    chart = {"spec": {"chart": "podinfo", "sourceRef": {"kind": "HelmRepository", "name": "podinfo"}}}
    assert found(rules.crd_cel_rules, helmrelease(chart=chart)) == []
    assert found(rules.crd_cel_rules, helmrelease()) == ["spec: either chart or chartRef must be set"]
    both = helmrelease(chart=chart, chartRef={"kind": "OCIRepository", "name": "podinfo"})
    assert found(rules.crd_cel_rules, both) == ["spec: either chart or chartRef must be set"]


def test_nested_rule_binds_self_to_its_node() -> None:
    chart = {"spec": {"chart": "x", "sourceRef": {"kind": "HelmRepository", "name": "x"}}}
    ok = helmrelease(chart=chart, upgrade={"strategy": {"name": "RetryOnFailure", "retryInterval": "5m"}})
    assert found(rules.crd_cel_rules, ok) == []
    bad = helmrelease(chart=chart, upgrade={"strategy": {"name": "RemediateOnFailure", "retryInterval": "5m"}})
    assert found(rules.crd_cel_rules, bad) == [
        "spec.upgrade.strategy: .retryInterval can only be set when .name is 'RetryOnFailure'"
    ]


def bucket(**spec: object) -> dict[str, object]:
    return obj(
        "source.toolkit.fluxcd.io/v1",
        "Bucket",
        "b",
        spec={"bucketName": "b", "endpoint": "s3", "interval": "1h", **spec},
    )


def test_schema_defaults_apply_before_the_rules() -> None:
    # provider defaults to 'generic': an ldap STS is right for it, an aws STS is not
    assert found(rules.crd_cel_rules, bucket(sts={"provider": "ldap", "endpoint": "https://sts"})) == []
    assert found(rules.crd_cel_rules, bucket(sts={"provider": "aws", "endpoint": "https://sts"})) == [
        "spec: 'ldap' is the only supported STS provider for the 'generic' Bucket provider"
    ]


def test_list_items_are_each_checked() -> None:
    transport = obj(
        "traefik.io/v1alpha1",
        "ServersTransport",
        "t",
        spec={"rootCAs": [{"secret": "a"}, {"secret": "b", "configMap": "c"}]},
    )
    assert found(rules.crd_cel_rules, transport) == [
        "spec.rootCAs[1]: RootCA cannot have both Secret and ConfigMap defined."
    ]
    catalog = obj(
        "postgresql.cnpg.io/v1",
        "ImageCatalog",
        "pg",
        spec={"images": [{"major": 16, "image": "pg:16"}, {"major": 16, "image": "pg:16.1"}]},
    )
    assert found(rules.crd_cel_rules, catalog) == ["spec.images: Images must have unique major versions"]
    catalog["spec"]["images"][1]["major"] = 17
    assert found(rules.crd_cel_rules, catalog) == []


def test_scalar_rules_and_transition_rules_skipped() -> None:
    database = obj(
        "postgresql.cnpg.io/v1", "Database", "d", spec={"name": "app", "owner": "app", "cluster": {"name": "pg"}}
    )
    assert found(rules.crd_cel_rules, database) == []  # `self == oldSelf` (immutable name) is not evaluated
    database["spec"]["name"] = "template0"
    assert found(rules.crd_cel_rules, database) == ["spec.name: the name template0 is reserved"]


def test_a_rule_that_cannot_be_evaluated_is_an_error() -> None:
    cluster = obj(
        "postgresql.cnpg.io/v1",
        "Cluster",
        "pg",
        spec={"instances": 1, "bootstrap": {"initdb": {"builtinLocale": "C.UTF-8"}}},
    )
    [message] = found(rules.crd_cel_rules, cluster)
    assert message.startswith(
        "spec.bootstrap.initdb: rule \"!has(self.builtinLocale) || self.localeProvider == 'builtin'\" could not be "
        "evaluated: "
    )
    assert "localeProvider" in message
    cluster["spec"]["bootstrap"]["initdb"]["localeProvider"] = "builtin"
    assert found(rules.crd_cel_rules, cluster) == []


def test_kinds_without_rules_and_built_in_kinds_are_left_alone() -> None:
    assert found(rules.crd_cel_rules, obj("v1", "ConfigMap", "c", data={})) == []
    assert found(rules.crd_cel_rules, obj("external-secrets.io/v1", "ExternalSecret", "e", spec={})) == []


def test_cel_findings_through_the_engine() -> None:
    manifest = helmrelease()
    report = validate(
        [RenderedObject("apps", "web", manifest, "apps/web/web.yaml", "", "", "")], ClusterFacts(), schemas=False
    )
    lines = [f.render() for f in report.findings if f.check == "cel.rule"]
    assert lines == [
        "error  HelmRelease/blog/web  cel.rule: spec: either chart or chartRef must be set; fix: satisfy the CRD "
        "rule: (has(self.chart) && !has(self.chartRef)) || (!has(self.chart) && has(self.chartRef))"
    ]


def test_cel_is_loaded_without_its_command_line_interface() -> None:
    """The CEL package's own import would load its CLI (typer, rich, prompt_toolkit)."""
    code = (
        "import sys\n"
        "from fako.validation.crd_rules import _cel\n"
        "program = _cel().compile('self.x > 1')\n"
        "print(program.execute({'self': {'x': 2}}), 'typer' in sys.modules, 'prompt_toolkit' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.split() == ["True", "False", "False"]
