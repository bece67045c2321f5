"""`fako diff`: object-level changes between rendered trees, from directories and git refs."""

from __future__ import annotations

import argparse
import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

import fako.cli.diff
from fako.diff import (
    ABSENT,
    MASK,
    FieldChange,
    compute,
    load_against,
    load_dir,
    render,
    render_json,
    render_markdown,
    render_text,
)
from fako.errors import FakoError
from fako.publish import publish

PLAIN_PASSWORD = "hunter2-plaintext"
NEW_PASSWORD = "correct-horse-battery"
TOKEN_B64 = "c3VwZXJzZWNyZXR0b2tlbg=="  # base64 of a secret token


@pytest.fixture(autouse=True)
def git_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "test@example.test")


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)
    return proc.stdout.rstrip("\n")


def deployment(image: str = "ghcr.io/acme/api:1.0") -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "api", "namespace": "web", "labels": {"app.kubernetes.io/name": "api"}},
        "spec": {
            "replicas": 2,
            "template": {
                "spec": {
                    "containers": [
                        {"name": "api", "image": image, "args": ["--port", "8080"]},
                        {"name": "proxy", "image": "envoy:1.30"},
                    ]
                }
            },
        },
    }


def cluster() -> dict[str, list[dict[str, Any]]]:
    """File -> objects of a small rendered cluster."""
    return {
        "apps/web/web.yaml": [
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "web"}},
            deployment(),
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "api", "namespace": "web"},
                "spec": {"ports": [{"port": 80}]},
            },
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "api", "namespace": "web"},
                "stringData": {"password": PLAIN_PASSWORD},
                "data": {"token": TOKEN_B64},
            },
        ],
        "apps/blog/blog.yaml": [
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "blog", "namespace": "blog"},
                "data": {"site.conf": "title: Blog\nlang: en\ntheme: dark\n"},
            }
        ],
        "infrastructure-controllers/traefik/traefik.yaml": [
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "traefik"}}
        ],
        "flux/flux.yaml": [
            {
                "apiVersion": "kustomize.toolkit.fluxcd.io/v1",
                "kind": "Kustomization",
                "metadata": {"name": "apps", "namespace": "flux-system"},
                "spec": {"path": "./apps"},
            }
        ],
    }


SOPS_TEMPLATE = (
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: web\n"
    "stringData:\n  password: ENC[AES256_GCM,data:{data},iv:aXY=,tag:dGFn,type:str]\n"
    "sops:\n  mac: ENC[AES256_GCM,data:{mac},iv:aXY=,tag:dGFn,type:str]\n  version: 3.9.0\n"
)


def write_cluster(root: Path, files: dict[str, list[dict[str, Any]]], sops: str = "Zm9v") -> Path:
    for rel, docs in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump_all(docs, sort_keys=True))
    for layer_app in {rel.rsplit("/", 1)[0] for rel in files}:
        names = sorted(p.name for p in (root / layer_app).iterdir() if p.is_file())
        kust = {"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": names}
        (root / layer_app / "kustomization.yaml").write_text(yaml.safe_dump(kust))
    secret = root / "apps/web/secrets/db.sops.yaml"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(SOPS_TEMPLATE.format(data=sops, mac=sops[::-1]))
    return root


def all_formats(diff: Any) -> str:
    return render_text(diff) + render_markdown(diff, "build") + render_json(diff)


def test_identical_trees_have_no_diff(tmp_path: Path) -> None:
    a = load_dir(write_cluster(tmp_path / "a", cluster()))
    diff = compute(a, load_dir(write_cluster(tmp_path / "b", cluster())))
    assert diff.empty
    assert diff.summary() == "0 changed, 0 added, 0 removed objects in 0 apps"
    assert "No change" in render_markdown(diff)


def test_one_field_change_is_one_changed_object_with_that_field(tmp_path: Path) -> None:
    new = cluster()
    new["apps/web/web.yaml"][1] = deployment("ghcr.io/acme/api:1.1")
    diff = compute(load_dir(write_cluster(tmp_path / "a", cluster())), load_dir(write_cluster(tmp_path / "b", new)))

    assert len(diff.changes) == 1
    change = diff.changes[0]
    assert (change.layer, change.app, change.kind, change.namespace, change.name, change.change) == (
        "apps",
        "web",
        "Deployment",
        "web",
        "api",
        "changed",
    )
    path = "spec.template.spec.containers[name=api].image"
    assert change.fields == (FieldChange(path, "ghcr.io/acme/api:1.0", "ghcr.io/acme/api:1.1"),)
    assert diff.summary() == "1 changed, 0 added, 0 removed objects in 1 app"
    text = render_text(diff)
    assert f"{path}: ghcr.io/acme/api:1.0 -> ghcr.io/acme/api:1.1" in text
    assert text.splitlines()[0] == "apps/web"
    assert text.rstrip().splitlines()[-1] == diff.summary()


def test_objects_are_matched_by_identity_not_by_file(tmp_path: Path) -> None:
    new = cluster()
    web = new.pop("apps/web/web.yaml")
    new["apps/web/a.yaml"], new["apps/web/b.yaml"] = web[:2], web[2:]
    diff = compute(load_dir(write_cluster(tmp_path / "a", cluster())), load_dir(write_cluster(tmp_path / "b", new)))
    assert diff.empty


def test_added_removed_changed_and_moved(tmp_path: Path) -> None:
    new = cluster()
    del new["apps/blog/blog.yaml"]
    new["apps/web/web.yaml"][2]["spec"]["ports"].append({"port": 443})
    new["apps/shop/shop.yaml"] = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}]
    new["apps/shop/shop.yaml"].append(new["infrastructure-controllers/traefik/traefik.yaml"].pop())
    diff = compute(load_dir(write_cluster(tmp_path / "a", cluster())), load_dir(write_cluster(tmp_path / "b", new)))

    got = [(c.unit, c.kind, c.name, c.change) for c in diff.changes]
    assert got == [
        ("apps/blog", "ConfigMap", "blog", "removed"),
        ("apps/shop", "Namespace", "shop", "added"),
        ("apps/shop", "Namespace", "traefik", "changed"),
        ("apps/web", "Service", "api", "changed"),
    ]
    moved = diff.changes[2]
    assert moved.note == "moved from infrastructure-controllers/traefik" and moved.fields == ()
    # Lists without names of different length change as a whole.
    assert diff.changes[3].fields == (FieldChange("spec.ports", [{"port": 80}], [{"port": 80}, {"port": 443}]),)
    assert diff.summary() == "2 changed, 1 added, 1 removed objects in 3 apps"


def test_field_paths(tmp_path: Path) -> None:
    new = cluster()
    dep = new["apps/web/web.yaml"][1]
    dep["metadata"]["labels"]["app.kubernetes.io/name"] = "api2"
    dep["spec"]["replicas"] = "2"  # same text, other type
    dep["spec"]["template"]["spec"]["containers"][0]["args"][1] = "9090"
    del dep["spec"]["template"]["spec"]["containers"][1]
    diff = compute(load_dir(write_cluster(tmp_path / "a", cluster())), load_dir(write_cluster(tmp_path / "b", new)))
    fields = {f.path: (f.before, f.after) for f in diff.changes[0].fields}
    assert fields == {
        'metadata.labels["app.kubernetes.io/name"]': ("api", "api2"),
        "spec.replicas": (2, "2"),
        "spec.template.spec.containers[name=api].args[1]": ("8080", "9090"),
        "spec.template.spec.containers[name=proxy]": ({"name": "proxy", "image": "envoy:1.30"}, ABSENT),
    }
    text = render_text(diff)
    assert 'spec.replicas: 2 -> "2"' in text
    assert 'containers[name=proxy]: {"image": "envoy:1.30", "name": "proxy"} -> (absent)' in text
    changes = json.loads(render_json(diff))["changes"][0]["fields"]
    assert {
        "path": "spec.template.spec.containers[name=proxy]",
        "before": {"image": "envoy:1.30", "name": "proxy"},
        "after": None,
    } in changes


def test_multiline_strings_show_a_line_diff(tmp_path: Path) -> None:
    new = cluster()
    new["apps/blog/blog.yaml"][0]["data"]["site.conf"] = "title: Blog\nlang: de\ntheme: dark\n"
    diff = compute(load_dir(write_cluster(tmp_path / "a", cluster())), load_dir(write_cluster(tmp_path / "b", new)))
    text = render_text(diff)
    assert 'data["site.conf"]:' in text
    assert "  -lang: en" in text and "  +lang: de" in text


def test_secret_values_never_appear_in_any_format(tmp_path: Path) -> None:
    new = cluster()
    secret = new["apps/web/web.yaml"][3]
    secret["stringData"]["password"] = NEW_PASSWORD
    secret["stringData"]["extra"] = "another-plaintext-value"
    secret["data"] = {"token": "bmV3dG9rZW4="}
    old_dir = write_cluster(tmp_path / "a", cluster())
    diff = compute(load_dir(old_dir), load_dir(write_cluster(tmp_path / "b", new)))

    fields = {f.path: (f.before, f.after) for f in diff.changes[0].fields}
    assert fields == {
        "data.token": (MASK, MASK),
        "stringData.extra": (ABSENT, MASK),
        "stringData.password": (MASK, MASK),
    }
    # Added and removed Secrets show no values either.
    empty = load_dir(write_cluster(tmp_path / "c", {}))
    removed, added = compute(load_dir(old_dir), empty), compute(empty, load_dir(old_dir))
    for d in (diff, removed, added):
        out = all_formats(d)
        for plain in (PLAIN_PASSWORD, NEW_PASSWORD, "another-plaintext-value", TOKEN_B64, "bmV3dG9rZW4="):
            assert plain not in out
    assert "stringData.password: *** -> ***" in render_text(diff)


DOCKER_AUTH_OLD = '{\n  "auths": {\n    "ghcr.io": {"auth": "b2xkLXVzZXI6b2xkLXB3"}\n  }\n}\n'
DOCKER_AUTH_NEW = '{\n  "auths": {\n    "ghcr.io": {"auth": "bmV3LXVzZXI6bmV3LXB3"}\n  }\n}\n'


def test_secret_keys_with_dots_and_brackets_are_masked_too(tmp_path: Path) -> None:
    """Kubernetes Secret keys may hold dots (`.dockerconfigjson`, `tls.crt`) and the diff
    writes such keys as `data["..."]`: they are masked like plain keys."""
    old, new = cluster(), cluster()
    old["apps/web/web.yaml"][3]["stringData"] = {".dockerconfigjson": DOCKER_AUTH_OLD, "a[0]": "old-bracket-value"}
    old["apps/web/web.yaml"][3]["data"] = {"tls.crt": "b2xkLWNlcnQ="}
    new["apps/web/web.yaml"][3]["stringData"] = {".dockerconfigjson": DOCKER_AUTH_NEW, "a[0]": "new-bracket-value"}
    new["apps/web/web.yaml"][3]["data"] = {"tls.crt": "bmV3LWNlcnQ="}
    new["apps/web/web.yaml"][3]["metadata"]["labels"] = {"team": "web"}  # not a value: shown
    diff = compute(load_dir(write_cluster(tmp_path / "a", old)), load_dir(write_cluster(tmp_path / "b", new)))
    fields = {f.path: (f.before, f.after) for f in diff.changes[0].fields}
    assert fields == {
        "metadata.labels": (ABSENT, {"team": "web"}),
        'data["tls.crt"]': (MASK, MASK),
        'stringData[".dockerconfigjson"]': (MASK, MASK),
        'stringData["a[0]"]': (MASK, MASK),
    }
    out = all_formats(diff)
    for plain in (
        "b2xkLXVzZXI6b2xkLXB3",
        "bmV3LXVzZXI6bmV3LXB3",
        "old-bracket-value",
        "new-bracket-value",
        "bmV3LWNlcnQ=",
    ):
        assert plain not in out
    text = render_text(diff)
    assert 'stringData[".dockerconfigjson"]: *** -> ***' in text and 'data["tls.crt"]: *** -> ***' in text


def test_a_sops_file_only_says_its_encrypted_content_changed(tmp_path: Path) -> None:
    before = load_dir(write_cluster(tmp_path / "a", cluster(), sops="Zm9v"))
    diff = compute(before, load_dir(write_cluster(tmp_path / "b", cluster(), sops="YmFy")))
    assert len(diff.changes) == 1
    change = diff.changes[0]
    assert (change.kind, change.name, change.note, change.fields) == ("Secret", "db", "encrypted content changed", ())
    out = all_formats(diff)
    assert "ENC[" not in out and "YmFy" not in out
    assert "(encrypted content changed)" in render_text(diff)


def test_markdown_is_collapsed_per_app_and_cut_to_the_limit(tmp_path: Path) -> None:
    old: dict[str, list[dict[str, Any]]] = {}
    for i in range(40):
        old[f"apps/app{i:02}/app{i:02}.yaml"] = [
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": f"cm{j}", "namespace": f"app{i:02}"},
                "data": {"value": "x" * 200},
            }
            for j in range(20)
        ]
    new = copy.deepcopy(old)
    for docs in new.values():
        for doc in docs:
            doc["data"]["value"] = "y" * 200
    diff = compute(load_dir(write_cluster(tmp_path / "a", old)), load_dir(write_cluster(tmp_path / "b", new)))
    md = render_markdown(diff, "origin/build")

    assert len(md) <= 60_000
    assert md.count("<details><summary>") == md.count("</details>") > 1
    assert "<code>apps/app00</code>: 20 changed" in md
    assert "Diff truncated" in md and "more app(s)" in md
    assert diff.summary() in md and "`origin/build`" in md
    small = render_markdown(compute(load_dir(tmp_path / "a"), load_dir(tmp_path / "a")))
    assert "Diff truncated" not in small
    tiny = render_markdown(diff, limit=3000)
    assert len(tiny) <= 3000 and "Diff truncated" in tiny


def test_json_has_a_stable_schema(tmp_path: Path) -> None:
    new = cluster()
    new["apps/web/web.yaml"][1] = deployment("ghcr.io/acme/api:2.0")
    diff = compute(load_dir(write_cluster(tmp_path / "a", cluster())), load_dir(write_cluster(tmp_path / "b", new)))
    data = json.loads(render_json(diff))
    assert data["summary"] == {
        "text": "1 changed, 0 added, 0 removed objects in 1 app",
        "changed": 1,
        "added": 0,
        "removed": 0,
        "apps": 1,
    }
    assert data["changes"] == [
        {
            "layer": "apps",
            "app": "web",
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "namespace": "web",
            "name": "api",
            "change": "changed",
            "note": None,
            "switched_off": False,
            "fields": [
                {
                    "path": "spec.template.spec.containers[name=api].image",
                    "before": "ghcr.io/acme/api:1.0",
                    "after": "ghcr.io/acme/api:2.0",
                }
            ],
        }
    ]
    assert render(diff, "json") == render_json(diff)


def test_kustomization_files_are_not_objects(tmp_path: Path) -> None:
    objects = load_dir(write_cluster(tmp_path / "a", cluster()))
    assert all(not api.startswith("kustomize.config.k8s.io") for api, *_ in objects)
    assert ("kustomize.toolkit.fluxcd.io/v1", "Kustomization", "flux-system", "apps") in objects
    flux = objects["kustomize.toolkit.fluxcd.io/v1", "Kustomization", "flux-system", "apps"]
    assert (flux.layer, flux.app) == ("flux", "")


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    (bad / "apps/x").mkdir(parents=True)
    (bad / "apps/x/x.yaml").write_text(f"password: {PLAIN_PASSWORD}\n  - : [\n")
    with pytest.raises(FakoError, match=r"cannot parse apps/x/x.yaml") as exc:
        load_dir(bad)
    assert PLAIN_PASSWORD not in str(exc.value)
    dup = write_cluster(tmp_path / "dup", {"apps/a/a.yaml": cluster()["apps/blog/blog.yaml"] * 2})
    with pytest.raises(FakoError, match="defined twice"):
        load_dir(dup)
    with pytest.raises(FakoError, match="run `fako synth` first"):
        load_dir(tmp_path / "missing")


# --- against git refs ----------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A source checkout whose build branch holds `cluster()` and whose dist/ has one change."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    (path / ".gitignore").write_text("dist/\n")
    git(path, "add", ".gitignore")
    git(path, "commit", "-q", "-m", "Start")
    publish(write_cluster(path / "dist", cluster()), path)
    new = cluster()
    new["apps/web/web.yaml"][1] = deployment("ghcr.io/acme/api:1.1")
    write_cluster(path / "dist", new)
    return path


def test_diff_against_the_build_branch_and_other_refs(repo: Path, tmp_path: Path) -> None:
    after = load_dir(repo / "dist")
    for ref in ("build", "refs/heads/build", git(repo, "rev-parse", "build")):
        before, label = load_against(ref, repo)
        assert label == ref
        assert [c.name for c in compute(before, after).changes] == ["api"]
    git(repo, "checkout", "-q", "-b", "with-dist")
    git(repo, "add", "-f", "dist")
    git(repo, "commit", "-q", "-m", "Commit dist")
    before, _ = load_against("with-dist:dist", repo)
    assert compute(before, after).empty
    dir_before, label = load_against(str(tmp_path / "repo" / "dist"), repo)
    assert label.endswith("dist") and compute(dir_before, after).empty


def test_diff_falls_back_to_the_remote_tracking_branch(repo: Path, tmp_path: Path) -> None:
    bare = tmp_path / "remote.git"
    git(tmp_path, "clone", "-q", "--bare", str(repo), str(bare))
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(bare), str(checkout))
    assert git(checkout, "branch", "--list", "build") == ""
    before, label = load_against("build", checkout)
    assert label == "origin/build" and len(before) == len(load_against("build", repo)[0])


def test_a_missing_build_branch_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "empty"
    path.mkdir()
    git(path, "init", "-q")
    with pytest.raises(FakoError) as caught:
        load_against("build", path)
    assert str(caught.value) == (
        "--against build: no such branch, ref or directory: nothing published yet? run `fako publish`, "
        "or `git fetch origin build`"
    )
    with pytest.raises(FakoError) as caught:
        load_against("main", path, remote="upstream")
    assert str(caught.value) == "--against main: no such branch, ref or directory"
    with pytest.raises(FakoError) as caught:
        load_against("build", tmp_path)  # not a repository: no publish hint
    assert str(caught.value) == "--against build: no such directory (and not in a git repository)"
    with pytest.raises(FakoError) as caught:
        load_against("HEAD:missing", path)
    assert str(caught.value) == "--against HEAD:missing: no such branch, ref or directory"


def test_a_ref_path_must_name_a_folder_and_yml_files_count(tmp_path: Path) -> None:
    path = tmp_path / "repo"
    (path / "dist" / "apps" / "web").mkdir(parents=True)
    doc = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "web"}}
    (path / "dist" / "apps" / "web" / "web.yml").write_text(yaml.safe_dump(doc))
    (path / "dist" / "apps" / "web" / "notes.txt").write_text("not yaml")
    git(path, "init", "-q", "-b", "main")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "dist")
    before, label = load_against("HEAD:dist", path)
    assert label == "HEAD:dist" and [ident[3] for ident in before] == ["c"]
    with pytest.raises(FakoError, match="no such branch, ref or directory"):
        load_against("HEAD:dist/apps/web/web.yml", path)  # a file, not a tree


def test_cli_formats_and_exit_code(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    parser = argparse.ArgumentParser()
    fako.cli.diff.register(parser.add_subparsers())
    monkeypatch.chdir(repo)

    def cli(*argv: str) -> tuple[int, str]:
        args = parser.parse_args(["diff", *argv])
        code = args.func(args)
        return code, capsys.readouterr().out

    code, out = cli("--dist", "dist", "--against", "build")
    assert code == 0 and out.rstrip().endswith("1 changed, 0 added, 0 removed objects in 1 app")
    assert cli("--dist", "dist", "--against", "build", "--exit-code")[0] == 1
    code, out = cli("--dist", "dist", "--against", "build", "--format", "json", "--exit-code")
    assert code == 1 and json.loads(out)["summary"]["changed"] == 1
    code, out = cli("--dist", "dist", "--format", "markdown", "--against", "build")
    assert out.startswith("<!-- fako-diff -->") and "<details><summary>" in out
    assert cli("--dist", "dist", "--against", "dist", "--exit-code")[0] == 0


def test_the_real_render_publishes_and_diffs_clean(enabled_render: Path, tmp_path: Path) -> None:
    """End to end on `fako synth` output: publish it, then diff the render against the branch."""
    repo = tmp_path / "real"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Start")
    publish(enabled_render, repo, remote=None)
    after = load_dir(enabled_render)
    before, _ = load_against("build", repo)
    assert after and before.keys() == after.keys()
    assert compute(before, after).empty


def _small_diff() -> Any:
    from fako.diff import load_files

    def docs(*objects: dict[str, Any]) -> bytes:
        return yaml.safe_dump_all(objects).encode()

    def conf(data: dict[str, str]) -> dict[str, Any]:
        return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "conf", "namespace": "web"}, "data": data}

    def service(name: str) -> dict[str, Any]:
        return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "web"}}

    def issuer(email: str) -> dict[str, Any]:
        return {
            "apiVersion": "cert-manager.io/v1",
            "kind": "ClusterIssuer",
            "metadata": {"name": "le"},
            "spec": {"acme": {"email": email}},
        }

    before = {
        "apps/web/web.yaml": docs(conf({"a": "1", "text": "x\ny\n"}), service("old")),
        "infrastructure-configs/issuers/issuers.yaml": docs(issuer("a@example.org")),
        "apps/kustomization.yaml": b"apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n",
    }
    after = {
        "apps/web/web.yaml": docs(conf({"b": "2", "text": "x\nz\n"}), service("new")),
        "infrastructure-configs/issuers/issuers.yaml": docs(issuer("b@example.org")),
        "README.md": b"not yaml",
    }
    return compute(load_files(before), load_files(after), off=frozenset({"apps/web"}))


SMALL_TEXT = """apps/web (switched off)
  ! ConfigMap web/conf (v1)
      data.a: 1 -> (absent)
      data.b: (absent) -> 2
      data.text:
        @@ -1,2 +1,2 @@
         x
        -y
        +z
  + Service web/new (v1)
  - Service web/old (v1)

infrastructure-configs/issuers
  ! ClusterIssuer le (cert-manager.io/v1)
      spec.acme.email: a@example.org -> b@example.org

2 changed, 1 added, 1 removed objects in 2 apps
"""

SMALL_MARKDOWN_HEAD = """<!-- fako-diff -->
### Rendered cluster diff

**2 changed, 1 added, 1 removed objects in 2 apps** against `build`

<details><summary><code>apps/web (switched off)</code>: 1 changed, 1 added, 1 removed</summary>

```diff
! ConfigMap web/conf (v1)
    data.a: 1 -> (absent)
    data.b: (absent) -> 2
    data.text:
      @@ -1,2 +1,2 @@
       x
"""


def test_the_three_formats_of_a_small_diff_exactly() -> None:
    diff = _small_diff()
    assert render_text(diff) == render(diff, "text") == SMALL_TEXT
    markdown = SMALL_MARKDOWN_HEAD + (
        "      -y\n      +z\n+ Service web/new (v1)\n- Service web/old (v1)\n```\n\n</details>\n\n"
        "<details><summary><code>infrastructure-configs/issuers</code>: 1 changed</summary>\n\n```diff\n"
        "! ClusterIssuer le (cert-manager.io/v1)\n    spec.acme.email: a@example.org -> b@example.org\n```\n\n"
        "</details>\n"
    )
    assert render_markdown(diff, "build") == render(diff, "markdown", "build") == markdown
    cut = render_markdown(diff, None, limit=760)
    assert cut == SMALL_MARKDOWN_HEAD.replace(" against `build`", "") + (
        "… (cut)\n```\n\n</details>\n\n> [!NOTE]\n> Diff truncated to fit 760 characters: 1 more app(s) "
        "(1 object changes) not shown. Run `fako diff` locally for the full diff.\n"
    )
    text = render_json(diff)
    assert text == render(diff, "json")
    assert text.startswith('{\n  "changes": [\n    {\n      "apiVersion": "v1",\n      "app": "web",\n')
    assert text.endswith('    "text": "2 changed, 1 added, 1 removed objects in 2 apps"\n  }\n}\n')
    doc = json.loads(text)
    assert doc["summary"] == {
        "added": 1,
        "apps": 2,
        "changed": 2,
        "removed": 1,
        "text": "2 changed, 1 added, 1 removed objects in 2 apps",
    }
    assert [
        (c["kind"], c["name"], c["change"], c["namespace"], c["switched_off"], c["note"]) for c in doc["changes"]
    ] == [
        ("ConfigMap", "conf", "changed", "web", True, None),
        ("Service", "new", "added", "web", True, None),
        ("Service", "old", "removed", "web", True, None),
        ("ClusterIssuer", "le", "changed", "", False, None),
    ]
    assert doc["changes"][0]["fields"] == [
        {"path": "data.a", "before": "1", "after": None},
        {"path": "data.b", "before": None, "after": "2"},
        {"path": "data.text", "before": "x\ny\n", "after": "x\nz\n"},
    ]
    assert repr(ABSENT) == "(absent)"


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    from fako.diff import load_files

    def tree(doc: dict[str, Any]) -> dict[str, bytes]:
        base = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "web"}}
        return {"apps/web/web.yaml": yaml.safe_dump({**base, **doc}).encode()}

    [change] = compute(load_files(tree(before)), load_files(tree(after))).changes
    return [(f.path, f.before, f.after) for f in change.fields]


def test_field_changes_in_lists_and_maps() -> None:
    named = [{"name": "a", "v": 1}, {"name": "b", "v": 2}]
    # only the order of named items changed: one line saying so
    assert _changes({"spec": {"l": named}}, {"spec": {"l": named[::-1]}}) == [
        ("spec.l[*].name (order)", ["a", "b"], ["b", "a"])
    ]
    # an item added by name, another changed
    assert _changes({"spec": {"l": named}}, {"spec": {"l": [{"name": "a", "v": 9}, *named[1:], {"name": "c"}]}}) == [
        ("spec.l[name=a].v", 1, 9),
        ("spec.l[name=c]", ABSENT, {"name": "c"}),
    ]
    assert _changes({"spec": {"l": named}}, {"spec": {"l": named[:1]}}) == [("spec.l[name=b]", named[1], ABSENT)]
    # unnamed lists by position; of another length, whole
    assert _changes({"spec": {"l": [1, 2]}}, {"spec": {"l": [1, 3]}}) == [("spec.l[1]", 2, 3)]
    assert _changes({"spec": {"l": [1, 2]}}, {"spec": {"l": [1]}}) == [("spec.l", [1, 2], [1])]
    # a list that became a map, a map that became a string, a number that became a string
    assert _changes({"spec": {"l": [1]}}, {"spec": {"l": {"a": 1}}}) == [("spec.l", [1], {"a": 1})]
    assert _changes({"spec": {"m": {"a": 1}}}, {"spec": {"m": "a"}}) == [("spec.m", {"a": 1}, "a")]
    assert _changes({"spec": {"n": 1}}, {"spec": {"n": "1"}}) == [("spec.n", 1, "1")]
    # keys of mixed types are ordered by their text
    assert _changes({"spec": {1: "a", "b": "x"}}, {"spec": {1: "b", "b": "y"}}) == [
        ("spec.1", "a", "b"),
        ("spec.b", "x", "y"),
    ]


def test_load_files_places_objects_and_names_bad_yaml() -> None:
    from fako.diff import load_files

    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\n"
    objects = load_files(
        {
            "top.yaml": cm.format("top").encode(),
            "flux/flux.yaml": cm.format("flux").encode(),
            "apps/web/web.yml": (
                "just: a mapping\n---\n- a list\n---\n"
                + cm.format("a")
                + "---\nkind: NoApiVersion\n---\n"
                + cm.format("b")
            ).encode(),
        }
    )
    assert [(o.layer, o.app, o.path, o.manifest["metadata"]["name"]) for o in objects.values()] == [
        ("apps", "web", "apps/web/web.yml", "a"),
        ("apps", "web", "apps/web/web.yml", "b"),
        ("flux", "", "flux/flux.yaml", "flux"),
        ("", "", "top.yaml", "top"),
    ]
    with pytest.raises(FakoError) as caught:
        load_files({"apps/x/x.yaml": b"a: 1\nb: [\n"})
    assert str(caught.value) == "cannot parse apps/x/x.yaml at line 3: did not find expected node content"
    with pytest.raises(FakoError) as caught:
        load_files({"a.yaml": cm.format("x").encode(), "b.yaml": cm.format("x").encode()})
    assert str(caught.value) == "ConfigMap x (v1) is defined twice: in a.yaml and in b.yaml"


def _text(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    from fako.diff import load_files

    def tree(doc: dict[str, Any]) -> dict[str, bytes]:
        base = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "namespace": "web"}}
        return {"apps/web/web.yaml": yaml.safe_dump({**base, **doc}).encode()}

    lines = render_text(compute(load_files(tree(before)), load_files(tree(after)))).splitlines()
    return [line.strip() for line in lines[2:-2]]


def test_values_are_shown_short_and_unambiguous() -> None:
    assert _text({"spec": {"n": 1}}, {"spec": {"n": "1"}}) == ['spec.n: 1 -> "1"']  # same text: JSON tells them apart
    assert _text({"spec": {"m": {"b": 1, "a": 2}}}, {"spec": {"m": "x"}}) == ['spec.m: {"a": 2, "b": 1} -> x']
    assert _text({"spec": {"s": "short"}}, {"spec": {"s": "x" * 300}}) == ["spec.s: short -> " + "x" * 300]
    assert _text({"spec": {"s": "short"}}, {"spec": {"s": "x" * 301}}) == [
        "spec.s: short -> " + "x" * 300 + "… (301 chars)"
    ]
    # a multi-line string added or changed: a line diff with one line of context
    assert _text({"data": {}}, {"data": {"t": "a\nb\n"}}) == ["data.t:", "@@ -0,0 +1,2 @@", "+a", "+b"]
    assert _text({"data": {"t": "1\n2\n3\n4\n5\n"}}, {"data": {"t": "1\n2\nX\n4\n5\n"}}) == [
        "data.t:",
        "@@ -2,3 +2,3 @@",
        "2",
        "-3",
        "+X",
        "4",
    ]


def test_moves_duplicates_and_an_empty_diff_are_said_plainly(tmp_path: Path) -> None:
    from fako.diff import load_files

    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x", "namespace": "web"}}
    with pytest.raises(FakoError) as caught:
        load_files({"a.yaml": yaml.safe_dump(cm).encode(), "b.yaml": yaml.safe_dump(cm).encode()})
    assert str(caught.value) == "ConfigMap web/x (v1) is defined twice: in a.yaml and in b.yaml"
    moved = compute(
        load_files({"apps/a/a.yaml": yaml.safe_dump(cm).encode()}),
        load_files({"apps/b/b.yaml": yaml.safe_dump(cm).encode()}),
    )
    assert [c.note for c in moved.changes] == ["moved from apps/a"]
    root = compute(load_files({"x.yaml": yaml.safe_dump(cm).encode()}), load_files({}))
    assert render_text(root).splitlines()[0] == "."
    empty = compute(load_files({}), load_files({}))
    assert render_markdown(empty) == (
        "<!-- fako-diff -->\n### Rendered cluster diff\n\n**0 changed, 0 added, 0 removed objects in 0 apps**\n"
        "\nNo change to the rendered cluster.\n"
    )
    (tmp_path / "d" / ".git").mkdir(parents=True)
    (tmp_path / "d" / ".git" / "x.yaml").write_text(yaml.safe_dump(cm))
    (tmp_path / "d" / "apps").mkdir()
    (tmp_path / "d" / "apps" / "c.yml").write_text(yaml.safe_dump({**cm, "metadata": {"name": "c"}}))
    assert [ident[3] for ident in load_dir(tmp_path / "d")] == ["c"]
