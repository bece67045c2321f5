"""Policy checks: what a good object looks like in this cluster.

Plaintext Secret data is always an error. The other checks (image tags, resources,
probes, running as root) are warnings unless the cluster facts promote them to errors.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fako.rendered import RenderedObject
from fako.validation.facts import ClusterFacts
from fako.validation.findings import Finding, finding
from fako.validation.inventory import group_of
from fako.validation.pods import CONTROLLERS, PodTemplate, containers, mapping, pod_templates

__all__ = ["check_policy", "image_tag"]

_SA_TOKEN = "kubernetes.io/service-account-token"


def image_tag(image: str) -> str | None:
    """The tag of an image reference; "" when it has none, None when pinned by digest."""
    if "@" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    return last.partition(":")[2]


def _secret(obj: RenderedObject) -> Iterator[Finding]:
    data = {**mapping(obj.manifest.get("stringData")), **mapping(obj.manifest.get("data"))}
    if not data:
        return
    keys = ", ".join(sorted(map(str, data)))
    if not obj.is_sops:
        kind = "service-account token Secret" if obj.manifest.get("type") == _SA_TOKEN else "Secret"
        yield finding(
            obj,
            "policy.plaintext-secret",
            f"{kind} holds plaintext data ({keys}) that would be committed to git",
            "encrypt the file with sops (the cluster's .sops.yaml rule) or fetch it with an ExternalSecret",
        )
        return
    clear = sorted(
        f"{field}.{key}"
        for field in ("data", "stringData")
        for key, value in mapping(obj.manifest.get(field)).items()
        if not (isinstance(value, str) and value.startswith("ENC["))
    )
    if clear:
        yield finding(
            obj,
            "policy.plaintext-secret",
            f"SOPS Secret leaves {', '.join(clear)} unencrypted",
            "re-encrypt it with `sops --encrypt` so every data value is ENC[...]",
        )


class _Policy:
    def __init__(self, facts: ClusterFacts) -> None:
        self.facts = facts

    def make(self, obj: RenderedObject, check: str, message: str, fix: str) -> Finding:
        return finding(obj, check, message, fix, severity=self.facts.severity(check))

    def template(self, template: PodTemplate) -> Iterator[Finding]:
        obj, spec = template.obj, template.spec
        pod_context = mapping(spec.get("securityContext"))
        may_be_root: list[str] = []
        for field, container in containers(spec):
            if field == "ephemeralContainers":
                continue
            name = f"container '{container.get('name', '?')}'"
            yield from self.image(obj, name, str(container.get("image", "")))
            resources = mapping(container.get("resources"))
            if not mapping(resources.get("requests")) and not mapping(resources.get("limits")):
                yield self.make(
                    obj,
                    "policy.resources",
                    f"{name} sets no resource requests or limits",
                    "set requests for cpu and memory, and a memory limit",
                )
            if field == "containers" and obj.kind in CONTROLLERS:
                absent = [p for p in ("livenessProbe", "readinessProbe") if not container.get(p)]
                if absent:
                    yield self.make(
                        obj,
                        "policy.probes",
                        f"{name} has no {' and no '.join(absent)}",
                        "add probes so Kubernetes restarts it when stuck and routes traffic only when ready",
                    )
            if not _non_root(pod_context, mapping(container.get("securityContext"))):
                may_be_root.append(name)
        if may_be_root:
            yield self.make(
                obj,
                "policy.run-as-root",
                f"{template.at}: {', '.join(may_be_root)} may run as root "
                "(no runAsNonRoot: true and no runAsUser > 0 at pod or container level)",
                "set securityContext.runAsNonRoot: true and a runAsUser > 0 on the pod",
            )

    def image(self, obj: RenderedObject, name: str, image: str) -> Iterator[Finding]:
        tag = image_tag(image)
        if tag == "" or tag == "latest":
            what = "has no tag, so it pulls ':latest'" if tag == "" else "uses the moving tag ':latest'"
            yield self.make(
                obj,
                "policy.image-tag",
                f"{name} image '{image}' {what}",
                "pin a version tag or a digest (image:1.2.3 or image@sha256:...)",
            )


def _non_root(pod: dict[str, Any], container: dict[str, Any]) -> bool:
    user = container.get("runAsUser", pod.get("runAsUser"))
    if isinstance(user, int):
        return user > 0
    non_root = container.get("runAsNonRoot", pod.get("runAsNonRoot"))
    return non_root is True


def check_policy(objects: Sequence[RenderedObject], facts: ClusterFacts) -> Iterator[Finding]:
    """Plaintext Secrets, and the image/resources/probes/root policies of pod templates."""
    policy = _Policy(facts)
    for obj in objects:
        if obj.kind == "Secret" and group_of(obj.manifest) == "":
            yield from _secret(obj)
        for template in pod_templates(obj):
            yield from policy.template(template)
