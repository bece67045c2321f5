"""The legacy generation of Docker Hub pull secrets: a kubectl Job that builds one.

Before the ExternalSecret generation (`fako.patterns.dockerhub`), apps committed their
Docker Hub login as a SOPS Secret `dockerhub-credentials` (`username`/`password`) and ran
a Job `create-docker-registry-secret` that reads it with kubectl and (re)creates the
`kubernetes.io/dockerconfigjson` Secret `dockerhub-registry`, under a ServiceAccount
`docker-secret-creator` allowed to get/create/delete Secrets. The Job has no TTL: it
stays as a completed object, and its pod template is immutable (CLUSTER.md §1c).
"""

from __future__ import annotations

from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.patterns.rbac import rule, script_job, service_account
from fako.tree import Group, Scope

__all__ = ["LegacyPullSecret", "service_account"]  # service_account: fako.patterns.rbac's, re-exported

NAME = "docker-secret-creator"
SCRIPT = """\
# Get credentials from the simple secret
USERNAME=$(kubectl get secret {creds} -n {ns} -o jsonpath='{{.data.username}}' | base64 -d)
PASSWORD=$(kubectl get secret {creds} -n {ns} -o jsonpath='{{.data.password}}' | base64 -d)

# Delete existing secret if it exists
kubectl delete secret {target} -n {ns} --ignore-not-found=true

# Create the docker registry secret with proper escaping
kubectl create secret docker-registry {target} \\
  --docker-server=https://index.docker.io/v1/ \\
  --docker-username="${{USERNAME}}" \\
  --docker-password="${{PASSWORD}}" \\
  --namespace={ns} \\
  --dry-run=client -o yaml | kubectl apply -f -
"""


class LegacyPullSecret(Group):
    """SOPS `dockerhub-credentials` + SA/Role/RoleBinding `docker-secret-creator` + the Job.

    `target` is the pull secret the Job creates; `credentials` the Secret it reads;
    `sops=False` when that Secret is not committed (an ExternalSecret or a hand-made one
    provides it); `role=False` leaves the Role and RoleBinding out (the SA alone);
    `verbs` are the Role's verbs on Secrets (default: get, create, delete);
    `labels` go on every object but the SOPS Secret.

    Example: `LegacyPullSecret(self, sops=False, role=False)`
    """

    def __init__(
        self,
        scope: Scope,
        id: str = "legacy-pull",
        *,
        target: str = "dockerhub-registry",
        credentials: str = "dockerhub-credentials",
        sops: bool = True,
        role: bool = True,
        verbs: tuple[str, ...] = ("get", "create", "delete"),
        labels: dict[str, str] | None = None,
        image: str = "bitnamilegacy/kubectl:1.33.4",
    ) -> None:
        super().__init__(scope, id)
        ns = self.default_namespace or ""
        if sops:
            SopsSecret(self, "credentials", SopsSecretSpec(name=credentials))
        rules = [rule("", ["secrets"], list(verbs))]
        service_account(self, NAME, rules if role else None, labels=labels)
        script_job(
            self,
            "create-docker-registry-secret",
            script=SCRIPT.format(creds=credentials, ns=ns, target=target),
            image=image,
            account=NAME,
            container="create-secret",
            labels=labels,
            id="job",
        )
