"""Ollama WebUI: the older copy of Open WebUI, wired to GPUStack's OpenAI API only.

Claims the same host as open-webui (ai.lztechnology.io, traefik Ingress with its own
cert); keeps its sqlite database on a 5Gi NFS claim. Reads the GPUStack URL and key
from AWS and `WEBUI_SECRET_KEY` from the SOPS Secret `webui-secret`. Built with
open-webui's `webui()`.
"""

from __future__ import annotations

from fako import k8s
from fako.apps.open_webui import gpustack_secrets, webui
from fako.constructs.config import read_file
from fako.constructs.pods import env, env_from, secret_key
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.aws import AwsSecretStore
from fako.patterns.namespace import AppNamespace
from fako.tree import AppConstruct

SETTINGS = read_file(__file__, "settings.env")
ENV: dict[str, str | k8s.EnvVarSource] = {
    "WEBUI_SECRET_KEY": secret_key("webui-secret", "WEBUI_SECRET_KEY"),
    "DATABASE_URL": "sqlite:////app/backend/data/webui.db",
    "DATA_DIR": "/app/backend/data",
}


class OllamaWebui(AppConstruct):
    """The web UI on its data claim, with Ingress and secrets."""

    name = "ollama-webui"

    def build(self) -> None:
        AppNamespace(self)
        SopsSecret(self, "webui-secret", SopsSecretSpec(name="webui-secret"))
        gpustack_secrets(AwsSecretStore(self))
        secrets = env_from("gpustack-credentials") + env_from("ollama-endpoints", optional=True)
        webui(self, SETTINGS, secrets, "ollama-webui-tls-cert", env=env(ENV))
