"""Strings YAML or the API server would refuse, or a terminal would act on.

Sources: YAML 1.2 §5.1 (the printable character set: a YAML stream may not carry other
characters, even escaped ones are refused by kubectl's decoder for some, such as DEL),
and Kubernetes `staging/src/k8s.io/apimachinery/pkg/util/json` (the API's JSON decoding
refuses invalid UTF-8). Control characters other than tab, newline and carriage return
also make messages and diffs lie on a terminal (ANSI escape injection).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fako.text import shown
from fako.validation.rules import Rule, Violation, rule
from fako.validation.walk import strings, texts

__all__ = ["RULES", "characters"]

_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""Outside YAML's printable set (tab, LF, CR, x20-x7E, x85, xA0-xD7FF, xE000-xFFFD, astral)."""


@rule("value.characters", "YAML 1.2 spec §5.1 (c-printable); kubectl refuses the rest")
def characters(manifest: dict[str, Any]) -> Iterator[Violation]:
    """No control characters (other than tab, newline, carriage return) in any string."""
    if not _REFUSED.search("\n".join(texts(manifest))):
        return
    for path, text in strings(manifest):
        found = _REFUSED.search(text)
        if found:
            yield Violation(
                path,
                f"contains the control character {shown(found.group(0))} at position {found.start()}: "
                "YAML and kubectl refuse it",
                "remove it (write binary data base64-encoded in a ConfigMap's binaryData or a Secret's data)",
            )


RULES: tuple[Rule, ...] = (characters,)
