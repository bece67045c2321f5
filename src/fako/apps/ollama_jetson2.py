"""Ollama on jetson02 (Jetson Orin Nano, arm64; retired host, app switched off but modelled).

Exposed only on NodePort 31436; keeps its models on a 50Gi NFS claim; a `model-manager`
sidecar pulls and pre-loads qwen3:4b. No secrets. Same shape as ollama-jetson.
"""

from __future__ import annotations

from fako.apps.ollama_jetson import jetson_ollama
from fako.constructs.config import read_file
from fako.patterns.nodepools import JETSON02
from fako.tree import AppConstruct


class OllamaJetson2(AppConstruct):
    """Ollama on jetson02, no Ingress."""

    name = "ollama-jetson2"

    def build(self) -> None:
        jetson_ollama(self, JETSON02, 31436, read_file(__file__, "model-manager.sh"))
