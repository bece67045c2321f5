"""`fako.synth` in-process, on tiny hand-built clusters: where it may write, what it refuses,
`--check`, missing secrets, the swap. (tests/test_synth.py runs the real command.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

import fako.synth as synth_module
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.definition import ClusterDefinition, LayerDefinition, Unit
from fako.errors import FakoError, SpecError
from fako.render import MARKER, MARKER_TEXT
from fako.synth import (
    check_output,
    diff_trees,
    is_render,
    load_definition,
    put_in_place,
    recover,
    swap_in,
    synth,
    synth_from_cache,
)
from fako.tree import AppConstruct


class Hello(AppConstruct):
    """One ConfigMap."""

    name = "hello"

    def build(self) -> None:
        ConfigMap(self, "greeting", ConfigMapSpec(name="greeting", data={"text": "hi"}))


class Locked(AppConstruct):
    """One encrypted Secret whose file the test checkout does not have."""

    name = "locked"

    def build(self) -> None:
        SopsSecret(self, "token", SopsSecretSpec(name="token"))


def cluster(*apps: type[AppConstruct]) -> ClusterDefinition:
    return ClusterDefinition("tiny", [LayerDefinition("apps", [Unit(app) for app in apps])])


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


HELLO = {
    ".fako-render": MARKER_TEXT,
    "apps/kustomization.yaml": b"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- hello\n",
}


def test_synth_writes_the_tree_with_its_marker(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = synth(cluster(Hello), out, root=tmp_path)
    written = files(out)
    assert {k: written[k] for k in HELLO} == HELLO
    assert yaml.safe_load(written["apps/hello/hello.yaml"]) == {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "greeting", "namespace": "hello"},
        "data": {"text": "hi"},
    }
    assert sorted(written) == [
        ".fako-render",
        "apps/hello/hello.yaml",
        "apps/hello/kustomization.yaml",
        "apps/kustomization.yaml",
    ]
    assert result.stale == [] and result.report is None
    assert is_render(out) and os.stat(out).st_mode & 0o777 == 0o755
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"], "no temporary folder is left beside it"


def test_check_only_lists_what_differs_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    synth(cluster(Hello), out, root=tmp_path)
    (out / "apps" / "stale.yaml").write_text("old: file\n")
    (out / "apps" / "hello" / "hello.yaml").write_text("edited: true\n")
    before = files(out)
    result = synth(cluster(Hello), out, root=tmp_path, check_only=True)
    assert result.stale == ["apps/hello/hello.yaml", "apps/stale.yaml"]
    assert files(out) == before
    assert synth(cluster(Hello), tmp_path / "none", root=tmp_path, check_only=True).stale == [
        ".fako-render",
        "apps/hello/hello.yaml",
        "apps/hello/kustomization.yaml",
        "apps/kustomization.yaml",
    ]
    assert not (tmp_path / "none").exists()


def test_a_missing_encrypted_file_is_an_error_only_when_required(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = synth(cluster(Hello, Locked), out, root=tmp_path)
    assert [(a.app, a.kind, a.name) for a in result.render.absent] == [("locked", "Secret", "token")]
    with pytest.raises(SpecError) as caught:
        synth(cluster(Hello, Locked), tmp_path / "strict", root=tmp_path, require_secrets=True)
    [problem] = caught.value.problems
    assert problem.where == "app 'locked'"
    assert problem.message == f"encrypted file {tmp_path / 'secrets' / 'locked' / 'token.sops.yaml'} is missing"
    assert problem.fix == "put the owner's SOPS file there, or render without --require-secrets"
    assert not (tmp_path / "strict").exists()


def test_a_cluster_that_renders_nothing_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        synth(cluster(Locked), tmp_path / "dist", root=tmp_path)
    [problem] = caught.value.problems
    assert problem.where == "cluster 'tiny'"
    assert problem.message.startswith("rendered no objects at all: nothing to write")
    assert problem.fix == "switch an app on, or add the owner's secrets/"
    assert not (tmp_path / "dist").exists()


def test_checks_run_on_the_render_and_the_last_report_is_kept(tmp_path: Path) -> None:
    seen: list[int] = []

    def count(cluster: object, render: object) -> None:
        seen.append(len(render.objects))  # type: ignore[attr-defined]
        return None

    result = synth(cluster(Hello), tmp_path / "dist", root=tmp_path, checks=[count, count])
    assert seen == [1, 1] and result.report is None


def test_load_definition_names_what_is_missing() -> None:
    assert load_definition("staging").name == "staging"
    with pytest.raises(FakoError) as caught:
        load_definition("nope")
    assert str(caught.value) == "no cluster named 'nope' (expected module fako.clusters.nope)"
    with pytest.raises(FakoError) as caught:
        load_definition("staging_facts")
    assert str(caught.value) == "fako.clusters.staging_facts defines no CLUSTER = ClusterDefinition(...)"


# -- where synth may write ----------------------------------------------------------------------


def test_check_output_accepts_a_new_an_empty_or_a_rendered_folder(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    assert check_output(tmp_path / "new" / "dist", root=root) == tmp_path / "new" / "dist"
    (tmp_path / "empty").mkdir()
    assert check_output(tmp_path / "empty", root=root) == tmp_path / "empty"
    rendered = tmp_path / "rendered"
    rendered.mkdir()
    (rendered / MARKER).write_bytes(MARKER_TEXT)
    (rendered / "x.yaml").write_text("a: 1\n")
    assert check_output(rendered, root=root) == rendered


def test_check_output_refuses_a_file_a_link_a_foreign_folder_and_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    monkeypatch.chdir(root / "src")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()

    def refused(out: Path) -> str:
        with pytest.raises(FakoError) as caught:
            check_output(out, root=root)
        return str(caught.value)

    (tmp_path / "file").write_text("x")
    assert refused(tmp_path / "file") == (
        f"--out {tmp_path}/file is a file, not a folder; fako writes a folder of YAML files"
    )
    (tmp_path / "link").symlink_to(tmp_path / "empty-target")
    assert refused(tmp_path / "link").startswith(f"--out {tmp_path}/link is a symbolic link: fako replaces the folder")
    foreign = tmp_path / "notes"
    foreign.mkdir()
    for name in ("a", "b", "c", "d"):
        (foreign / name).write_text(name)
    assert refused(foreign) == (
        f"--out {foreign} is not empty (4 entries: a, b, c, ...) and is not a fako render (no .fako-render file): "
        "fako replaces only an empty folder or one it rendered; choose a new folder, or empty this one yourself"
    )
    (foreign / "b").unlink()
    (foreign / "c").unlink()
    (foreign / "d").unlink()
    assert refused(foreign).startswith(f"--out {foreign} is not empty (1 entry: a) and is not a fako render")
    (root / "src" / MARKER).write_bytes(MARKER_TEXT)  # even a marker does not make the working folder fair game
    assert refused(Path(".")) == (
        f"--out . is the working directory ({root}/src); fako replaces its output folder whole, so it must be a "
        "folder of its own, e.g. --out dist"
    )
    assert refused(Path("..")).startswith(f"--out .. holds the working directory ({root}/src)")
    assert refused(tmp_path / "home").startswith(f"--out {tmp_path}/home is the home folder ({tmp_path}/home)")
    monkeypatch.chdir(tmp_path / "home")
    assert refused(root).startswith(f"--out {root} is the checkout ({root})")


# -- the swap ---------------------------------------------------------------------------------


def render_folder(path: Path, content: str) -> Path:
    path.mkdir()
    (path / MARKER).write_bytes(MARKER_TEXT)
    (path / "x.yaml").write_text(content)
    return path


def test_swap_in_replaces_the_folder_whole(tmp_path: Path) -> None:
    out = render_folder(tmp_path / "dist", "old\n")
    (out / "stale.yaml").write_text("stale\n")
    swap_in(render_folder(tmp_path / "new", "new\n"), out)
    assert files(out) == {MARKER: MARKER_TEXT, "x.yaml": b"new\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]
    swap_in(render_folder(tmp_path / "first", "first\n"), tmp_path / "fresh")
    assert files(tmp_path / "fresh") == {MARKER: MARKER_TEXT, "x.yaml": b"first\n"}


def test_swap_in_without_renameat2_renames_aside_then_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synth_module, "_exchange", lambda a, b: False)
    out = render_folder(tmp_path / "dist", "old\n")
    swap_in(render_folder(tmp_path / "new", "new\n"), out)
    assert files(out) == {MARKER: MARKER_TEXT, "x.yaml": b"new\n"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_recover_drops_killed_renders_and_keeps_what_is_not_fakos(tmp_path: Path) -> None:
    out = render_folder(tmp_path / "dist", "current\n")
    render_folder(tmp_path / ".dist.fako-new-abc", "half\n")
    (tmp_path / ".dist.fako-new-empty").mkdir()
    foreign = tmp_path / ".dist.fako-new-mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine\n")
    render_folder(tmp_path / ".dist.fako-old", "aside\n")  # dist/ exists: the old copy is a leftover
    recover(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".dist.fako-new-mine", "dist"]
    assert files(out) == {MARKER: MARKER_TEXT, "x.yaml": b"current\n"}
    aside = tmp_path / ".dist.fako-old"
    aside.mkdir()
    (aside / "notes.txt").write_text("not a render\n")
    out.rename(tmp_path / "moved")
    recover(out)  # not fako's: neither put back nor deleted
    assert not out.exists() and (aside / "notes.txt").exists()
    recover(tmp_path / "missing-parent" / "dist")  # nothing to do, no error


def test_diff_trees_and_is_render(tmp_path: Path) -> None:
    out = render_folder(tmp_path / "dist", "a\n")
    assert diff_trees({MARKER: MARKER_TEXT, "x.yaml": b"a\n"}, out) == []
    assert diff_trees({MARKER: MARKER_TEXT, "x.yaml": b"b\n", "y.yaml": b""}, out) == ["x.yaml", "y.yaml"]
    assert diff_trees({}, out) == [MARKER, "x.yaml"]
    assert diff_trees({"x.yaml": b""}, tmp_path / "absent") == ["x.yaml"]
    assert is_render(out) and not is_render(tmp_path / "absent")
    link = tmp_path / "linked"
    link.mkdir()
    (link / MARKER).symlink_to(out / MARKER)
    assert not is_render(link)


def test_exchange_swaps_two_full_folders_in_one_step(tmp_path: Path) -> None:
    a = render_folder(tmp_path / "a", "a\n")
    b = render_folder(tmp_path / "b", "b\n")
    (b / "only-b.yaml").write_text("b\n")
    assert synth_module._exchange(a, b) is True  # this kernel (Linux >= 3.15) has renameat2
    assert files(a) == {MARKER: MARKER_TEXT, "only-b.yaml": b"b\n", "x.yaml": b"b\n"}
    assert files(b) == {MARKER: MARKER_TEXT, "x.yaml": b"a\n"}
    assert synth_module._exchange(a, tmp_path / "missing") is False
    assert files(a)["x.yaml"] == b"b\n"


def test_a_render_deleted_halfway_keeps_its_marker_and_recover_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old tree a swap leaves aside is deleted marker last: a kill during the delete
    leaves a folder still marked as fako's, so the next run's recovery removes it."""
    out = render_folder(tmp_path / "dist", "current\n")
    aside = render_folder(tmp_path / ".dist.fako-old", "aside\n")
    for layer in ("apps", "infra"):
        (aside / layer).mkdir()
        (aside / layer / "a.yaml").write_text("a: 1\n")
    real_rmtree = synth_module.shutil.rmtree
    calls: list[str] = []

    def killed_after_one(path: str | os.PathLike[str], *args: object, **kwargs: object) -> None:
        calls.append(str(path))
        if len(calls) > 1:
            raise KeyboardInterrupt  # the kill, between two deletions
        real_rmtree(path)

    monkeypatch.setattr(synth_module.shutil, "rmtree", killed_after_one)
    with pytest.raises(KeyboardInterrupt):
        synth_module._delete_render(aside)
    monkeypatch.setattr(synth_module.shutil, "rmtree", real_rmtree)
    assert is_render(aside), "the marker went before the rest of the folder"
    recover(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_put_in_place_replaces_a_different_render_and_leaves_an_equal_one_untouched(tmp_path: Path) -> None:
    """A render that already holds exactly the files is left as it is (same folder, same
    inode: nothing rewritten); any difference replaces it whole."""
    out = render_folder(tmp_path / "dist", "old\n")
    put_in_place({"x.yaml": b"new\n"}, out)
    assert files(out) == {MARKER: MARKER_TEXT, "x.yaml": b"new\n"}
    inode = os.stat(out).st_ino
    put_in_place({"x.yaml": b"new\n"}, out)
    assert os.stat(out).st_ino == inode, "an equal render was written again"
    put_in_place({"x.yaml": b"new\n", "y.yaml": b"more\n"}, out)
    assert files(out) == {MARKER: MARKER_TEXT, "x.yaml": b"new\n", "y.yaml": b"more\n"}
    assert os.stat(out).st_ino != inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


class Off(AppConstruct):
    """A switched-off unit (`enabled=False` in the cluster)."""

    name = "off-app"

    def build(self) -> None:
        ConfigMap(self, "c", ConfigMapSpec(name="c", data={"a": "b"}))


def test_a_render_stored_with_its_findings_is_written_again_from_the_cache(tmp_path: Path) -> None:
    """In process, so mutation testing sees it: synth stores the render, the switched-off
    units and the checks' findings; `synth_from_cache` writes the same files and counts the
    same warnings, and refuses a check mode never stored or a stored error."""
    from fako.cachestore import CacheStore
    from fako.rendercache import RenderCache, RunSettings
    from fako.validation.findings import Finding, Report

    def open_cache() -> RenderCache:
        return RenderCache.open(CacheStore(tmp_path / "cache"), RunSettings("tiny", tmp_path, "secrets", True))

    definition = ClusterDefinition("tiny", [LayerDefinition("apps", [Unit(Hello), Unit(Off, enabled=False)])])
    severity = "warning"

    def one_finding(cluster: object, render: object) -> Report:
        return Report.of([Finding(severity, "policy.x", "ConfigMap/hello/greeting", "said")], 1)  # type: ignore[arg-type]

    first = synth(
        definition, tmp_path / "a", include_disabled=True, root=tmp_path, cache=open_cache(),
        check_mode="synth", checks=[one_finding],
    )  # fmt: skip
    assert first.warnings == 1
    cache = open_cache()
    stored = cache.load_render(cache.tree_key())
    assert stored is not None and stored[2] == ["apps/off-app"]
    assert cache.load_report(cache.tree_key(), "synth") == [
        {
            "severity": "warning", "check": "policy.x", "ref": "ConfigMap/hello/greeting", "message": "said",
            "fix": "", "construct": "", "source": "", "path": "", "layer": "", "app": "", "allowed": "",
            "field": "", "value": "",
        }
    ]  # fmt: skip
    hit = synth_from_cache(open_cache(), tmp_path / "b", cluster_name="tiny", check_mode="synth", root=tmp_path)
    assert hit is not None and hit.cached is True and hit.warnings == 1 and hit.report is None
    assert hit.render.files == first.render.files
    assert files(tmp_path / "b") == files(tmp_path / "a")
    (tmp_path / "b" / "apps" / "hello" / "extra.yaml").write_text("x: 1\n")
    checked = synth_from_cache(
        open_cache(), tmp_path / "b", cluster_name="tiny", check_mode="synth", check_only=True, root=tmp_path
    )
    assert checked is not None and checked.cached is True and checked.warnings == 1 and checked.report is None
    assert checked.render.files == first.render.files
    assert checked.stale == ["apps/hello/extra.yaml"]
    assert (
        synth_from_cache(
            open_cache(), tmp_path / "b", cluster_name="tiny", check_mode="synth", require_secrets=True, root=tmp_path
        )
        is not None
    )  # nothing encrypted is missing here
    assert (
        synth_from_cache(open_cache(), tmp_path / "c", cluster_name="tiny", check_mode="other", root=tmp_path) is None
    )
    assert not (tmp_path / "c").exists()
    severity = "error"
    synth(
        definition, tmp_path / "d", include_disabled=True, root=tmp_path, cache=open_cache(),
        check_mode="synth", checks=[one_finding],
    )  # fmt: skip
    assert (
        synth_from_cache(open_cache(), tmp_path / "e", cluster_name="tiny", check_mode="synth", root=tmp_path) is None
    )


def test_a_stored_render_lacking_an_encrypted_file_is_reused_unless_secrets_are_required(tmp_path: Path) -> None:
    from fako.cachestore import CacheStore
    from fako.rendercache import RenderCache, RunSettings

    def open_cache() -> RenderCache:
        return RenderCache.open(CacheStore(tmp_path / "cache"), RunSettings("tiny", tmp_path, "secrets", False))

    synth(cluster(Hello, Locked), tmp_path / "a", root=tmp_path, cache=open_cache(), check_mode="synth", checks=[])
    assert synth_from_cache(open_cache(), tmp_path / "b", cluster_name="tiny", check_mode="synth", root=tmp_path)
    assert (
        synth_from_cache(
            open_cache(), tmp_path / "c", cluster_name="tiny", check_mode="synth", require_secrets=True, root=tmp_path
        )
        is None
    )


def test_put_in_place_builds_beside_the_output_and_cleans_up_when_the_swap_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = render_folder(tmp_path / "dist", "old\n")
    seen: list[Path] = []

    def failing_swap(new: Path, target: Path) -> None:
        seen.append(new)
        assert files(new) == {MARKER: MARKER_TEXT, "x.yaml": b"new\n"}
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(synth_module, "swap_in", failing_swap)
    with pytest.raises(FakoError) as err:
        put_in_place({"x.yaml": b"new\n"}, out)
    [new] = seen
    assert new.parent == tmp_path and new.name.startswith(".dist.fako-new-")
    assert str(err.value) == f"cannot put the render in place at {out}: No space left on device"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"], "the temporary render was left behind"
    assert files(out) == {MARKER: MARKER_TEXT, "x.yaml": b"old\n"}


def test_allowed_findings_stored_with_a_render_neither_block_it_nor_count(tmp_path: Path) -> None:
    from fako.cachestore import CacheStore
    from fako.rendercache import RenderCache, RunSettings
    from fako.validation.findings import Finding, Report

    def open_cache() -> RenderCache:
        return RenderCache.open(CacheStore(tmp_path / "cache"), RunSettings("tiny", tmp_path, "secrets", False))

    def allowed(cluster: object, render: object) -> Report:
        return Report.of(
            [
                Finding("error", "ref.x", "ConfigMap/hello/greeting", "m", allowed="reviewed"),
                Finding("warning", "policy.x", "ConfigMap/hello/greeting", "m", allowed="reviewed"),
                Finding("warning", "policy.y", "ConfigMap/hello/greeting", "m"),
            ],
            1,
        )

    synth(cluster(Hello), tmp_path / "a", root=tmp_path, cache=open_cache(), check_mode="synth", checks=[allowed])
    hit = synth_from_cache(open_cache(), tmp_path / "b", cluster_name="tiny", check_mode="synth", root=tmp_path)
    assert hit is not None and hit.warnings == 1


def test_unchanged_files_are_linked_from_the_previous_render_and_only_those(tmp_path: Path) -> None:
    """A new render hard-links the files the previous one holds byte for byte (cheaper
    than writing them) and writes the rest; a file another path also links to, or a
    symbolic link or a FIFO in the previous render, is never reused."""
    out = tmp_path / "dist"
    put_in_place({"a/same.yaml": b"same\n", "a/changed.yaml": b"old\n", "b/shared.yaml": b"s\n"}, out)
    same = os.stat(out / "a/same.yaml").st_ino
    changed = os.stat(out / "a/changed.yaml").st_ino
    elsewhere = tmp_path / "elsewhere.yaml"
    os.link(out / "b/shared.yaml", elsewhere)  # someone else's link to a file of the render
    (out / "c").mkdir()
    target = tmp_path / "target.yaml"
    os.symlink(target, out / "c/link.yaml")
    body = b"t" * (len(str(target)) - 1) + b"\n"  # as long as the link itself (lstat's size)
    target.write_bytes(body)
    os.mkfifo(out / "c/fifo.yaml")
    new = {
        "a/same.yaml": b"same\n",
        "a/changed.yaml": b"new\n",
        "b/shared.yaml": b"s\n",
        "c/link.yaml": body,
        "c/fifo.yaml": b"",
    }
    put_in_place(new, out)
    assert files(out) == {MARKER: MARKER_TEXT, **new}
    assert os.stat(out / "a/same.yaml").st_ino == same, "an unchanged file was written again"
    assert os.stat(out / "a/same.yaml").st_nlink == 1
    assert os.stat(out / "a/changed.yaml").st_ino != changed
    assert os.stat(out / "b/shared.yaml").st_ino != os.stat(elsewhere).st_ino
    assert not (out / "c/link.yaml").is_symlink()
    assert (out / "c/fifo.yaml").is_file()
    assert elsewhere.read_bytes() == b"s\n" and target.read_bytes() == body
