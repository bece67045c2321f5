"""CronJob short form with the cluster's dominant boilerplate.

Measured over the 33 rendered CronJobs: `concurrencyPolicy: Forbid` (29), history limits
3/3 (26), `ttlSecondsAfterFinished: 86400` (18; 11 leave it out), `restartPolicy: Never`
(17, `OnFailure` 16), no `timeZone` (17; America/New_York 8, UTC 6). Those are the
defaults; every deviation is an explicit argument, and `None` leaves a field out.

`cronjob(scope, "report", "0 6 * * *", containers=[...], pod_labels={...})` renders the
CronJob; `pod` holds the PodSpec fields (containers, volumes, securityContext, ...).
"""

from __future__ import annotations

from typing import Any

from fako import k8s
from fako.checked import checked
from fako.constructs.jobs import CronJob, CronJobSpec
from fako.patterns.workload import pod_template
from fako.tree import Scope

__all__ = ["RESTRICTED_CONTAINER", "cronjob", "restricted_pod"]

RESTRICTED_CONTAINER = k8s.SecurityContext.model_validate(
    {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}, "readOnlyRootFilesystem": True}
)
"""The container securityContext of the restricted-PSS collectors: no escalation, no
capabilities, read-only root filesystem.

Example: `k8s.Container(name="job", image=IMAGE, security_context=RESTRICTED_CONTAINER)`
"""


@checked
def restricted_pod(uid: int = 1000, *, fs_group: int | None = None) -> k8s.PodSecurityContext:
    """The pod securityContext of the restricted-PSS collectors: non-root `uid`:`uid`,
    RuntimeDefault seccomp, optionally `fsGroup`.

    Example: `cronjob(self, "sync", "*/5 * * * *", security_context=restricted_pod(1000, fs_group=1000), containers=[k8s.Container(name="sync", image=IMAGE)])`
    """
    fields: dict[str, Any] = {
        "runAsGroup": uid,
        "runAsNonRoot": True,
        "runAsUser": uid,
        "seccompProfile": {"type": "RuntimeDefault"},
    }
    if fs_group is not None:
        fields["fsGroup"] = fs_group
    return k8s.PodSecurityContext.model_validate(fields)


@checked(rest=k8s.PodSpec)
def cronjob(
    scope: Scope,
    name: str,
    schedule: str,
    *,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    pod_labels: dict[str, str] | None = None,
    pod_annotations: dict[str, str] | None = None,
    job_labels: dict[str, str] | None = None,
    concurrency: str | None = "Forbid",
    successful: int | None = 3,
    failed: int | None = 3,
    ttl: int | None = 86400,
    time_zone: str | None = None,
    starting_deadline: int | None = None,
    suspend: bool | None = None,
    backoff_limit: int | None = None,
    active_deadline: int | None = None,
    completions: int | None = None,
    parallelism: int | None = None,
    restart_policy: str | None = "Never",
    id: str | None = None,
    **pod: Any,
) -> CronJob:
    """A CronJob `name` on `schedule`; `pod` holds the PodSpec fields of its job's pods.

    `ttl`, `backoff_limit`, `active_deadline`, `completions`, `parallelism` and
    `job_labels` (metadata of the job template) go on the Job; `pod_labels`/`pod_annotations`
    on the pod template.

    Example: `cronjob(self, "report", "0 6 * * *", pod_labels={"app": "report"}, containers=[k8s.Container(name="report", image=IMAGE)])`
    """
    if restart_policy is not None:
        pod["restart_policy"] = restart_policy
    template_ = (
        pod_template(pod_labels, pod_annotations, **pod)
        if pod_labels is not None or pod_annotations is not None
        else k8s.PodTemplateSpec(spec=k8s.PodSpec(**pod))
    )
    job: dict[str, Any] = {"template": template_}
    for key, value in (
        ("ttl_seconds_after_finished", ttl),
        ("backoff_limit", backoff_limit),
        ("active_deadline_seconds", active_deadline),
        ("completions", completions),
        ("parallelism", parallelism),
    ):
        if value is not None:
            job[key] = value
    template = k8s.JobTemplateSpec(
        spec=k8s.JobSpec(**job), **({"metadata": k8s.ObjectMeta(labels=job_labels)} if job_labels else {})
    )
    fields: dict[str, Any] = {"name": name, "schedule": schedule, "job_template": template}
    optional: dict[str, Any] = {
        "labels": labels,
        "annotations": annotations,
        "concurrency_policy": concurrency,
        "successful_jobs_history_limit": successful,
        "failed_jobs_history_limit": failed,
        "time_zone": time_zone,
        "starting_deadline_seconds": starting_deadline,
        "suspend": suspend,
    }
    fields.update({key: value for key, value in optional.items() if value is not None})
    return CronJob(scope, id or name, CronJobSpec(**fields))
