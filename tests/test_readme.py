"""The README's example app is real: it renders, validates, and its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import ROOT, fako


def readme() -> str:
    return (ROOT / "README.md").read_text()


def test_the_add_an_app_example_renders(tmp_path: Path) -> None:
    [code] = [b for b in re.findall(r"```python\n(.*?)```", readme(), re.S) if "AppConstruct" in b]
    app = tmp_path / "hello.py"
    app.write_text(code)
    proc = fako("synth", "--app-file", str(app), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    docs = list(yaml.safe_load_all((tmp_path / "out" / "apps" / "hello" / "hello.yaml").read_text()))
    assert [d["kind"] for d in docs] == ["Namespace", "Deployment", "Service", "Ingress"]


def test_the_setup_and_test_commands_are_the_ones_ci_runs() -> None:
    text = readme()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/fako synth" in text
    assert ".venv/bin/python -m pytest" in text and ".venv/bin/python -m pytest" in ci
