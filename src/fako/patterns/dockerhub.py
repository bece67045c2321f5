"""Docker Hub pull secrets: the ExternalSecret generation (a `kubernetes.io/dockerconfigjson`
Secret templated from `dockerhub/credentials`).

`style` picks among the templates the cluster's apps were written with: "compact" (one-line
JSON, engine v2, refreshed hourly: the common one), "pretty" (indented JSON, refreshed
daily, no engine version), "plain" (username/password keys only, for the legacy Job).
"""

from __future__ import annotations

from typing import Any, Literal

from fako.checked import checked
from fako.constructs.external_secrets import ExternalSecret
from fako.patterns.aws import AwsSecretStore

__all__ = ["DOCKERHUB_KEY", "dockerhub_pull_secret"]

DOCKERHUB_KEY = "dockerhub/credentials"
"""The AWS Secrets Manager key holding the Docker Hub username and password.

Example: `store.secret("hub", {"username": f"{DOCKERHUB_KEY}#username"})`
"""

_COMPACT = (
    '{"auths":{"https://index.docker.io/v1/":{"username":"{{ .username }}","password":"{{ .%s }}",'
    '"auth":"{{ printf "%%s:%%s" .username .%s | b64enc }}"}}}\n'
)
_PRETTY = """{
  "auths": {
    "https://index.docker.io/v1/": {
      "username": "{{ .username }}",
      "password": "{{ .password }}",
      "auth": "{{ printf "%s:%s" .username .password | b64enc }}"
    }
  }
}
"""


@checked
def dockerhub_pull_secret(
    store: AwsSecretStore,
    name: str = "dockerhub-registry",
    *,
    target: str | None = None,
    style: Literal["compact", "pretty", "plain"] = "compact",
    password_key: Literal["password", "token"] = "password",
    refresh: str | None = None,
    engine: bool | None = None,
    labels: dict[str, str] | None = None,
    id: str | None = None,
) -> ExternalSecret:
    """The ExternalSecret that keeps a Docker Hub pull secret in the store's namespace.

    `engine` writes `engineVersion: v2` in a "compact" template; default: only when the
    password is read as `password` (the token-keyed variant never had it).

    Example: `dockerhub_pull_secret(store)  # Secret dockerhub-registry, for image_pull_secrets=pull_secrets("dockerhub-registry")`
    """
    data = {"username": f"{DOCKERHUB_KEY}#username", password_key: f"{DOCKERHUB_KEY}#token"}
    template: dict[str, Any]
    if style == "compact":
        template = {"data": {".dockerconfigjson": _COMPACT % (password_key, password_key)}}
        if engine if engine is not None else password_key == "password":
            template["engineVersion"] = "v2"
        template["type"] = "kubernetes.io/dockerconfigjson"
    elif style == "pretty":
        template = {"data": {".dockerconfigjson": _PRETTY}, "type": "kubernetes.io/dockerconfigjson"}
    else:
        template = {"data": {"password": "{{ .password }}", "username": "{{ .username }}"}, "engineVersion": "v2"}
    default_refresh = "24h" if style == "pretty" or password_key == "token" else "1h"
    return store.secret(
        name, data, target=target, template=template, refresh=refresh or default_refresh, labels=labels, id=id
    )
