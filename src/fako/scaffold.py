"""The source of a new app module, as `fako new app` writes it.

`app_module(AppSketch(...))` returns a module written the way the hand-written apps are:
`AppNamespace`, an `AwsSecretStore` and `store.secret(...)` for the AWS keys, a
`deployment` + `service` + `ingress` for a web app or a `cronjob` for a scheduled one,
`pool.request(n)` spread into the pod for a GPU, `databases = (...)` with the shared
Postgres host and credentials. Every value the user gave is checked here and written as
a Python literal (`repr`), so nothing they type can become code.
"""

from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass

from fako.errors import FakoError
from fako.text import shown
from fako.validation.names import dns1123_label, dns1123_subdomain

__all__ = ["AppSketch", "AwsKey", "app_module", "class_name", "module_name", "sketch_problems"]

_ENV = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_DATABASE = re.compile(r"[a-z_][a-z0-9_]{0,62}\Z")
_IMAGE = re.compile(r"[a-z0-9][a-z0-9._/-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?\Z")
_CRON_FIELD = re.compile(r"[0-9A-Za-z*/,?-]+\Z")
_CRON_MACROS = ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
_AWS_KEY = re.compile(r"[A-Za-z0-9/_+=.@-]+\Z")


@dataclass(frozen=True)
class AwsKey:
    """One `--aws-secret ENV=key#property`: env var `env` read from AWS secret `key` (property optional)."""

    env: str
    ref: str

    @staticmethod
    def parse(text: str) -> AwsKey:
        """`ENV=aws/key#property` → AwsKey; `FakoError` saying the form when it is not."""
        env, sep, ref = text.partition("=")
        if not sep or not env or not ref:
            raise FakoError(f"--aws-secret {shown(repr(text))}: write it as ENV=aws/key#property")
        return AwsKey(env, ref)


@dataclass(frozen=True)
class AppSketch:
    """What `fako new app` was asked for."""

    name: str
    image: str = "nginxinc/nginx-unprivileged:1.27-alpine"
    port: int | None = None
    hosts: tuple[str, ...] = ()
    databases: tuple[str, ...] = ()
    gpu_pool: str | None = None
    """Name of the module constant of the GPU pool (`NVIDIA`), or None."""
    gpus: int = 1
    aws: tuple[AwsKey, ...] = ()
    schedule: str | None = None

    @property
    def effective_port(self) -> int | None:
        """The container port: the one given, 8080 for a web app given only a host."""
        if self.port is None and self.hosts:
            return 8080
        return self.port


def _q(text: str) -> str:
    """`text` as a double-quoted Python string literal (JSON's escapes are Python's too)."""
    return json.dumps(text)


def module_name(name: str) -> str:
    """The module file stem of app `name` (`my-app` → `my_app`)."""
    return name.replace("-", "_")


def class_name(name: str) -> str:
    """The class of app `name` (`my-app` → `MyApp`)."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("-"))


def _cron_problems(schedule: str) -> list[str]:
    if schedule in _CRON_MACROS:
        return []
    fields = schedule.split()
    if len(fields) != 5 or not all(_CRON_FIELD.match(f) for f in fields):
        return [f"--schedule {shown(repr(schedule))} is not a cron schedule: five fields (`0 6 * * *`) or @daily"]
    return []


def sketch_problems(s: AppSketch) -> list[str]:
    """Everything wrong with a sketch, in the user's words (empty when it can be written)."""
    found = [f"app name {shown(repr(s.name))} {p}" for p in dns1123_label(s.name)]
    if not found:
        stem = module_name(s.name)
        if not stem.isidentifier() or keyword.iskeyword(stem) or not s.name[0].isalpha():
            found.append(f"app name {shown(repr(s.name))} must start with a letter (it names a Python module)")
    if not _IMAGE.match(s.image):
        found.append(f"--image {shown(repr(s.image))} is not an image reference such as 'nginx:1.27-alpine'")
    if s.port is not None and not 1 <= s.port <= 65535:
        found.append(f"--port {s.port} must be between 1 and 65535")
    for host in s.hosts:
        found += [f"--host {shown(repr(host))} {p}" for p in dns1123_subdomain(host)]
    for db in s.databases:
        if not _DATABASE.match(db):
            found.append(
                f"--database {shown(repr(db))} is not a PostgreSQL identifier: a-z, 0-9 and '_', "
                "starting with a letter or '_', at most 63 characters"
            )
    for key in s.aws:
        if not _ENV.match(key.env):
            found.append(f"--aws-secret {shown(repr(key.env))}: the env var name must match [A-Za-z_][A-Za-z0-9_]*")
        aws_key, _, prop = key.ref.partition("#")
        if not _AWS_KEY.match(aws_key) or (prop and not _AWS_KEY.match(prop)):
            found.append(f"--aws-secret {shown(repr(key.ref))} is not an AWS key such as 'myapp/api#token'")
    envs = [k.env for k in s.aws]
    found += [f"--aws-secret names {e!r} twice" for e in sorted({e for e in envs if envs.count(e) > 1})]
    if s.schedule is not None:
        found += _cron_problems(s.schedule)
        if s.hosts or s.port is not None:
            found.append("--schedule makes a CronJob, which serves no port: leave out --port and --host")
    if s.gpus < 1:
        found.append(f"--gpus {s.gpus} must be at least 1")
    return found


def _imports(s: AppSketch) -> list[str]:
    pods = ["resources"]
    if s.aws or s.databases:
        pods.append("env_from")
    if s.databases:
        pods.append("env")
    if s.effective_port is not None:
        pods.append("tcp_probe")
    lines = ["from fako import k8s", f"from fako.constructs.pods import {', '.join(sorted(pods))}"]
    if s.aws or s.databases:
        lines.append("from fako.patterns.aws import AwsSecretStore")
    lines.append(f"from fako.patterns.cron import {'cronjob, ' if s.schedule is not None else ''}restricted_pod")
    if s.hosts:
        lines.append("from fako.patterns.ingress import ingress")
    lines.append("from fako.patterns.namespace import AppNamespace")
    if s.gpu_pool:
        lines.append(f"from fako.patterns.nodepools import {s.gpu_pool}")
    if s.databases:
        lines.append("from fako.patterns.shared_secrets import PG_HOST, postgres_credentials")
    workload = []
    if s.schedule is None:
        workload.append("deployment")
        if s.effective_port is not None:
            workload += ["port", "service"]
    if workload:
        lines.append(f"from fako.patterns.workload import {', '.join(workload)}")
    lines.append("from fako.tree import AppConstruct")
    return lines


def _doc(s: AppSketch) -> tuple[str, str]:
    what = "CronJob" if s.schedule is not None else "Deployment"
    parts = [f"one {what}"]
    if s.schedule is not None:
        parts[0] += f" on {_q(s.schedule)}"
    if s.effective_port is not None:
        parts.append(f"a Service on port {s.effective_port}")
    if s.hosts:
        parts.append(f"an Ingress for {', '.join(s.hosts)}")
    if s.gpu_pool:
        parts.append(f"{s.gpus} GPU of pool {s.gpu_pool}" if s.gpus == 1 else f"{s.gpus} GPUs of pool {s.gpu_pool}")
    if s.aws:
        parts.append(f"{len(s.aws)} AWS key{'s' if len(s.aws) > 1 else ''}")
    if s.databases:
        parts.append(f"database{'s' if len(s.databases) > 1 else ''} {', '.join(s.databases)} in the shared Postgres")
    summary = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return summary, what


def app_module(s: AppSketch) -> str:
    """The module source of the app `s` describes; `FakoError` listing every problem first."""
    problems = sketch_problems(s)
    if problems:
        raise FakoError("cannot write the app:\n  " + "\n  ".join(problems))
    summary, what = _doc(s)
    port = s.effective_port
    secret = f"{s.name}-secrets"
    out = [
        f'"""{class_name(s.name)}: {summary}.',
        "",
        "Written by `fako new app`: say here what the app does, who uses it and what it needs.",
        '"""',
        "",
        "from __future__ import annotations",
        "",
        *_imports(s),
        "",
        f"NAME = {_q(s.name)}",
        'LABELS = {"app": NAME}',
    ]
    if s.aws:
        keys = ", ".join(f"{_q(k.env)}: {_q(k.ref)}" for k in s.aws)
        out.append(f"AWS_KEYS = {{{keys}}}")
        out.append('"""Env var → AWS Secrets Manager `key#property`, read by the ExternalSecret."""')
    out += [
        "",
        "",
        f"class {class_name(s.name)}(AppConstruct):",
        f'    """The app\'s {what}{" and how it is reached" if port is not None else ""}."""',
        "",
        "    name = NAME",
    ]
    if s.databases:
        out.append(f"    databases = ({', '.join(_q(d) for d in s.databases)},)")
    out += ["", "    def build(self) -> None:", "        AppNamespace(self)"]
    env_from: list[str] = []
    if s.aws or s.databases:
        out.append("        store = AwsSecretStore(self)")
    if s.aws:
        out.append(f"        store.secret({_q(secret)}, AWS_KEYS)")
        env_from.append(_q(secret))
    if s.databases:
        out.append("        postgres_credentials(store)")
        env_from.append('"postgres-credentials-env"')
    if s.gpu_pool:
        out.append(f"        gpu = {s.gpu_pool}.request({s.gpus}, host_ipc=False)")
    limits = 'gpu.limits(memory="512Mi")' if s.gpu_pool else '{"memory": "256Mi"}'
    container = ["k8s.Container(", f"    name=NAME, image={_q(s.image)},"]
    if s.databases:
        container.append(f'    env=env({{"DATABASE_HOST": PG_HOST, "DATABASE_NAME": {_q(s.databases[0])}}}),')
    if env_from:
        container.append(f"    env_from=env_from({', '.join(env_from)}),")
    if port is not None:
        container.append(f'    ports=[k8s.ContainerPort(container_port={port}, name="http")],')
        container.append(f"    liveness_probe=tcp_probe({port}, delay=10, period=20),")
        container.append(f"    readiness_probe=tcp_probe({port}, period=10),")
    container.append(f'    resources=resources(requests={{"cpu": "50m", "memory": "64Mi"}}, limits={limits}),')
    container.append(")")
    pod = ("**gpu.pod_fields(), " if s.gpu_pool else "") + "security_context=restricted_pod(),"
    if s.schedule is not None:
        out += ["        cronjob(", f"            self, NAME, {_q(s.schedule)}, pod_labels=LABELS, {pod}"]
    else:
        strategy = ' strategy="Recreate",' if s.gpu_pool else ""
        out += ["        deployment(", f"            self, NAME, selector=LABELS,{strategy} {pod}"]
    out.append(f"            containers=[{container[0]}")
    out += [f"            {line}" for line in container[1:-1]]
    out += ["            )],", "        )"]
    if port is not None:
        out.append(f'        service(self, NAME, selector=LABELS, ports=[port("http", {port})])')
    if s.hosts:
        hosts = ", ".join(_q(h) for h in s.hosts)
        out.append(
            f'        ingress(self, NAME, hosts=[{hosts}], service=NAME, port={port}, tls_secret=f"{{NAME}}-tls")'
        )
    return "\n".join(out) + "\n"
