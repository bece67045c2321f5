"""`CronJob` and `Job`."""

from __future__ import annotations

from fako import k8s
from fako.constructs.base import ObjectSpec, TypedObject

__all__ = ["CronJob", "CronJobSpec", "Job", "JobSpec"]


class CronJobSpec(ObjectSpec, k8s.CronJobSpec):
    """A `batch/v1` CronJob: metadata plus the Kubernetes `CronJobSpec` fields."""


class JobSpec(ObjectSpec, k8s.JobSpec):
    """A `batch/v1` Job: metadata plus the Kubernetes `JobSpec` fields."""


class CronJob(TypedObject):
    """A `batch/v1/CronJob`."""

    api_version = "batch/v1"
    kind = "CronJob"
    spec_type = CronJobSpec


class Job(TypedObject):
    """A `batch/v1/Job`."""

    api_version = "batch/v1"
    kind = "Job"
    spec_type = JobSpec
