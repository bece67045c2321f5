"""ExternalSecrets on the AWS keys many namespaces share.

- `obsidian/api` (Obsidian Local REST API: `api_url`, `api_key`), 13 namespaces:
  `obsidian_api(store)` in its three shapes ("files": `api_url`/`api_key` re-templated,
  the common one; "env": `OBSIDIAN_API_URL`/`OBSIDIAN_API_KEY`; "plain": no template).
  `OBSIDIAN_ENV` merges the pair into an app-wide secret instead.
- `postgres/app-user` and `postgres/admin-credentials` (username/password):
  `postgres_credentials(store)` (env-templated `DATABASE_USER`/`DATABASE_PASSWORD` by default).
- `apisix/cluster-key` (the gateway key apps send as `OLLAMA_API_KEY`): `apisix_key(store)`.
- `discord/webhook` (one property per channel): `discord_webhook(store, name, {...})`.
- `langfuse/agent-keys` (public/secret key): `langfuse_keys(store, name)`.
- `openai/api-key`: `OPENAI_API_KEY` ref for app-wide secrets.

Every helper is built on `AwsSecretStore.secret` and takes the object `labels` the newer
apps set on everything (kustomize's `labels:` in the original repository).
"""

from __future__ import annotations

from typing import Any, Literal

from fako.checked import checked
from fako.constructs.external_secrets import ExternalSecret
from fako.patterns.aws import AwsSecretStore

__all__ = [
    "APISIX_KEY",
    "DISCORD_WEBHOOK",
    "LANGFUSE_KEYS",
    "OBSIDIAN_API",
    "OBSIDIAN_ENV",
    "OPENAI_API_KEY",
    "PG_ADMIN",
    "PG_APP_USER",
    "PG_HOST",
    "apisix_key",
    "discord_webhook",
    "langfuse_keys",
    "obsidian_api",
    "postgres_credentials",
]


OBSIDIAN_API = "obsidian/api"
"""AWS key of the Obsidian Local REST API (`api_url`, `api_key`).

Example: `store.secret("vault", {"url": f"{OBSIDIAN_API}#api_url"})`
"""
PG_APP_USER = "postgres/app-user"
"""AWS key of the shared Postgres's app user (`username`, `password`).

Example: `store.secret("pg-user", {"user": f"{PG_APP_USER}#username"})`
"""
PG_HOST = "postgres-cluster-rw.postgres.svc.cluster.local"
"""The shared CloudNative-PG cluster's read-write Service, as apps address it.

Example: `env({"DATABASE_HOST": PG_HOST, "DATABASE_NAME": "myapp"})`
"""
PG_ADMIN = "postgres/admin-credentials"
"""AWS key of the shared Postgres's admin user (`username`, `password`).

Example: `postgres_credentials(store, "pg-admin", key=PG_ADMIN, target="pg-admin-env")`
"""
APISIX_KEY = "apisix/cluster-key#APISIX_KEY_CLUSTER"
"""The APISIX gateway key (`key#property`) apps send as `OLLAMA_API_KEY`.

Example: `store.secret("gateway", {"OLLAMA_API_KEY": APISIX_KEY})`
"""
DISCORD_WEBHOOK = "discord/webhook"
"""AWS key of the Discord webhook URLs, one property per channel.

Example: `store.secret("alerts", {"url": f"{DISCORD_WEBHOOK}#alerts"})`
"""
LANGFUSE_KEYS = "langfuse/agent-keys"
"""AWS key of the Langfuse agent key pair (`public_key`, `secret_key`).

Example: `store.secret("lf", {"pk": f"{LANGFUSE_KEYS}#public_key"})`
"""
OPENAI_API_KEY = "openai/api-key#api_key"
"""The OpenAI API key (`key#property`).

Example: `store.secret("openai", {"OPENAI_API_KEY": OPENAI_API_KEY})`
"""
OBSIDIAN_ENV = {"OBSIDIAN_API_URL": f"{OBSIDIAN_API}#api_url", "OBSIDIAN_API_KEY": f"{OBSIDIAN_API}#api_key"}
"""The vault URL and key as env-named keys of an app-wide secret.

Example: `store.secret("app-env", {**OBSIDIAN_ENV, "TOKEN": "app/api#token"})`
"""


@checked
def obsidian_api(
    store: AwsSecretStore,
    name: str = "obsidian-api-secret",
    *,
    target: str = "obsidian-api",
    style: Literal["files", "env", "plain"] = "files",
    keys: tuple[str, ...] = ("api_url", "api_key"),
    labels: dict[str, str] | None = None,
) -> ExternalSecret:
    """The Obsidian API URL and key as Secret `target`.

    "files" re-templates them as `api_url`/`api_key` (engine v2), "env" as
    `OBSIDIAN_API_URL`/`OBSIDIAN_API_KEY` (Opaque), "plain" copies them untemplated;
    `keys` picks which of the two (the gateway reads only `api_url`).

    Example: `obsidian_api(store, "obsidian-api-env", target="obsidian-api-env", style="env")`
    """
    data = {k: f"{OBSIDIAN_API}#{k}" for k in keys}
    template: dict[str, Any] | None = None
    if style == "files":
        template = {"data": {k: f"{{{{ .{k} }}}}" for k in sorted(keys)}, "engineVersion": "v2"}
    elif style == "env":
        template = {"data": {f"OBSIDIAN_{k.upper()}": f"{{{{ .{k} }}}}" for k in sorted(keys)}, "type": "Opaque"}
    return store.secret(name, data, target=target, template=template, labels=labels)


@checked
def postgres_credentials(
    store: AwsSecretStore,
    name: str = "postgres-credentials",
    *,
    key: str = PG_APP_USER,
    target: str | None = "postgres-credentials-env",
    env: dict[str, str] | None = None,
    basic_auth: bool = False,
    labels: dict[str, str] | None = None,
) -> ExternalSecret:
    """Username and password of `key` (app user by default) as Secret `target`.

    Default template: `DATABASE_USER`/`DATABASE_PASSWORD` (Opaque); `env` replaces its data
    (Go templates over `.username`/`.password`); `basic_auth` types the Secret
    `kubernetes.io/basic-auth` instead; `target=None` copies the keys untemplated into `name`.

    Example: `postgres_credentials(store)  # Secret postgres-credentials-env: DATABASE_USER, DATABASE_PASSWORD`
    """
    data = {"username": f"{key}#username", "password": f"{key}#password"}
    template: dict[str, Any] | None
    if basic_auth:
        template = {"type": "kubernetes.io/basic-auth"}
    elif target is None:
        template = None
    else:
        shaped = env or {"DATABASE_PASSWORD": "{{ .password }}", "DATABASE_USER": "{{ .username }}"}
        template = {"data": shaped, "type": "Opaque"}
    return store.secret(name, data, target=target, template=template, labels=labels)


@checked
def apisix_key(
    store: AwsSecretStore,
    name: str = "apisix-gateway-key",
    *,
    secret_key: str = "OLLAMA_API_KEY",
    labels: dict[str, str] | None = None,
) -> ExternalSecret:
    """The APISIX cluster key as `secret_key` of Secret `name`.

    Example: `apisix_key(store)  # Secret apisix-gateway-key, key OLLAMA_API_KEY`
    """
    return store.secret(name, {secret_key: APISIX_KEY}, labels=labels)


@checked
def discord_webhook(
    store: AwsSecretStore,
    name: str,
    channels: dict[str, str],
    *,
    target: str | None = None,
    labels: dict[str, str] | None = None,
) -> ExternalSecret:
    """Discord webhook URLs: `channels` maps each Secret key to a `discord/webhook` property.

    Example: `discord_webhook(store, "discord", {"WEBHOOK_URL": "alerts"})`
    """
    data = {k: f"{DISCORD_WEBHOOK}#{prop}" for k, prop in channels.items()}
    return store.secret(name, data, target=target, labels=labels)


@checked
def langfuse_keys(
    store: AwsSecretStore,
    name: str = "langfuse-agent-keys",
    *,
    prefix: str = "",
    target: str | None = None,
    labels: dict[str, str] | None = None,
) -> ExternalSecret:
    """The Langfuse agent key pair as `<prefix>public_key`/`<prefix>secret_key`.

    Example: `langfuse_keys(store, prefix="LANGFUSE_")`
    """
    data = {f"{prefix}{k}": f"{LANGFUSE_KEYS}#{k}" for k in ("public_key", "secret_key")}
    return store.secret(name, data, target=target, labels=labels)
