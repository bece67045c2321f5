"""`fako.secretscan`: detect-secrets' patterns, copied as data and kept in step with it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKENS = {
    "GitHub Token": "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "AWS Access Key": "AKIA" + "IOSFODNN7EXAMPLE",
    "Slack Token": "https://hooks.slack.com/services/" + "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "Private Key": "-----BEGIN RSA PRIVATE KEY-----",
}


def test_the_copied_patterns_are_those_of_the_installed_detect_secrets() -> None:
    proc = subprocess.run(
        [sys.executable, "tools/gen_secret_patterns.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_every_scanned_kind_has_patterns_and_matches_as_detect_secrets_does() -> None:
    from detect_secrets.core.plugins.util import get_mapping_from_secret_type_to_class

    from fako.secretpatterns import PATTERNS
    from fako.secretscan import SCANNED, secret_kinds

    assert sorted({kind for kind, _, _ in PATTERNS}) == sorted(SCANNED)
    plugins = get_mapping_from_secret_type_to_class()
    for kind, text in TOKENS.items():
        assert kind in secret_kinds(text)
        assert any(p.search(text) for p in plugins[kind].denylist)
    assert secret_kinds("just some configuration value") == ()


def test_scanning_does_not_import_detect_secrets() -> None:
    code = f"""
        import sys
        from fako.secretscan import secret_kinds
        print(secret_kinds({TOKENS["GitHub Token"]!r}), "detect_secrets" in sys.modules)
        """
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["('GitHub", "Token',)", "False"]
