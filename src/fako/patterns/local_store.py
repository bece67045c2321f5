"""The `local-secret-store`: External Secrets reading Secrets of the app's own namespace.

Apps that call AWS themselves (boto3 / aws-cli) want the namespace's `aws-credentials`
Secret as environment variables (`AWS_ACCESS_KEY_ID`, ...). They do it with a second
SecretStore, provider `kubernetes`, authenticated as the app's ServiceAccount, and an
ExternalSecret `aws-credentials-transformed` that re-templates `aws-credentials` into
`aws-credentials-env`. The ServiceAccount gets its own Role (read ConfigMaps and
Secrets) and the `secret-reader` Role, both bound to it.

    LocalSecretStore(self)                        # everything, SA named after the app
    LocalSecretStore(self, LocalSecretStoreSpec(aws_env=None))   # store + RBAC only
"""

from __future__ import annotations

from fako.constructs.base import Spec
from fako.constructs.external_secrets import ExternalSecret, ExternalSecretSpec, SecretStore, SecretStoreSpec
from fako.constructs.rbac import ServiceAccount, ServiceAccountSpec
from fako.patterns.rbac import grant, rule
from fako.tree import Group, Scope

__all__ = ["LocalSecretStore", "LocalSecretStoreSpec"]

_AWS_KEYS = (("accessKeyId", "access-key-id"), ("secretAccessKey", "secret-access-key"), ("region", "region"))
"""(key in the ExternalSecret, property of the `aws-credentials` Secret), in order."""
_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "{{ .accessKeyId }}",
    "AWS_DEFAULT_REGION": "{{ .region }}",
    "AWS_SECRET_ACCESS_KEY": "{{ .secretAccessKey }}",
}


class LocalSecretStoreSpec(Spec):
    """What the store comes with.

    `service_account` defaults to the app's name. `app_role` are the resources of the
    Role named after the service account (None: no such Role), with `app_verbs`.
    `secret_reader` adds the `secret-reader` Role and its `<sa>-secret-reader` binding.
    `aws_env` names the ExternalSecret that re-templates `aws-credentials` into
    `aws-credentials-env` (None: not made).

    Example: `LocalSecretStore(self, LocalSecretStoreSpec(service_account="collector", aws_env=None))`
    """

    name: str = "local-secret-store"
    service_account: str | None = None
    app_role: tuple[str, ...] | None = ("configmaps", "secrets")
    app_verbs: tuple[str, ...] = ("get", "list", "watch")
    secret_reader: bool = True
    aws_env: str | None = "aws-credentials-transformed"


class LocalSecretStore(Group):
    """The kubernetes-provider SecretStore, its ServiceAccount and RBAC, the AWS env Secret.

    Example: `LocalSecretStore(self)  # SecretStore local-secret-store, its ServiceAccount and Role`
    """

    def __init__(self, scope: Scope, spec: LocalSecretStoreSpec | None = None, id: str = "local-store") -> None:
        super().__init__(scope, id)
        spec = spec or LocalSecretStoreSpec()
        self.spec = spec
        ns = self.default_namespace or ""
        sa = spec.service_account or ns
        self.service_account = sa
        ServiceAccount(self, "sa", ServiceAccountSpec(name=sa))
        roles: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = []
        if spec.app_role is not None:
            roles.append((sa, sa, spec.app_role, spec.app_verbs))
        if spec.secret_reader:
            roles.append(("secret-reader", f"{sa}-secret-reader", ("secrets",), ("get", "list", "watch")))
        for role, binding, resources, verbs in roles:
            grant(
                self,
                account=sa,
                role=role,
                binding=binding,
                cluster=False,
                make_account=False,
                rules=[rule("", list(resources), list(verbs))],
            )
        SecretStore(
            self,
            "store",
            SecretStoreSpec.model_validate(
                {
                    "name": spec.name,
                    "provider": {
                        "kubernetes": {
                            "auth": {"serviceAccount": {"name": sa}},
                            "remoteNamespace": ns,
                            "server": {
                                "caProvider": {"key": "ca.crt", "name": "kube-root-ca.crt", "type": "ConfigMap"}
                            },
                        }
                    },
                }
            ),
        )
        if spec.aws_env is not None:
            ExternalSecret(
                self,
                "aws-env",
                ExternalSecretSpec.model_validate(
                    {
                        "name": spec.aws_env,
                        "data": [
                            {"remoteRef": {"key": "aws-credentials", "property": prop}, "secretKey": key}
                            for key, prop in _AWS_KEYS
                        ],
                        "refreshInterval": "1h",
                        "secretStoreRef": {"kind": "SecretStore", "name": spec.name},
                        "target": {
                            "creationPolicy": "Owner",
                            "name": "aws-credentials-env",
                            "template": {"data": _AWS_ENV, "type": "Opaque"},
                        },
                    }
                ),
            )
