"""The validation engine: checks a rendered tree the way the cluster would, before Flux does.

`validate(objects, facts)` runs strict schemas, identity, reference, hostname,
placement and policy checks, cross-object semantics (`semantics`: ports, keys, Flux
paths, tunnel routes, GPU capacity) and Pod Security Admission (`psa`) over
`RenderedObject`s and returns a `Report`;
`load_tree(dir)` reads a rendered tree back from disk for `fako validate DIR`.
"""

from __future__ import annotations

from fako.validation.engine import validate as validate
from fako.validation.facts import POLICY_CHECKS as POLICY_CHECKS
from fako.validation.facts import Allowance as Allowance
from fako.validation.facts import ClusterFacts as ClusterFacts
from fako.validation.facts import NodePool as NodePool
from fako.validation.facts import Taint as Taint
from fako.validation.files import load_tree as load_tree
from fako.validation.findings import Finding as Finding
from fako.validation.findings import Report as Report
from fako.validation.schemas import CustomValidator as CustomValidator
from fako.validation.schemas import SchemaSet as SchemaSet

__all__ = [
    "POLICY_CHECKS",
    "Allowance",
    "ClusterFacts",
    "CustomValidator",
    "Finding",
    "NodePool",
    "Report",
    "SchemaSet",
    "Taint",
    "load_tree",
    "validate",
]
