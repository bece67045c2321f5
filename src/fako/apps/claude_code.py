"""Claude Code: the Claude Code CLI in a pod that n8n drives over SSH.

Not exposed outside the cluster: sshd on claude-code:22 accepts only n8n's public key
(ConfigMap `claude-code-ssh-pubkey`, mounted 0600). The CLI authenticates with the
Claude OAuth token read from AWS (`claude-code/oauth-token`); the image comes from
Docker Hub with the ExternalSecret pull secret. Stores nothing. Switched off.
"""

from __future__ import annotations

from fako import k8s
from fako.constructs.config import ConfigMap, ConfigMapSpec
from fako.constructs.pods import config_volume, env, exec_probe, mount, pull_secrets, resources, secret_key, tcp_probe
from fako.patterns.aws import AwsSecretStore
from fako.patterns.dockerhub import dockerhub_pull_secret
from fako.patterns.namespace import AppNamespace
from fako.patterns.workload import deployment, port, service
from fako.tree import AppConstruct

LABELS = {"app": "claude-code"}
PUBKEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRgY0/fh/JEI2P+dsmkcLIAJ7Vzw+Gi5FJa1cBThWpv n8n-claude-code\n"
"""n8n's SSH public key, the only one `authorized_keys` holds."""


class ClaudeCode(AppConstruct):
    """One sshd pod (no service-account token), its SSH Service and the OAuth/pull secrets."""

    name = "claude-code"

    def build(self) -> None:
        AppNamespace(self, labels={"app.kubernetes.io/name": "claude-code"})
        store = AwsSecretStore(self)
        store.secret("claude-code-oauth", {"oauth-token": "claude-code/oauth-token#claudeAiOauth.accessToken"})
        dockerhub_pull_secret(store)
        ConfigMap(self, "pubkey", ConfigMapSpec(name="claude-code-ssh-pubkey", data={"authorized_keys": PUBKEY}))
        service(self, "claude-code", labels=LABELS, selector=LABELS, ports=[port("ssh", 22)])
        cli = k8s.Container(
            name="claude-code", image="lzetam/claude-code:latest", image_pull_policy="Always",
            env=env({"CLAUDE_CODE_OAUTH_TOKEN": secret_key("claude-code-oauth", "oauth-token")}),
            ports=[k8s.ContainerPort(name="ssh", container_port=22)],
            liveness_probe=exec_probe(["service", "ssh", "status"], delay=10, period=30),
            readiness_probe=tcp_probe(22, delay=5, period=10),
            resources=resources(cpu=("50m", "1"), memory=("64Mi", "1Gi")),
            volume_mounts=[mount("ssh-pubkey", "/home/claude/.ssh", read_only=True)])
        keys = [k8s.KeyToPath(key="authorized_keys", path="authorized_keys")]
        deployment(self, "claude-code", labels=LABELS, selector=LABELS, automount_service_account_token=False,
                   containers=[cli], image_pull_secrets=pull_secrets("dockerhub-registry"),
                   volumes=[config_volume("ssh-pubkey", "claude-code-ssh-pubkey", default_mode=0o600, items=keys)])
