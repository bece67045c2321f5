"""`SopsSecret` and `SopsObject`: encrypted manifests the owner keeps in the repository,
copied byte for byte.

SOPS's MAC covers the cleartext fields too, so the file is never parsed-and-dumped,
re-ordered or given a namespace: it reaches `dist/` exactly as committed, and Flux
decrypts it. When the file is absent (a fresh clone without the owner's secrets), the
object is left out and `fako synth` lists it once in its summary.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Annotated

from pydantic import StringConstraints, field_validator

from fako.constructs.base import DnsLabel, DnsName, Spec
from fako.errors import FakoError
from fako.tree import FakoObject, Scope, context_of

__all__ = ["SopsObject", "SopsObjectSpec", "SopsSecret", "SopsSecretSpec"]


class SopsSecretSpec(Spec):
    """Which encrypted Secret, and where its file lives.

    `file` is relative to the cluster's secrets folder (default `secrets/`); left out, it is
    `<app>/<name>.sops.yaml`. `namespace` defaults to the app's; the file must carry the
    same name and namespace in its own metadata, or rendering fails naming the file.
    """

    name: DnsName
    namespace: DnsLabel | None = None
    file: str | None = None

    @field_validator("file")
    @classmethod
    def _inside_secrets(cls, value: str | None) -> str | None:
        if value is not None:
            parts = PurePosixPath(value)
            if not value or parts.is_absolute() or ".." in parts.parts:
                raise ValueError(f"must be a path inside the secrets folder (no absolute path, no '..'), got {value!r}")
        return value


class SopsObjectSpec(SopsSecretSpec):
    """An encrypted manifest of any kind (a Middleware whose source ranges are private, a
    PersistentVolume whose share address is): its `kind` and `api_version` as in the file.
    `namespaced=False` for cluster-scoped kinds."""

    kind: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z0-9]{0,62}$")]
    api_version: str
    namespaced: bool = True


class SopsObject(FakoObject):
    """An encrypted manifest passed through verbatim from a SOPS file."""

    def __init__(self, scope: Scope, id: str, spec: SopsObjectSpec) -> None:
        ctx = context_of(scope)
        namespace = (spec.namespace or ctx.namespace) if spec.namespaced else None
        app = type(ctx.app).name if ctx.app is not None else "cluster"
        relative = spec.file or f"{app}/{spec.name}.sops.yaml"
        base = ctx.cluster.root / ctx.cluster.secrets_dir
        path = (base / relative).resolve()
        if not path.is_relative_to(base.resolve()):
            raise FakoError(f"{relative}: leads outside the secrets folder {base} (a symbolic link?)")
        manifest = {
            "apiVersion": spec.api_version,
            "kind": spec.kind,
            "metadata": {"name": spec.name, **({"namespace": namespace} if namespace else {})},
        }
        super().__init__(scope, id, manifest, sops_file=Path(path))
        self.spec = spec


class SopsSecret(SopsObject):
    """An encrypted `v1/Secret` passed through verbatim from a SOPS file."""

    def __init__(self, scope: Scope, id: str, spec: SopsSecretSpec) -> None:
        fields = spec.model_dump(exclude_unset=True)
        super().__init__(scope, id, SopsObjectSpec(kind="Secret", api_version="v1", **fields))
