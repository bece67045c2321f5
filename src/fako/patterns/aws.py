"""The per-namespace AWS Secrets Manager store and the ExternalSecrets that read it.

Every app namespace of the cluster has the same `SecretStore` (us-east-1, Secrets
Manager, credentials from the namespace's `aws-credentials` Secret); only its name
varies between the generations of apps. The credentials Secret is SOPS-encrypted in the
owner's repository, or made by hand where `credentials="external"`. One store
(n8n-migration) authenticates with a ServiceAccount's token instead (`jwt`, EKS's IAM
roles for service accounts), which works only on a ServiceAccount annotated with
`eks.amazonaws.com/role-arn`.
"""

from __future__ import annotations

from typing import Any, Literal, Self

from pydantic import model_validator

from fako.checked import checked
from fako.constructs.base import DnsName, Spec
from fako.constructs.external_secrets import ExternalSecret, ExternalSecretSpec, SecretStore, SecretStoreSpec
from fako.constructs.sops import SopsSecret, SopsSecretSpec
from fako.tree import Group, Scope

__all__ = ["AwsSecretStore", "AwsSecretStoreSpec", "remote"]


class AwsSecretStoreSpec(Spec):
    """The store's name, where its credentials come from and which key names they use.

    `credentials`: "sops" (default) copies the namespace's encrypted `aws-credentials`
    Secret; "external" means it exists in the cluster but not in git; "service-account"
    authenticates as ServiceAccount `service_account` (jwt auth; no `aws-credentials`, and
    `keys` unused). `keys`: "kebab" (`access-key-id`, the default) or "env" (`AWS_ACCESS_KEY_ID`).

    Example: `AwsSecretStoreSpec(name="aws-secrets", credentials="external", keys="env")`
    """

    name: Literal["aws-secret-store", "aws-secrets-store", "aws-secrets"] = "aws-secret-store"
    credentials: Literal["sops", "external", "service-account"] = "sops"
    service_account: DnsName | None = None
    """The ServiceAccount whose token the store presents; only with `credentials="service-account"`."""
    keys: Literal["kebab", "env"] = "kebab"
    region: str = "us-east-1"
    labels: dict[str, str] | None = None
    """Labels of the SecretStore object (none by default)."""

    @model_validator(mode="after")
    def _account_with_jwt(self) -> Self:
        if (self.credentials == "service-account") != (self.service_account is not None):
            raise ValueError(
                f"service_account={self.service_account!r} with credentials={self.credentials!r}: "
                'set service_account exactly when credentials="service-account"'
            )
        return self


@checked
def remote(ref: str) -> dict[str, str]:
    """`"owner/purpose#property"` as an External Secrets `remoteRef` (property optional).

    Example: `remote("n8n/db#password")  # {"key": "n8n/db", "property": "password"}`
    """
    key, _, prop = ref.partition("#")
    return {"key": key, "property": prop} if prop else {"key": key}


class AwsSecretStore(Group):
    """A namespace's AWS `SecretStore` (with its SOPS credentials); makes ExternalSecrets.

    Example: `store = AwsSecretStore(self, spec=AwsSecretStoreSpec(name="aws-secrets-store"))`
    """

    def __init__(self, scope: Scope, id: str = "aws-store", spec: AwsSecretStoreSpec | None = None) -> None:
        super().__init__(scope, id)
        spec = spec or AwsSecretStoreSpec()
        self.spec = spec
        if spec.credentials == "sops":
            SopsSecret(self, "credentials", SopsSecretSpec(name="aws-credentials"))
        key_id, secret = (
            ("access-key-id", "secret-access-key")
            if spec.keys == "kebab"
            else ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
        )
        auth: dict[str, Any] = {
            "secretRef": {
                "accessKeyIDSecretRef": {"key": key_id, "name": "aws-credentials"},
                "secretAccessKeySecretRef": {"key": secret, "name": "aws-credentials"},
            }
        }
        if spec.service_account is not None:
            auth = {"jwt": {"serviceAccountRef": {"name": spec.service_account}}}
        self.store = SecretStore(
            self,
            "store",
            SecretStoreSpec.model_validate(
                {
                    "name": spec.name,
                    **({"labels": spec.labels} if spec.labels is not None else {}),
                    "provider": {"aws": {"auth": auth, "region": spec.region, "service": "SecretsManager"}},
                }
            ),
        )

    @property
    def ref(self) -> dict[str, str]:
        """The `secretStoreRef` of an ExternalSecret reading this store."""
        return {"kind": "SecretStore", "name": self.spec.name}

    @checked
    def secret(
        self,
        name: DnsName,
        data: dict[str, str] | None = None,
        *,
        target: str | None = None,
        template: dict[str, Any] | None = None,
        extract: str | None = None,
        refresh: str | None = "1h",
        creation_policy: str | None = "Owner",
        deletion_policy: str | None = None,
        labels: dict[str, str] | None = None,
        id: str | None = None,
    ) -> ExternalSecret:
        """An ExternalSecret `name` into Secret `target` (default: `name`).

        `data` maps each key of the Secret to `"aws/key#property"`; `extract` pulls a
        whole AWS secret instead. `template` is the `target.template` block, verbatim;
        `labels` the ExternalSecret's own labels; `deletion_policy` the target's.

        Example: `store.secret("app-secrets", {"API_KEY": "myapp/api#key"}, target="app-env")`
        """
        spec_target: dict[str, Any] = {}
        if creation_policy is not None:
            spec_target["creationPolicy"] = creation_policy
        if deletion_policy is not None:
            spec_target["deletionPolicy"] = deletion_policy
        spec_target["name"] = target or name
        if template is not None:
            spec_target["template"] = template
        fields: dict[str, Any] = {"name": name, "secretStoreRef": self.ref, "target": spec_target}
        if labels is not None:
            fields["labels"] = labels
        if data is not None:
            fields["data"] = [{"remoteRef": remote(ref), "secretKey": key} for key, ref in data.items()]
        if extract is not None:
            fields["dataFrom"] = [{"extract": {"key": extract}}]
        if refresh is not None:
            fields["refreshInterval"] = refresh
        return ExternalSecret(self, id or name, ExternalSecretSpec.model_validate(fields))
