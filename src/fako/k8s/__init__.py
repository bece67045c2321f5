"""Typed models of the Kubernetes kinds fako renders, generated from their schemas.

`fako.k8s` re-exports the core types (`k8s.Container`, `k8s.PodSpec`, `k8s.Probe`, ...);
the custom resources live in `fako.k8s.crds.<operator>`.
"""

from fako.k8s._base import IntOrString as IntOrString
from fako.k8s._base import K8sModel as K8sModel
from fako.k8s._base import Quantity as Quantity
from fako.k8s._base import to_dict as to_dict
from fako.k8s.core import *  # noqa: F403
