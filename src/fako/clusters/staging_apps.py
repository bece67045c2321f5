"""The apps of the staging cluster, in the order the cluster lists them, and which are on."""

from __future__ import annotations

from fako.apps.whisperx import Whisperx
from fako.definition import Unit

__all__ = ["APPS"]

APPS = [
    Unit(Whisperx),
]
