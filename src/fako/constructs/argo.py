"""Argo Workflows resources: `CronWorkflow`, `WorkflowTemplate`."""

from __future__ import annotations

from fako.constructs.base import ObjectSpec, TypedObject
from fako.k8s.crds import argo

__all__ = ["CronWorkflow", "CronWorkflowSpec", "WorkflowTemplate", "WorkflowTemplateSpec"]


class CronWorkflowSpec(ObjectSpec, argo.CronWorkflowSpec):
    """A CronWorkflow: metadata plus its `spec` fields."""


class CronWorkflow(TypedObject):
    """A `argoproj.io/v1alpha1/CronWorkflow`."""

    api_version = "argoproj.io/v1alpha1"
    kind = "CronWorkflow"
    spec_type = CronWorkflowSpec


class WorkflowTemplateSpec(ObjectSpec, argo.CronWorkflowSpecWorkflowSpec):
    """A WorkflowTemplate: metadata plus its `spec` fields."""


class WorkflowTemplate(TypedObject):
    """A `argoproj.io/v1alpha1/WorkflowTemplate`."""

    api_version = "argoproj.io/v1alpha1"
    kind = "WorkflowTemplate"
    spec_type = WorkflowTemplateSpec
