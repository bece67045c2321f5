"""Stand-ins for unchanged units (`fako.unitstubs`): which modules may stand in, what a
stand-in carries, and that a render made with them is the render made without.

(`tests/test_cache.py` renders after random edits with the `fako` command, asserts the
stand-ins were used, and compares every byte with a render made without the cache.)
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT
from test_cache import checkout, run, tree  # noqa: F401  (checkout is a fixture)

PLAN = """
import argparse, json, sys
from fako.cli.options import render_cache
cache = render_cache(argparse.Namespace(no_cache=False), "staging", False)
for module in sys.argv[1:]:  # drop these modules' unit entries first
    record = cache.store.read_json("units", cache._record_key())["units"]
    (layer, _, qualname, _, _), = [u for u in record if u[1] == module]
    key = cache._unit_key(layer, module, qualname, "")
    (cache.store.folder / "unit" / key[:2] / key).unlink()
print(json.dumps(sorted(cache.plan_stubs())))
"""


def plan(copy: Path, cache: Path, *drop: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PLAN, *drop],
        cwd=copy,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(copy / "src"), "XDG_CACHE_HOME": str(cache), "HOME": str(cache)},
    )
    assert proc.returncode == 0, proc.stderr
    import json

    planned: list[str] = json.loads(proc.stdout)
    return planned


def test_which_unit_modules_stand_in(checkout: Path, tmp_path: Path) -> None:  # noqa: F811
    cache = tmp_path / "cache"
    assert plan(checkout, cache) == []  # nothing recorded yet
    assert run(checkout, cache, "synth", "--out", str(checkout / "dist"))[0] == 0
    planned = plan(checkout, cache)
    assert "fako.apps.n8n" in planned and "fako.infra.cert_manager" in planned
    assert len(planned) > 60
    # ollama_webui imports helpers (webui, ...) from open_webui: it must be the real module
    assert "fako.apps.open_webui" not in planned and "fako.apps.ollama_webui" in planned
    # the Postgres cluster reads every unit's databases: it stands in while its own
    # closure is the one recorded (its key is made by the build)
    assert "fako.apps.postgres_cluster" in planned
    cluster = checkout / "src/fako/apps/postgres_cluster.py"
    cluster.write_text(cluster.read_text() + "\n# edited\n")
    assert "fako.apps.postgres_cluster" not in plan(checkout, cache)
    # switched-off apps were not built in this run: nothing of theirs is cached
    assert "fako.apps.amig_erp" not in planned
    # an edited module is not unchanged
    app = checkout / "src/fako/apps/linkding.py"
    app.write_text(app.read_text().replace('image="sissbruecker/linkding:', 'image="sissbruecker/linkding:x'))
    assert "fako.apps.linkding" not in plan(checkout, cache)
    # a unit whose cache entry is gone is imported
    assert "fako.apps.n8n" not in plan(checkout, cache, "fako.apps.n8n")


def with_n8n(code: str) -> list[str]:
    """The lines `code` prints, run in a fresh interpreter with n8n's module file as argv[1]."""
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), str(ROOT / "src/fako/apps/n8n.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_a_stand_in_carries_the_declarations_and_the_real_source_location() -> None:
    code = """
        import sys
        from fako.unitstubs import StubUnit, install, is_stub, declarations
        from fako.tree import source_of
        real_file = sys.argv[1]
        install({"fako.apps.n8n": (real_file, [StubUnit("N8n", {"name": "n8n", "databases": {"tuple": ["n8n"]}})])})
        from fako.apps.n8n import N8n
        print(is_stub(N8n), N8n.name, N8n.databases, N8n.__module__, source_of(N8n))
        print(declarations(N8n) == {"name": "n8n", "databases": {"tuple": ["n8n"]}} | {
            k: v for k, v in declarations(N8n).items() if k not in ("name", "databases")})
        """
    out = with_n8n(code)
    line = next(i for i, text in enumerate((ROOT / "src/fako/apps/n8n.py").read_text().splitlines(), 1)
                if text.startswith("class N8n("))
    assert out == [
        f"True n8n ('n8n',) fako.apps.n8n src/fako/apps/n8n.py:{line}",
        "True",
    ]


@pytest.mark.parametrize(
    ("value", "ok"),
    [("x", True), (3, True), (2.5, True), (None, True), (True, True), (("a", ("b", 1)), True),
     (frozenset({"a"}), False), (["a"], False), ({"a": 1}, False), (object(), False)],
)
def test_declarations_that_can_stand_in(value: object, ok: bool) -> None:
    from fako.tree import AppConstruct
    from fako.unitstubs import declarations, decode_value

    cls = type("Probe", (AppConstruct,), {"name": "probe", "extra": value, "build": lambda self: None})
    found = declarations(cls)
    assert (found is not None) == ok
    if found is not None:
        assert decode_value(found["extra"]) == value and type(decode_value(found["extra"])) is type(value)


def test_a_changed_databases_declaration_rebuilds_the_postgres_cluster_that_stood_in(
    checkout: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The Postgres cluster reads every app's `databases`: it stands in when its own module
    is unchanged, but when an app declares a new database its cache entry no longer
    matches, so the stand-in imports its module and builds; the render is the fresh one."""
    cache = tmp_path / "cache"
    assert run(checkout, cache, "synth", "--out", str(checkout / "first"))[0] == 0
    app = checkout / "src/fako/apps/n8n.py"
    app.write_text(app.read_text().replace('    databases = ("n8n",)', '    databases = ("n8n", "n8n_archive")'))
    rc, _, err = run(checkout, cache, "synth", "-v", "--out", str(checkout / "cached"))
    assert rc == 0, err
    assert "reused" in err and "unit modules not imported" in err
    assert b"n8n_archive" in (checkout / "cached/apps/postgres-cluster/postgres-cluster.yaml").read_bytes()
    assert run(checkout, cache, "synth", "--no-cache", "--out", str(checkout / "fresh"))[0] == 0
    assert tree(checkout / "cached") == tree(checkout / "fresh")


def test_a_stand_in_that_must_build_becomes_the_real_unit() -> None:
    code = """
        import sys
        from fako.unitstubs import StubUnit, install, is_stub
        from fako.tree import Cluster, Layer
        install({"fako.apps.n8n": (sys.argv[1], [StubUnit("N8n", {"name": "n8n", "databases": {"tuple": ["n8n"]}})])})
        from fako.apps.n8n import N8n
        cluster = Cluster("c")
        app = N8n(Layer(cluster, "apps"))
        real = sys.modules["fako.apps.n8n"]
        print(is_stub(N8n), is_stub(type(app)), type(app) is real.N8n, len(cluster.objects) > 3)
        print(sorted({o.unit.__name__ for o in cluster.objects}), is_stub(cluster.objects[0].unit))
        """
    out = with_n8n(code)
    assert out == ["True False True True", "['N8n'] False"]


def test_validate_after_an_edit_agrees_with_a_fresh_render_even_on_a_damaged_record(
    checkout: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """`fako validate` renders the edited source itself (unchanged units standing in) and
    says what it says without the cache. A damaged record (a declaration of an unknown
    shape, a name no class can hold) makes no stand-in: those modules are imported."""
    from fako.cachestore import CacheStore

    cache = tmp_path / "cache"
    assert run(checkout, cache, "synth", "--out", str(checkout / "first"))[0] == 0
    store = CacheStore(cache / "fako")
    (entry,) = [p for p in (cache / "fako" / "units").rglob("*") if p.is_file() and not p.name.startswith(".")]
    record = store.read_json("units", entry.name)
    for unit in record["units"]:
        if unit[1] == "fako.apps.n8n":
            unit[3]["name"] = {"set": ["n8n"]}
        if unit[1] == "fako.apps.keycloak":
            unit[3]["not a name"] = 1
    store.write_json("units", entry.name, record)
    planned = plan(checkout, cache)
    assert "fako.apps.n8n" not in planned and "fako.apps.keycloak" not in planned
    assert "fako.apps.langfuse" in planned
    app = checkout / "src/fako/apps/linkding.py"
    app.write_text(app.read_text().replace('image="sissbruecker/linkding:', 'image="sissbruecker/linkding:x'))
    with_cache = run(checkout, cache, "validate")
    fresh = run(checkout, cache, "validate", "--no-cache")
    assert with_cache[0] == fresh[0] == 0, with_cache[2]
    assert with_cache[1] == fresh[1]
