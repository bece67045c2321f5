"""fako: the Fako homelab cluster as typed Python constructs on cdk8s.

`fako synth` renders the cluster into plain, deterministic YAML under `dist/`, one
folder per Flux layer; Flux reconciles that tree from the build branch.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
