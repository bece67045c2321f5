"""In-process tests aimed at mutants of the small validation modules.

`safe_yaml`, `schedule`, `crd_rules`, `names`, `quantity`, `catalogue`, `rules` and the lazy
attributes of `fako.validation` itself: each expectation is worked out by hand from the
rule the module cites (apimachinery, robfig/cron, the API server's CEL validation).
"""

from __future__ import annotations

import sys
import types
from fractions import Fraction
from typing import Any

import pytest

import fako.validation
from fako.rendered import RenderedObject
from fako.validation import catalogue, crd_rules, names, safe_yaml
from fako.validation.quantity import QUANTITY_FORMAT, QuantityError, parse_quantity
from fako.validation.rules import Rule, Violation, rule
from fako.validation.safe_yaml import YamlRefused, load_documents
from fako.validation.schedule import schedule_problems, time_zone_problems

# -- fako.validation: names loaded on first use ------------------------------------------

_LAZY = {
    "validate": "fako.validation.engine",
    "POLICY_CHECKS": "fako.validation.facts",
    "Allowance": "fako.validation.facts",
    "ClusterFacts": "fako.validation.facts",
    "NodePool": "fako.validation.facts",
    "Taint": "fako.validation.facts",
    "load_tree": "fako.validation.files",
    "Finding": "fako.validation.findings",
    "Report": "fako.validation.findings",
    "CustomValidator": "fako.validation.schemas",
    "SchemaSet": "fako.validation.schemas",
}


@pytest.mark.parametrize(("name", "module"), sorted(_LAZY.items()))
def test_each_public_name_comes_from_its_module(name: str, module: str) -> None:
    value = fako.validation.__getattr__(name)
    assert value is getattr(sys.modules[module], name)


def test_a_name_looked_up_once_is_kept_in_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    from fako.validation.facts import Taint

    monkeypatch.delattr(fako.validation, "Taint", raising=False)
    assert "Taint" not in vars(fako.validation)
    assert fako.validation.Taint is Taint  # through the module's __getattr__
    assert vars(fako.validation)["Taint"] is Taint


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError) as info:
        fako.validation.__getattr__("validat")
    assert str(info.value) == "module 'fako.validation' has no attribute 'validat'"
    with pytest.raises(AttributeError, match="has no attribute 'engine_x'"):
        _ = fako.validation.engine_x  # type: ignore[attr-defined]


# -- rules: the @rule decorator ------------------------------------------------------------


def test_rule_decorator_keeps_check_source_and_function() -> None:
    def no_latest(manifest: dict[str, Any]) -> list[Violation]:
        """Images are pinned.

        More words."""
        return [Violation("spec.image", "is latest", "pin it", value="x:latest", severity="warning")]

    made = rule("policy.image-tag", "the cluster's policy")(no_latest)
    assert isinstance(made, Rule)
    assert (made.check, made.source, made.func) == ("policy.image-tag", "the cluster's policy", no_latest)
    assert made.doc == "Images are pinned."
    assert list(made({})) == [Violation("spec.image", "is latest", "pin it", "x:latest", "warning")]


def test_a_rule_without_a_docstring_has_an_empty_doc() -> None:
    made = rule("c", "s")(lambda manifest: [])
    assert (made.check, made.source, made.doc, list(made({}))) == ("c", "s", "", [])


# -- catalogue: check_objects ------------------------------------------------------------------


def _rendered(manifest: dict[str, Any]) -> RenderedObject:
    return RenderedObject("apps", "blog", manifest, "apps/blog/web.yaml", "cluster/blog", "Blog", "fako.apps.blog:12")


def test_check_objects_turns_each_violation_into_a_finding() -> None:
    def two(manifest: dict[str, Any]) -> list[Violation]:
        name = manifest["metadata"]["name"]
        return [
            Violation("metadata.name", f"{name} is odd", "rename it", value=name, severity="warning"),
            Violation("spec", "is empty"),
        ]

    first = rule("names.odd", "test")(two)
    second = rule("never", "test")(lambda manifest: [])
    web = _rendered({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "web", "namespace": "blog"}})
    db = _rendered({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "db"}})
    found = list(catalogue.check_objects([web, db], [first, second]))
    assert [(f.severity, f.check, f.ref, f.field, f.message, f.fix, f.value) for f in found] == [
        ("warning", "names.odd", "ConfigMap/blog/web", "metadata.name", "web is odd", "rename it", "web"),
        ("error", "names.odd", "ConfigMap/blog/web", "spec", "is empty", "", ""),
        ("warning", "names.odd", "ConfigMap/db", "metadata.name", "db is odd", "rename it", "db"),
        ("error", "names.odd", "ConfigMap/db", "spec", "is empty", "", ""),
    ]
    f = found[0]
    assert (f.construct, f.source, f.path, f.layer, f.app) == (
        "Blog",
        "fako.apps.blog:12",
        "apps/blog/web.yaml",
        "apps",
        "blog",
    )


def test_check_objects_runs_the_object_rules_by_default() -> None:
    assert catalogue.OBJECT_RULES[-1] is crd_rules.crd_cel_rules
    bad = _rendered({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "Web", "namespace": "blog"}})
    found = [(f.check, f.field, f.message, f.value) for f in catalogue.check_objects([bad])]
    message = f"'Web' is not a valid ConfigMap name (a DNS-1123 subdomain): {SUBDOMAIN}"
    assert found == [("name.metadata", "metadata.name", message, "Web")]
    assert list(catalogue.check_objects([], [])) == []


# -- names -----------------------------------------------------------------------------------

LABEL_1123 = "must be a lowercase RFC 1123 label: a-z, 0-9 and '-', starting and ending with a letter or digit"
LABEL_1035 = (
    "must be a lowercase RFC 1035 label: a-z, 0-9 and '-', starting with a letter and ending with a letter or digit"
)
SUBDOMAIN = (
    "must be a lowercase RFC 1123 subdomain: a-z, 0-9, '-' and '.', each dot-separated part "
    "starting and ending with a letter or digit"
)
QUALIFIED = "name part must consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"
LABEL_VALUE = "must be empty or consist of alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric"
C_IDENTIFIER = "must be a C identifier: letters, digits and '_', not starting with a digit"


def test_dns1123_label() -> None:
    assert names.dns1123_label("a" * 63) == []
    assert names.dns1123_label("a" * 64) == ["must be no more than 63 characters (it has 64)"]
    assert names.dns1123_label("0-a") == []
    assert names.dns1123_label("abcd", limit=4) == []
    assert names.dns1123_label("abcde", limit=4) == ["must be no more than 4 characters (it has 5)"]
    for bad in ("", "-a", "a-", "Web", "a.b", "a_b"):
        assert names.dns1123_label(bad) == [LABEL_1123], bad
    assert names.dns1123_label("-" * 64) == ["must be no more than 63 characters (it has 64)", LABEL_1123]


def test_dns1035_label() -> None:
    assert names.dns1035_label("a" + "0" * 62) == []
    assert names.dns1035_label("a" * 64) == ["must be no more than 63 characters (it has 64)"]
    for bad in ("", "1a", "a-", "-a", "A"):
        assert names.dns1035_label(bad) == [LABEL_1035], bad


def test_dns1123_subdomain() -> None:
    assert names.dns1123_subdomain("a.b-c.0") == []
    assert names.dns1123_subdomain("a" * 253) == []
    assert names.dns1123_subdomain("a" * 254) == ["must be no more than 253 characters (it has 254)"]
    assert names.dns1123_subdomain("ab.c", limit=3) == ["must be no more than 3 characters (it has 4)"]
    for bad in ("", "a..b", ".a", "a.", "a.-b", "A.b"):
        assert names.dns1123_subdomain(bad) == [SUBDOMAIN], bad


def test_path_segment_name() -> None:
    assert names.path_segment_name("system:aggregated-metrics-reader") == []
    assert names.path_segment_name(".") == ["may not be '.'"]
    assert names.path_segment_name("..") == ["may not be '..'"]
    assert names.path_segment_name("...") == []
    assert names.path_segment_name("a%b/c") == ["may not contain '/'", "may not contain '%'"]
    assert names.path_segment_name("a%b") == ["may not contain '%'"]


def test_qualified_name() -> None:
    assert names.qualified_name("app.kubernetes.io/name") == []
    assert names.qualified_name("a" * 63) == []
    assert names.qualified_name("a" * 64) == ["name part must be no more than 63 characters (it has 64)"]
    assert names.qualified_name("/app") == ["prefix part must be non-empty"]
    assert names.qualified_name("example.com/") == ["name part must be non-empty"]
    assert names.qualified_name("") == ["name part must be non-empty"]
    assert names.qualified_name("Example.com/x") == [f"prefix part {SUBDOMAIN}"]
    assert names.qualified_name("a/b/c") == [f"prefix part {SUBDOMAIN}", "must have at most one '/'"]
    assert names.qualified_name("x/-a") == [QUALIFIED]
    assert names.qualified_name("A_b.C-1") == []


def test_label_value() -> None:
    assert names.label_value("") == []
    assert names.label_value("A_b.C-1") == []
    assert names.label_value("a" * 63) == []
    assert names.label_value("a" * 64) == ["must be no more than 63 characters (it has 64)"]
    assert names.label_value("-a") == [LABEL_VALUE]
    assert names.label_value("a/b") == [LABEL_VALUE]


def test_config_map_key() -> None:
    assert names.config_map_key(".a-b_C.9") == []
    assert names.config_map_key("a" * 253) == []
    assert names.config_map_key("a" * 254) == ["must be no more than 253 characters (it has 254)"]
    assert names.config_map_key(".") == ["must not be '.'"]
    assert names.config_map_key("..") == ["must not be '..'"]
    assert names.config_map_key("..a") == ["must not start with '..'"]
    assert names.config_map_key("a b") == ["must consist of alphanumerics, '-', '_' or '.'"]
    assert names.config_map_key("") == ["must consist of alphanumerics, '-', '_' or '.'"]


def test_c_identifier() -> None:
    for good in ("_", "a", "_a1", "Abc_9"):
        assert names.c_identifier(good) == [], good
    for bad in ("", "1a", "a-b", "a.b", "a b"):
        assert names.c_identifier(bad) == [C_IDENTIFIER], bad


def test_port_name() -> None:
    assert names.port_name("http") == []
    assert names.port_name("a" * 15) == []
    assert names.port_name("a" * 16) == ["must be no more than 15 characters (it has 16)"]
    assert names.port_name("h2c-9") == []
    assert names.port_name("80") == ["must contain at least one letter"]
    assert names.port_name("HTTP") == ["must contain only a-z, 0-9 and '-'", "must contain at least one letter"]
    assert names.port_name("a--b") == ["must not contain '--'"]
    assert names.port_name("-ab") == ["must not begin or end with '-'"]
    assert names.port_name("ab-") == ["must not begin or end with '-'"]


def test_env_var_name() -> None:
    assert names.env_var_name("") == ["must not be empty"]
    assert names.env_var_name("1-a.b c") == []
    for bad in ("A=B", "caf\u00e9", "a\tb"):
        assert names.env_var_name(bad) == ["must consist only of printable ASCII characters other than '='"], bad


# -- quantity ------------------------------------------------------------------------------

MALFORMED = f"quantities must match the regular expression '{QUANTITY_FORMAT}'"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", Fraction(1)),
        ("100m", Fraction(1, 10)),
        ("1n", Fraction(1, 10**9)),
        ("1u", Fraction(1, 10**6)),
        ("1k", Fraction(1000)),
        ("1M", Fraction(10**6)),
        ("1G", Fraction(10**9)),
        ("1T", Fraction(10**12)),
        ("1P", Fraction(10**15)),
        ("1E", Fraction(10**18)),
        ("1Ki", Fraction(1024)),
        ("1Mi", Fraction(2**20)),
        ("1.5Gi", Fraction(3 * 2**29)),
        ("1Ti", Fraction(2**40)),
        ("1Pi", Fraction(2**50)),
        ("1Ei", Fraction(2**60)),
        ("2e3", Fraction(2000)),
        ("2E+3", Fraction(2000)),
        ("5e-1", Fraction(1, 2)),
        ("1e0", Fraction(1)),
        ("-1k", Fraction(-1000)),
        ("-0.5Ki", Fraction(-512)),
        ("+5", Fraction(5)),
        (".5", Fraction(1, 2)),
        ("1.", Fraction(1)),
        ("0.1", Fraction(1, 10)),
    ],
)
def test_quantities_parse_exactly(text: str, value: Fraction) -> None:
    assert parse_quantity(text) == value


def test_yaml_numbers_are_quantities() -> None:
    assert parse_quantity(2) == 2
    assert parse_quantity(0.5) == Fraction(1, 2)
    assert parse_quantity(1e21) == 10**21  # repr is '1e+21'


@pytest.mark.parametrize("text", ["1Gb", "1K", "abc", "1.5.5", " 1", "1 ", "1ki", "--1", "1e", "e3", "Gi"])
def test_malformed_quantities(text: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(text)
    assert str(info.value) == MALFORMED


def test_quantity_types() -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity("")
    assert str(info.value) == "must not be empty"
    for value, name in ((True, "bool"), (None, "NoneType"), ([1], "list"), (b"1", "bytes")):
        with pytest.raises(QuantityError) as info:
            parse_quantity(value)
        assert str(info.value) == f"must be a quantity string or number, got {name}"


# -- schedule --------------------------------------------------------------------------------


def test_schedule_number_and_step_messages() -> None:
    assert schedule_problems("*/-1 * * * *") == ("negative number (-1) not allowed: '*/-1'",)
    assert schedule_problems("-1 * * * *") == ("failed to parse int from '' in '-1'",)
    assert schedule_problems("1-x * * * *") == ("failed to parse int from 'x' in '1-x'",)
    assert schedule_problems("1--2 * * * *") == ("too many hyphens: '1--2'",)
    assert schedule_problems("*/x * * * *") == ("failed to parse int from 'x' in '*/x'",)
    assert schedule_problems("*/0 * * * *") == ("minute: step of range should be a positive number: '*/0'",)


def test_schedule_range_with_a_step_keeps_its_end() -> None:
    assert schedule_problems("5-70/2 * * * *") == ("minute: end of range (70) above maximum (59): '5-70/2'",)
    assert schedule_problems("10-5/2 * * * *") == ("minute: beginning of range (10) beyond end of range (5): '10-5/2'",)
    assert schedule_problems("5-10/2 * * * *") == ()
    assert schedule_problems("30/5 * * * *") == ()  # N/step runs to 59
    assert schedule_problems("* 23/2 * * *") == ()
    assert schedule_problems("* 24/2 * * *") == ("hour: beginning of range (24) beyond end of range (23): '24/2'",)
    assert schedule_problems("* 22-24/2 * * *") == ("hour: end of range (24) above maximum (23): '22-24/2'",)


def test_schedule_slashes() -> None:
    assert schedule_problems("1/2/3 * * * *") == ("too many slashes: '1/2/3'",)
    assert schedule_problems("*/2/3/4 * * * *") == ("too many slashes: '*/2/3/4'",)
    assert schedule_problems("*/59 * * * *") == ()


def test_schedule_field_bounds() -> None:
    assert schedule_problems("0 0 1 1 0") == ()
    assert schedule_problems("59 23 31 12 6") == ()
    assert schedule_problems("60 * * * *") == ("minute: end of range (60) above maximum (59): '60'",)
    assert schedule_problems("* * 0 * *") == ("day of month: beginning of range (0) below minimum (1): '0'",)
    assert schedule_problems("* * * 13 *") == ("month: end of range (13) above maximum (12): '13'",)
    assert schedule_problems("* * * * 7") == ("day of week: end of range (7) above maximum (6): '7'",)
    assert schedule_problems("* * * JAN-dec SUN-sat") == ()
    assert schedule_problems("* * * * 1,3,5") == ()
    assert schedule_problems("* * *") == ("expected exactly 5 fields, found 3: ['*', '*', '*']",)


def test_schedule_descriptors_and_time_zones() -> None:
    assert schedule_problems("") == ("is empty",)
    assert schedule_problems("@daily") == ()
    assert schedule_problems("@every 1h30m") == ()
    assert schedule_problems("@every 1d") == ("failed to parse duration '@every 1d'",)
    assert schedule_problems("@often") == ("unrecognized descriptor: '@often'",)
    assert schedule_problems("TZ=UTC 0 3 * * *") == (
        "cannot use TZ or CRON_TZ in schedule, use the timeZone field instead",
    )
    assert time_zone_problems("Europe/Amsterdam") == ()
    assert time_zone_problems("") == ("must be omitted or a non-empty time zone name",)
    assert time_zone_problems("Local") == (
        "must be an explicit time zone as defined in https://www.iana.org/time-zones",
    )
    assert time_zone_problems("Mars/Base") == ("unknown time zone 'Mars/Base'",)
    assert time_zone_problems("../etc") == ("unknown time zone '../etc'",)


# -- safe_yaml ------------------------------------------------------------------------------


def _refusal(text: str) -> str:
    with pytest.raises(YamlRefused) as info:
        list(load_documents(text))
    return str(info.value)


def test_alias_to_nothing_or_to_itself_names_its_line() -> None:
    assert _refusal("a: &x 1\nb: 2\nc: *nope\n") == "line 3: alias *nope refers to itself or to nothing"
    assert _refusal("a: &x [1, *x]\n") == "line 1: alias *x refers to itself or to nothing"
    assert _refusal("---\nx: 1\n---\na: &x 1\n---\nb: *x\n") == "line 6: alias *x refers to itself or to nothing"


def test_syntax_errors_are_worded_by_the_safe_loader() -> None:
    # libyaml's words (the safe C loader), not the pure-Python parser's
    assert _refusal("a: &x 1\n  b: 2\n") == (
        'mapping values are not allowed in this context in "<unicode string>", line 2, column 4'
    )


def test_aliases_are_counted_up_to_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safe_yaml, "MAX_NODES", 10)
    bomb = "aliases expand to more than 10 nodes (a YAML bomb?)"
    # a flow sequence: 1 for itself + 3 for [1, 2] + 3 + 3 = 10 nodes
    assert list(load_documents("[&a [1, 2], *a, *a]")) == [(1, [[1, 2], [1, 2], [1, 2]])]
    assert _refusal("[&a [1, 2], *a, *a, 1]") == bomb
    # an anchored scalar counts 1, and so does each alias to it: 1 + 9 = 10
    assert list(load_documents("[&s x, *s, *s, *s, *s, *s, *s, *s, *s]")) == [(1, ["x"] * 9)]
    assert _refusal("[&s x, *s, *s, *s, *s, *s, *s, *s, *s, *s]") == bomb
    # a mapping: 1 + 2 keys + [1, 2] (3) + its alias (3) = 9; one more scalar key and value
    assert list(load_documents("{a: &a [1, 2], b: *a}")) == [(1, {"a": [1, 2], "b": [1, 2]})]
    assert _refusal("{a: &a [1, 2], b: *a, c: d}") == bomb
    # each document is counted on its own
    assert [d for _, d in load_documents("[&a [1, 2], *a, *a]\n---\n[&b [1, 2], *b, *b]\n")] == [
        [[1, 2]] * 3,
        [[1, 2]] * 3,
    ]
    # nested anchors: [1, 2] is 3, [*a, *a] is 1 + 6 = 7; the root is 1 + 7 + ... = 15 > 10
    assert _refusal("[&b [&a [1, 2], *a], *b]") == bomb


def test_the_real_limit_refuses_a_billion_laughs() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, cur in zip("abcdef", "bcdefg", strict=True):
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 10) + "]")
    assert _refusal("\n".join(lines) + "\n") == "aliases expand to more than 1,000,000 nodes (a YAML bomb?)"
    assert [d["b"][0] for _, d in load_documents("\n".join(lines[:2]) + "\n")] == [["x"] * 10]


def test_documents_and_their_first_lines() -> None:
    text = "a: 1\n---\n---\n# nothing\n---\nb: &x [1]\nc: *x\n"
    assert list(load_documents(text)) == [(1, {"a": 1}), (6, {"b": [1], "c": [1]})]
    assert list(load_documents(b"d: 2020-01-01\n")) == [(1, {"d": "2020-01-01"})]
    assert _refusal("a: 1\na: 2\n") == "line 2: duplicate key 'a'"
    assert _refusal("? [1]\n: 2\n") == "line 1: a mapping key must be a plain value"


# -- crd_rules -------------------------------------------------------------------------------


def test_cel_is_imported_without_its_cli(monkeypatch: pytest.MonkeyPatch) -> None:
    crd_rules._cel()  # loaded once, so that it can be taken out and loaded again
    monkeypatch.delitem(sys.modules, "cel")
    monkeypatch.delitem(sys.modules, "cel.cli", raising=False)
    cel = crd_rules._cel()
    stub = sys.modules["cel.cli"]
    assert type(stub) is types.ModuleType
    assert stub.__name__ == "cel.cli"
    assert not hasattr(stub, "__file__")  # not the real CLI module
    assert sys.modules["cel"] is cel
    assert cel.compile("self.x > 1").execute({"self": {"x": 2}}) is True


def test_cel_already_imported_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    import cel

    monkeypatch.delitem(sys.modules, "cel.cli", raising=False)
    assert crd_rules._cel() is cel
    assert "cel.cli" not in sys.modules  # no stand-in when the package is already loaded


def test_compiled_rule_defaults() -> None:
    r = crd_rules._Compiled({"path": ["spec"], "rule": "self.x > 1"})
    assert (r.path, r.rule, r.message, r.field_path, r.defaults) == (
        ["spec"],
        "self.x > 1",
        "failed rule: self.x > 1",
        "",
        {},
    )
    assert r.message_program is None
    assert r.program.execute({"self": {"x": 2}}) is True


def test_compiled_rule_with_every_field() -> None:
    r = crd_rules._Compiled(
        {
            "path": ["spec", "[]"],
            "rule": "self.x > 1",
            "message": "x is too small",
            "fieldPath": ".x",
            "defaults": {"properties": {"x": {"default": 0}}},
            "messageExpression": "'x is ' + string(self.x)",
        }
    )
    assert (r.message, r.field_path, r.defaults) == ("x is too small", ".x", {"properties": {"x": {"default": 0}}})
    assert r.message_program is not None
    assert r.message_program.execute({"self": {"x": 0}}) == "x is 0"
    assert crd_rules._Compiled({"path": [], "rule": "true", "message": ""}).message == "failed rule: true"


def test_compiled_rules_drive_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [
        {
            "path": ["spec", "[]"],
            "rule": "self.x > 1",
            "message": "x is too small",
            "fieldPath": ".x",
            "defaults": {"properties": {"x": {"default": 0}}},
            "messageExpression": "'x is ' + string(self.x)",
        },
        {"path": ["spec", "[]"], "rule": "self.y", "message": "y"},
    ]
    compiled = tuple(crd_rules._Compiled(e) for e in entries)
    monkeypatch.setattr(crd_rules, "crd_rules", lambda api_version, kind: compiled)
    manifest = {"apiVersion": "x.io/v1", "kind": "Thing", "spec": [{"x": 5, "y": True}, {"y": "no"}, {"x": 1}]}
    got = [(v.field, v.message, v.fix) for v in crd_rules.crd_cel_rules(manifest)]
    assert got[:3] == [
        ("spec[1].x", "x is 0", "satisfy the CRD rule: self.x > 1"),
        ("spec[2].x", "x is 1", "satisfy the CRD rule: self.x > 1"),
        ("spec[1]", "rule 'self.y' returned 'no', not a bool", "satisfy the CRD rule: self.y"),
    ]
    assert got[3][0] == "spec[2]"
    assert got[3][1].startswith("rule 'self.y' could not be evaluated: ")
    assert len(got) == 4


def test_defaults_fill_absent_fields_only() -> None:
    schema = {"properties": {"a": {"default": {"x": [1]}}, "b": {"type": "string"}, "c": {"default": 3}}}
    value = {"c": None}
    got = crd_rules._defaulted(value, schema)
    assert got == {"a": {"x": [1]}, "c": None}  # b has no default; c is present (even if null)
    assert value == {"c": None}  # the value itself is left as it was
    got["a"]["x"].append(2)
    assert schema["properties"]["a"]["default"] == {"x": [1]}  # each default is a copy
    assert crd_rules._defaulted({"a": 7}, schema) == {"a": 7, "c": 3}


def test_defaults_apply_inside_objects_lists_and_maps() -> None:
    nested = {"properties": {"spec": {"default": {}, "properties": {"a": {"default": 1}, "b": {"default": 2}}}}}
    assert crd_rules._defaulted({}, nested) == {"spec": {"a": 1, "b": 2}}
    assert crd_rules._defaulted({"spec": {"b": 0}}, nested) == {"spec": {"a": 1, "b": 0}}
    items = {"items": {"properties": {"a": {"default": 1}}}}
    assert crd_rules._defaulted([{}, {"a": 2}, "s"], items) == [{"a": 1}, {"a": 2}, "s"]
    assert crd_rules._defaulted([{}], {"properties": {}}) == [{}]
    maps = {
        "properties": {"known": {"properties": {"k": {"default": 1}}}},
        "additionalProperties": {"properties": {"z": {"default": 2}}},
    }
    assert crd_rules._defaulted({"known": {}, "m1": {}, "m2": {"z": 3}}, maps) == {
        "known": {"k": 1},
        "m1": {"z": 2},
        "m2": {"z": 3},
    }
    assert crd_rules._defaulted({"m": {}}, {"additionalProperties": {}}) == {"m": {}}
    only_maps = {"additionalProperties": {"properties": {"z": {"default": 2}}}}
    assert crd_rules._defaulted({"m": {}, "n": {"z": 0}}, only_maps) == {"m": {"z": 2}, "n": {"z": 0}}
    assert crd_rules._defaulted(5, {"default": 1, "properties": {"a": {"default": 1}}}) == 5
    assert crd_rules._defaulted(None, {"items": {}}) is None


def test_values_at_a_schema_path() -> None:
    doc = {"spec": {"list": [{"a": 1}, {"a": 2}], "map": {"x": {"a": 3}, "y": {"a": 4}}, "none": None, "zero": 0}}
    assert list(crd_rules._values_at(doc, [], "")) == [("", doc)]
    assert list(crd_rules._values_at(doc, ["spec", "zero"], "")) == [("spec.zero", 0)]
    assert list(crd_rules._values_at(doc, ["spec", "list", "[]", "a"], "")) == [
        ("spec.list[0].a", 1),
        ("spec.list[1].a", 2),
    ]
    assert list(crd_rules._values_at(doc, ["spec", "map", "{}", "a"], "")) == [("spec.map.x.a", 3), ("spec.map.y.a", 4)]
    assert list(crd_rules._values_at(doc, ["spec", "map", "{}"], "root")) == [
        ("root.spec.map.x", {"a": 3}),
        ("root.spec.map.y", {"a": 4}),
    ]
    assert list(crd_rules._values_at([5, 6], ["[]"], "")) == [("[0]", 5), ("[1]", 6)]
    assert list(crd_rules._values_at({"1": 7}, ["{}"], "")) == [("1", 7)]
    # nothing where the shape does not match, or the field is absent or null
    assert list(crd_rules._values_at(doc, ["spec", "map", "[]"], "")) == []
    assert list(crd_rules._values_at(doc, ["spec", "list", "{}"], "")) == []
    assert list(crd_rules._values_at(doc, ["spec", "none"], "")) == []
    assert list(crd_rules._values_at(doc, ["spec", "missing"], "")) == []
    assert list(crd_rules._values_at(doc, ["spec", "zero", "a"], "")) == []
    assert list(crd_rules._values_at([{"a": 1}], ["a"], "")) == []
