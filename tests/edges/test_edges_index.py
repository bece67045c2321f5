"""Tests written against surviving mutants (tools/mutation/README.md), one file per module.

Each pins a behaviour a mutation run found unchecked: exact messages, boundaries, every
branch of a helper. This file only checks that the folder's tests are collected.
"""

from __future__ import annotations

from pathlib import Path


def test_the_folder_holds_only_test_modules() -> None:
    here = Path(__file__).parent
    assert all(p.name.startswith("test_") for p in here.glob("*.py"))
