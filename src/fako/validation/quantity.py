"""Kubernetes resource quantities (`100m`, `1.5Gi`, `2e3`), parsed exactly.

The grammar and the suffixes are apimachinery's `resource.ParseQuantity`
(`staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go`):

    <quantity>        ::= <signedNumber><suffix>
    <signedNumber>    ::= <number> | <sign><number>
    <number>          ::= <digits> | <digits>.<digits> | <digits>. | .<digits>
    <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
    <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
    <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
    <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>   (an integer exponent)

So `1Gb`, `1K`, `abc`, `1.5.5` and ` 1` are refused. Values are `Fraction`s, so a
request and a limit compare exactly (`0.1` CPU is `100m`, `1Gi` is `1073741824`).
A YAML number (`1`, `0.5`) is a quantity too: the API decodes it from its text.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

__all__ = ["QUANTITY_FORMAT", "QuantityError", "parse_quantity"]

QUANTITY_FORMAT = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
"""The pattern apimachinery names in its error message for a malformed quantity."""

_QUANTITY = re.compile(r"([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?")
_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


class QuantityError(ValueError):
    """The text is not a Kubernetes quantity; the message says why, in apimachinery's words."""


@lru_cache(maxsize=4096)
def _parse(text: str) -> Fraction:
    match = _QUANTITY.fullmatch(text)
    if match is None:
        raise QuantityError(f"quantities must match the regular expression '{QUANTITY_FORMAT}'")
    sign, number, suffix = match.group(1), match.group(2), match.group(3) or ""
    value = Fraction(number)  # Fraction parses "1.", ".5" and "1.5" exactly
    if sign == "-":
        value = -value
    if suffix in _BINARY:
        return value * (1 << _BINARY[suffix])
    exponent = _DECIMAL[suffix] if suffix in _DECIMAL else int(suffix[1:])
    return value * Fraction(10**exponent) if exponent >= 0 else value / Fraction(10**-exponent)


def parse_quantity(value: object) -> Fraction:
    """The exact value of a quantity given as text or a YAML number; raises `QuantityError`."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise QuantityError(f"must be a quantity string or number, got {type(value).__name__}")
    text = value if isinstance(value, str) else repr(value)
    if not text:
        raise QuantityError("must not be empty")
    return _parse(text)
