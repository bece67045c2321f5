"""`fako apps`: every unit with its layer, state, objects, namespaces, hosts, databases and file."""

from __future__ import annotations

import json
import re

from conftest import fako


def _apps(*args: str) -> list[dict[str, object]]:
    proc = fako("apps", "--format", "json", *args)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert isinstance(data, list)
    return data


def test_json_describes_an_app_as_its_module_declares_it() -> None:
    [blog] = _apps("--app", "blog")
    # blog.py: an Ingress for blog.fako-cluster.local, a tunnel routing blog. and umami.landryzetam.net
    assert blog == {
        "name": "blog",
        "layer": "apps",
        "enabled": True,
        "objects": blog["objects"],
        "namespaces": ["blog"],
        "hosts": ["blog.fako-cluster.local", "blog.landryzetam.net", "umami.landryzetam.net"],
        "databases": [],
        "shared_databases": [],
        "source": "src/fako/apps/blog.py",
    }
    # every object the app makes: those `fako synth` prints plus the encrypted ones this checkout lacks
    synth = fako("synth", "--app", "blog", "-o", "-", "-v").stderr
    printed = re.search(r"printed (\d+) objects?", synth)
    assert printed, synth
    absent = synth.count("left out (encrypted file not in this checkout): blog: ")
    assert blog["objects"] == int(printed.group(1)) + absent


def test_switched_off_apps_databases_and_infra_layers_are_listed() -> None:
    rows = {(r["layer"], r["name"]): r for r in _apps()}
    assert rows[("apps", "wger")]["enabled"] is False  # in OFF
    assert rows[("apps", "oura-collector")]["databases"] == ["oura"]
    assert rows[("infrastructure-controllers", "cert-manager")]["enabled"] is True
    assert ("infrastructure-configs", "cert-manager") in rows
    assert all(r["objects"] > 0 for r in rows.values())


def test_the_table_cuts_long_lists_unless_verbose() -> None:
    proc = fako("apps", "--app", "social-media")
    assert proc.returncode == 0, proc.stderr
    header, row = proc.stdout.splitlines()
    assert header.split() == ["NAME", "LAYER", "ON", "OBJECTS", "NAMESPACES", "HOSTS", "DATABASES", "SOURCE"]
    # social-media's tunnel routes four hosts: three are shown, then +1
    assert "s3.landryzetam.net,ig-inbox-api.landryzetam.net,vault-api.landryzetam.net +1" in row
    assert row.split()[:3] == ["social-media", "apps", "on"]
    verbose = fako("apps", "--app", "social-media", "-v").stdout
    assert "vault-api.landryzetam.net,llm.landryzetam.net" in verbose
    assert re.fullmatch(r"fako: 1 unit in 1 layer: 1 on, 0 off, \d+ objects\n", proc.stderr)


def test_filters_and_their_errors() -> None:
    rows = _apps("--layer", "monitoring-configs")
    assert [r["name"] for r in rows] == ["all"]
    proc = fako("apps", "--app", "no-such-app")
    assert proc.returncode == 2
    assert "no app named 'no-such-app' in this cluster" in proc.stderr
    proc = fako("apps", "--layer", "nope")
    assert proc.returncode == 2
    assert "no layer named 'nope'; the layers are infrastructure-controllers," in proc.stderr
    assert fako("apps", "-q").stderr == ""
