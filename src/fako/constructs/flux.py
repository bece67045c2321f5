"""Flux: `HelmRepository`, `HelmRelease`, `GitRepository`, `Kustomization`."""

from __future__ import annotations

from fako.constructs.base import ObjectSpec, TypedObject
from fako.k8s.crds import flux

__all__ = [
    "GitRepository",
    "GitRepositorySpec",
    "HelmRelease",
    "HelmReleaseSpec",
    "HelmRepository",
    "HelmRepositorySpec",
    "Kustomization",
    "KustomizationSpec",
]


class HelmRepositorySpec(ObjectSpec, flux.HelmRepositorySpec):
    """A Flux HelmRepository: where charts come from."""


class HelmReleaseSpec(ObjectSpec, flux.HelmReleaseSpec):
    """A Flux HelmRelease: chart, version, values, install/upgrade policy."""


class GitRepositorySpec(ObjectSpec, flux.GitRepositorySpec):
    """A Flux GitRepository."""


class KustomizationSpec(ObjectSpec, flux.KustomizationSpec):
    """A Flux Kustomization: a folder of the source to apply."""


class HelmRepository(TypedObject):
    """A `source.toolkit.fluxcd.io/v1/HelmRepository`."""

    api_version = "source.toolkit.fluxcd.io/v1"
    kind = "HelmRepository"
    spec_type = HelmRepositorySpec


class HelmRelease(TypedObject):
    """A `helm.toolkit.fluxcd.io/v2/HelmRelease`."""

    api_version = "helm.toolkit.fluxcd.io/v2"
    kind = "HelmRelease"
    spec_type = HelmReleaseSpec


class GitRepository(TypedObject):
    """A `source.toolkit.fluxcd.io/v1/GitRepository`."""

    api_version = "source.toolkit.fluxcd.io/v1"
    kind = "GitRepository"
    spec_type = GitRepositorySpec


class Kustomization(TypedObject):
    """A `kustomize.toolkit.fluxcd.io/v1/Kustomization`."""

    api_version = "kustomize.toolkit.fluxcd.io/v1"
    kind = "Kustomization"
    spec_type = KustomizationSpec
