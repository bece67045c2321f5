"""Small builders for object-rule tests: hand-written manifests, and what a rule says of them."""

from __future__ import annotations

from typing import Any

from fako.validation.rules import Rule


def found(rule: Rule, manifest: dict[str, Any]) -> list[str]:
    """`field: message` of every violation `rule` finds in `manifest`."""
    return [f"{v.field}: {v.message}" for v in rule(manifest)]


def severities(rule: Rule, manifest: dict[str, Any]) -> list[str]:
    return [v.severity for v in rule(manifest)]


def container(name: str = "web", image: str = "nginx:1.27.3", **extra: Any) -> dict[str, Any]:
    return {"name": name, "image": image, **extra}


def pod(*containers: dict[str, Any], name: str = "web", **spec: Any) -> dict[str, Any]:
    """A Pod in namespace `blog` with these containers (one nginx container by default)."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "blog"},
        "spec": {"containers": list(containers) or [container()], **spec},
    }


def workload(kind: str, *containers: dict[str, Any], name: str = "web", **spec: Any) -> dict[str, Any]:
    """A Deployment, StatefulSet, DaemonSet, ReplicaSet or Job selecting app=web, with `spec` merged in.

    `template_spec` (a dict) is merged into the pod spec."""
    group = "batch" if kind == "Job" else "apps"
    pod_spec: dict[str, Any] = {"containers": list(containers) or [container()], **spec.pop("template_spec", {})}
    if kind == "Job":
        pod_spec.setdefault("restartPolicy", "Never")
    body: dict[str, Any] = {"template": {"metadata": {"labels": {"app": "web"}}, "spec": pod_spec}, **spec}
    if kind != "Job":
        body.setdefault("selector", {"matchLabels": {"app": "web"}})
    return {"apiVersion": f"{group}/v1", "kind": kind, "metadata": {"name": name, "namespace": "blog"}, "spec": body}


def cronjob(name: str = "backup", **spec: Any) -> dict[str, Any]:
    pod_spec = {"containers": [container("backup")], "restartPolicy": "OnFailure"}
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name, "namespace": "blog"},
        "spec": {"schedule": "0 3 * * *", "jobTemplate": {"spec": {"template": {"spec": pod_spec}}}, **spec},
    }


def service(name: str = "web", *ports: dict[str, Any], **spec: Any) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "blog"},
        "spec": {"selector": {"app": "web"}, "ports": list(ports) or [{"name": "http", "port": 80}], **spec},
    }


def obj(
    api: str, kind: str, name: str, namespace: str | None = "blog", *, meta: dict[str, Any] | None = None, **body: Any
) -> dict[str, Any]:
    """A manifest of any kind; `meta` (labels, annotations) is merged into its metadata."""
    metadata: dict[str, Any] = {"name": name}
    if namespace:
        metadata["namespace"] = namespace
    metadata.update(meta or {})
    return {"apiVersion": api, "kind": kind, "metadata": metadata, **body}
