"""The render cache seen from `fako watch` and `fako validate`: an edit reported as the one
object it changed, and a validation after a synth reporting what a full one does.

Kept apart from tests/test_cache.py so the two files run on different workers.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from conftest import BIN
from test_cache import checkout, run

__all__ = ["checkout"]  # the fixture, imported for the tests below


def test_watch_reports_the_object_an_edit_changed(checkout: Path, tmp_path: Path) -> None:
    """`fako watch` on a copy: render, edit an app's image, see that one object reported
    as changed, the render written, and the command stop (after two renders) with exit 0."""
    env = {**os.environ, "PYTHONPATH": str(checkout / "src"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    out = tmp_path / "dist"
    proc = subprocess.Popen(
        [str(BIN / "fako"), "watch", "-o", str(out), "--interval", "0.1", "--renders", "2"],
        cwd=checkout,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    try:
        first = proc.stdout.readline()
        assert first.startswith("fako watch: rendered"), first + (proc.stderr.read() if proc.stderr else "")
        assert "written" in first
        module = checkout / "src/fako/apps/umami.py"
        text = module.read_text()
        edited = re.sub(r'(image="[^"]+:)([^"]+)"', r'\g<1>watched-tag"', text, count=1)
        assert edited != text
        module.write_text(edited)
        rest = proc.communicate(timeout=120)[0]
    finally:
        if proc.poll() is None:
            proc.kill()
    lines = rest.splitlines()
    assert lines[0] == "  changed  Deployment/umami/umami", rest
    assert re.match(r"fako watch: rendered \d+ objects \(1 changed, 1 of \d+ units built\) in .*; written", lines[-1])
    assert proc.returncode == 0
    assert b"watched-tag" in (out / "apps" / "umami" / "umami.yaml").read_bytes()


def test_validate_after_a_synth_reports_what_a_full_validation_does(checkout: Path, tmp_path: Path) -> None:
    """`fako validate` right after `fako synth` takes the synth's stored findings (and checks
    only the typed objects' schemas); its report equals a validation with no cache at all."""
    cache = tmp_path / "cache"
    module = checkout / "src/fako/apps/umami.py"
    module.write_text(re.sub(r'(image="[^"]+:)([^"]+)"', r'\g<1>latest"', module.read_text(), count=1))
    code, _, err = run(checkout, cache, "synth", "--out", str(tmp_path / "out"))
    assert code == 0, err
    reused = run(checkout, cache, "validate", "-v", "--format", "json")
    assert "the last synth's findings reused" in reused[2]
    full = run(checkout, cache, "validate", "--no-cache", "--format", "json")
    assert reused[:2] == full[:2]
    assert '"ref": "Deployment/umami/umami"' in reused[1]  # the edit's own finding is there
