"""`fako completion`: scripts the real shells load, completing the real commands and choices."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import fako


def _script(shell: str, tmp_path: Path) -> Path:
    proc = fako("completion", shell)
    assert proc.returncode == 0, proc.stderr
    assert (
        proc.stderr
        == f'fako: printed the {shell} completion script; load it with: eval "$(fako completion {shell} -q)"\n'
    )
    path = tmp_path / f"fako.{shell}"
    path.write_text(proc.stdout)
    return path


def _bash_complete(script: Path, words: list[str]) -> list[str]:
    line = " ".join(words)
    program = f"""
source {script}
COMP_WORDS=({line})
COMP_CWORD={len(words) - 1}
COMP_LINE="{line}"
COMP_POINT=${{#COMP_LINE}}
_shtab_fako fako "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    proc = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    return sorted(filter(None, proc.stdout.splitlines()))


def test_bash_loads_it_and_completes_commands_and_choices(tmp_path: Path) -> None:
    script = _script("bash", tmp_path)
    proc = subprocess.run(["bash", "-c", f"source {script} && complete -p fako"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "complete -o bashdefault -F _shtab_fako fako"
    assert _bash_complete(script, ["fako", "gr"]) == ["graph"]
    assert "completion" in _bash_complete(script, ["fako", ""]) and "secret" in _bash_complete(script, ["fako", ""])
    assert _bash_complete(script, ["fako", "graph", "--format", ""]) == ["dot", "json", "mermaid", "svg"]
    assert _bash_complete(script, ["fako", "new", ""]) == ["app"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_loads_it(tmp_path: Path) -> None:
    script = _script("zsh", tmp_path)
    program = f'autoload -U compinit && compinit -u -D && eval "$(<{script})" && print -r -- $_comps[fako]'
    proc = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "_shtab_fako"


def test_an_unknown_shell_is_a_usage_error() -> None:
    proc = fako("completion", "fish")
    assert proc.returncode == 2
    assert "argument shell: invalid choice: 'fish'" in proc.stderr
