"""`fako.diff` at its edges: exact budgets, fences, masking, odd values and odd files.

Each expectation is a literal worked out by hand from the rule it checks (what a PR comment
may hold, how a field is shown), not a value read back from the code under test.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from fako.diff import (
    ABSENT,
    MASK,
    Diff,
    FieldChange,
    LoadedObject,
    ObjectChange,
    Objects,
    _details,
    _fields,
    _fit,
    _longest_backtick_run,
    compute,
    load_files,
    render_json,
    render_markdown,
    render_text,
)
from fako.errors import FakoError


def _obj(layer: str, app: str, manifest: dict[str, Any]) -> Objects:
    meta = manifest["metadata"]
    ident = (manifest["apiVersion"], manifest["kind"], meta.get("namespace", ""), meta["name"])
    return {ident: LoadedObject(layer, app, f"{layer}/{app}/x.yaml", manifest)}


def _cm(data: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "n"}, "data": data, **extra}


def _changed(path: str, before: Any, after: Any, app: str = "a") -> ObjectChange:
    return ObjectChange("apps", app, "v1", "ConfigMap", "n", "c", "changed", (FieldChange(path, before, after),))


# --- loading -------------------------------------------------------------------------------


def test_bytes_that_are_not_text_are_invalid_yaml_without_a_line() -> None:
    # A reader error (bad UTF-8) has no position: the message says so plainly.
    with pytest.raises(FakoError) as err:
        load_files({"apps/a/x.yaml": b"kind: \xff\xfe\n"})
    assert str(err.value) == "cannot parse apps/a/x.yaml: invalid YAML"


def test_a_syntax_error_names_its_line() -> None:
    with pytest.raises(FakoError) as err:
        load_files({"apps/a/x.yaml": b"a: 1\nb: [\n"})
    assert str(err.value).startswith("cannot parse apps/a/x.yaml at line 3: ")


def test_objects_after_a_kustomization_in_the_same_file_are_loaded() -> None:
    text = (
        b"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n---\n"
        b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: n}\n"
    )
    assert list(load_files({"apps/a/x.yaml": text})) == [("v1", "ConfigMap", "n", "c")]


# --- comparing -----------------------------------------------------------------------------


def test_a_file_that_stops_being_sops_encrypted_says_so_and_shows_no_values() -> None:
    before = _obj("apps", "a", _cm({"k": "ENC[abc]"}, sops={"mac": "m"}))
    after = _obj("apps", "a", _cm({"k": "plain"}))
    (change,) = compute(before, after).changes
    assert change.fields == ()
    assert change.note == "encrypted content changed"


def test_a_moved_sops_file_with_the_same_content_is_only_moved() -> None:
    manifest = _cm({"k": "ENC[abc]"}, sops={"mac": "m"})
    (change,) = compute(_obj("apps", "a", manifest), _obj("apps", "b", dict(manifest))).changes
    assert change.note == "moved from apps/a"


def test_a_moved_and_changed_sops_file_says_both() -> None:
    before = _obj("apps", "a", _cm({"k": "ENC[abc]"}, sops={"mac": "m"}))
    after = _obj("apps", "b", _cm({"k": "ENC[def]"}, sops={"mac": "m"}))
    (change,) = compute(before, after).changes
    assert change.note == "moved from apps/a; encrypted content changed"


def test_top_level_keys_and_lists_have_paths_without_a_prefix() -> None:
    assert _fields({"a.b": 1}, {"a.b": 2}, secret=False) == [FieldChange('["a.b"]', 1, 2)]
    assert _fields([1], [2], secret=False) == [FieldChange("[0]", 1, 2)]


def test_both_sides_of_a_secret_value_are_masked() -> None:
    assert _fields({"data": {"k": "b2xk"}}, {"data": {"k": "bmV3"}}, secret=True) == [FieldChange("data.k", MASK, MASK)]


def test_a_named_list_against_an_unnamed_one_is_compared_by_position() -> None:
    assert _fields({"l": [{"name": "x"}]}, {"l": ["x"]}, secret=False) == [FieldChange("l[0]", {"name": "x"}, "x")]


# --- showing values ------------------------------------------------------------------------


def test_dates_from_yaml_are_shown_and_serialised_as_text() -> None:
    before = load_files({"apps/a/x.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nwhen: 2024-01-01\n"})
    after = load_files({"apps/a/x.yaml": b"apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nwhen: 2024-01-02\n"})
    diff = compute(before, after)
    assert diff.changes[0].fields == (FieldChange("when", datetime.date(2024, 1, 1), datetime.date(2024, 1, 2)),)
    assert '    when: "2024-01-01" -> "2024-01-02"\n' in render_text(diff)
    assert '"before": "2024-01-01"' in render_json(diff)


def test_a_removed_map_is_shown_with_sorted_keys() -> None:
    text = render_text(Diff((_changed("x", {"b": 1, "a": 2}, ABSENT),)))
    assert '    x: {"a": 2, "b": 1} -> (absent)\n' in text


def test_absent_and_the_string_absent_are_told_apart() -> None:
    text = render_text(Diff((_changed("x", ABSENT, "(absent)"),)))
    assert '    x: (absent) -> "(absent)"\n' in text


def test_a_removed_multiline_string_is_a_line_diff() -> None:
    text = render_text(Diff((_changed("script", "one\ntwo\n", ABSENT),)))
    assert "      script:\n        @@ -1,2 +0,0 @@\n        -one\n        -two\n" in text


# --- the PR comment ------------------------------------------------------------------------


def test_the_code_fence_is_longer_than_any_backtick_run_in_the_body() -> None:
    change = _changed("x", "a", "b")
    assert "\n`````diff\n" in _details("u", [change], ["has ```` four"])
    assert "\n```diff\n" in _details("u", [change], ["has `` two"])
    assert _longest_backtick_run("") == 0
    assert _longest_backtick_run("a ` b ``` c `` d") == 3


def test_fit_keeps_lines_while_they_and_the_cut_note_fit() -> None:
    # The cut note "… (cut)" is 7 characters; every kept line costs its length plus a newline.
    assert _fit(["aaaa", "bbbb"], 13) == ["aaaa", "… (cut)"]
    assert _fit(["aaaa", "bbbb"], 12) == ["… (cut)"]
    assert _fit(["aaaa", "bbbb"], 18) == ["aaaa", "bbbb"]
    assert _fit(["aaaa", "bbbb"], 17) == ["aaaa", "… (cut)"]


def _apps(*sizes: int) -> Diff:
    """One changed object per app, with `size` changed fields of about 20 characters each."""
    changes = [
        ObjectChange(
            "apps",
            f"app{i}",
            "v1",
            "ConfigMap",
            "n",
            "c",
            "changed",
            tuple(FieldChange(f"k{j}", "a", "bbbbbbbb") for j in range(size)),
        )
        for i, size in enumerate(sizes)
    ]
    return Diff(tuple(changes))


def _head(diff: Diff) -> str:
    return render_markdown(diff, limit=10**9).split("\n<details>")[0]


def test_a_section_exactly_as_long_as_the_budget_is_shown_whole() -> None:
    diff = _apps(3)
    whole = render_markdown(diff, limit=10**9)
    section = whole[len(_head(diff)) :]
    # The budget is the limit less the head and 400 characters kept for the truncation note.
    limit = len(_head(diff)) + 400 + len(section)
    assert render_markdown(diff, limit=limit) == whole
    assert "truncated" in render_markdown(diff, limit=limit - 1)


def test_the_note_counts_the_apps_after_a_cut_one() -> None:
    diff = _apps(1, 300, 1, 1)
    text = render_markdown(diff, limit=len(_head(diff)) + 400 + 1500)
    assert text.count("<details>") == 2  # app0 whole, app1 cut
    assert "… (cut)" in text
    assert "characters: 2 more app(s) (2 object changes) not shown." in text


def test_the_note_names_no_hidden_apps_when_the_cut_one_is_last() -> None:
    diff = _apps(1, 300)
    text = render_markdown(diff, limit=len(_head(diff)) + 400 + 1500)
    assert text.count("<details>") == 2
    assert "Diff truncated to fit 1,998 characters" in text
    assert "characters: Run `fako diff` locally for the full diff.\n" in text


def test_a_longer_limit_never_shows_less() -> None:
    # Backticks in a value lengthen the fence after the lines were fitted: at every limit
    # the comment still fits, and a larger limit shows at least as many lines.
    diff = Diff(tuple(_changed(f"k{i}", "a", "```" + "b" * (i % 7)) for i in range(40)))
    base = len(_head(diff)) + 400
    shown = -1
    for extra in range(0, 1600, 1):
        text = render_markdown(diff, limit=base + extra)
        assert len(text) <= base + extra
        lines = text.count("\nk")
        assert lines >= shown, f"limit {base + extra} shows fewer lines than the one before"
        shown = lines


def test_a_removed_secret_value_is_masked_before_and_absent_after() -> None:
    assert _fields({"data": {"k": "b2xk"}}, {"data": {}}, secret=True) == [FieldChange("data.k", MASK, ABSENT)]
