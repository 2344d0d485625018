"""Scalar values with YAML 1.2 core-schema meanings and finite, bounded numbers.

PyYAML resolves plain scalars by YAML 1.1 rules (`no` is false, `017` is octal, `1:30` is 90,
dates become `datetime.date`). Threat models are written by people who mean what they typed,
so tmcheck resolves them the YAML 1.2 way and keeps everything else a string.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tmcheck.parsing.tree import LoadError, Position

# Integers beyond this many digits are not ratings, counts or ids a person typed; refusing them
# also keeps Python's int/str conversion limit (CVE-2020-10735) from firing far from the file.
MAX_INT_DIGITS = 18

_CONSTANTS: dict[str, Any] = {
    "": None, "~": None, "null": None, "Null": None, "NULL": None,
    "true": True, "True": True, "TRUE": True,
    "false": False, "False": False, "FALSE": False,
}  # fmt: skip
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NON_FINITE = re.compile(r"[-+]?\.(?:inf|Inf|INF)\Z|\.(?:nan|NaN|NAN)\Z")
_NUMERIC_START = frozenset("0123456789+-.")


def resolve_plain(text: str, position: Position) -> Any:
    """The value of an untagged plain YAML scalar under the YAML 1.2 core schema."""
    if text in _CONSTANTS:
        return _CONSTANTS[text]
    if text[0] not in _NUMERIC_START:
        return text
    if _INT.match(text):
        return bounded_int(text, 10, position)
    if _FLOAT.match(text):
        return finite_float(text, position)
    if _OCT.match(text):
        return bounded_int(text[2:], 8, position)
    if _HEX.match(text):
        return bounded_int(text[2:], 16, position)
    if _NON_FINITE.match(text):
        raise LoadError(f"non-finite number {text!r} is not allowed", *position)
    return text


def bounded_int(digits: str, base: int, position: Position) -> int:
    if len(digits.lstrip("+-")) > MAX_INT_DIGITS:
        raise LoadError(
            f"number out of range ({len(digits)} digits; at most {MAX_INT_DIGITS})", *position
        )
    return int(digits, base)


def finite_float(text: str, position: Position) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise LoadError(f"non-finite number {text!r} is not allowed", *position)
    return value


def resolve_tagged(tag: str, text: str, position: Position) -> Any:
    """The value of a scalar with an explicit standard tag; other tags are refused."""
    short = tag.replace("tag:yaml.org,2002:", "!!")
    if short in ("!", "!!str"):
        return text
    if short == "!!null" and text in ("", "~", "null", "Null", "NULL"):
        return None
    if short == "!!bool" and text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if short == "!!int":
        if _INT.match(text):
            return bounded_int(text, 10, position)
        if _OCT.match(text):
            return bounded_int(text[2:], 8, position)
        if _HEX.match(text):
            return bounded_int(text[2:], 16, position)
    if short == "!!float":
        if _FLOAT.match(text) or _INT.match(text):
            return finite_float(text, position)
        if _NON_FINITE.match(text):
            raise LoadError(f"non-finite number {text!r} is not allowed", *position)
    if short in ("!!null", "!!bool", "!!int", "!!float"):
        raise LoadError(f"{text!r} is not a valid {short}", *position)
    raise LoadError(
        f"unsupported YAML tag {short!r}: only plain data (mappings, sequences, strings,"
        " numbers, booleans, null) is read",
        *position,
    )
