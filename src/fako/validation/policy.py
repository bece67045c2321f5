"""Policy checks: what a good object looks like in this cluster.

Image tags, resources, probes and running as root are warnings unless the cluster
facts promote them to errors (plaintext secrets are `fako.validation.secrets`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from fako.rendered import RenderedObject
from fako.validation.facts import ClusterFacts
from fako.validation.findings import Finding, finding
from fako.validation.pods import CONTROLLERS, PodTemplate, containers, mapping, pod_templates

__all__ = ["check_policy", "image_tag"]

_SA_TOKEN = "kubernetes.io/service-account-token"


def image_tag(image: str) -> str | None:
    """The tag of an image reference; "" when it has none, None when pinned by digest."""
    if "@" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    return last.partition(":")[2]


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
        if not image:
            return  # a missing image is `value.image`'s error, not a tag to pin
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
        for template in pod_templates(obj):
            yield from policy.template(template)
