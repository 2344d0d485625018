"""The checks of JSON Schema keywords that look at one value, as jsonschema means them.

Draft 2020-12 with jsonschema's type checker: `true` is not an integer and `3.0` is; `enum`,
`const` and `uniqueItems` tell `1` from `true`; `format: date` is asserted as jsonschema's
FormatChecker does. `schema_compiler` assembles them into a schema's check.
"""

from __future__ import annotations

import datetime
import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]
# A compiled schema: a check, or None for a schema that accepts everything (`{}`, `true`).
Compiled = Check | None

STRING_KEYWORDS = ("minLength", "maxLength", "pattern", "format")
NUMBER_KEYWORDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
VALUE_KEYWORDS = ("type", "enum", "const")
# `date` is asserted; `date-time` is not: jsonschema asserts it only when the optional
# rfc3339-validator is installed (the Threat Composer schema pairs it with a pattern anyway).
_FORMATS = ("date", "date-time")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)  # jsonschema's, then date.fromisoformat


class SchemaCompileError(Exception):
    """A schema uses something the compiler does not implement."""


def _is_integer(value: Any) -> bool:
    if isinstance(value, int):
        return not isinstance(value, bool)
    return isinstance(value, float) and value.is_integer()


def is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


TYPE_CHECKS: Mapping[str, Check] = {
    "string": lambda value: isinstance(value, str),
    "integer": _is_integer,
    "number": is_number,
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
}


def type_check(kinds: Any) -> Compiled:
    if kinds is None:
        return None
    names = [kinds] if isinstance(kinds, str) else list(kinds)
    if any(kind not in TYPE_CHECKS for kind in names):
        raise SchemaCompileError(f"unknown type in {kinds!r}")
    tests = [TYPE_CHECKS[kind] for kind in names]
    if len(tests) == 1:
        return tests[0]
    return lambda value: any(test(value) for test in tests)


def values_check(allowed: list[Any]) -> Check:
    """`enum` (and `const`, one value): the value equals one of `allowed`."""
    if all(isinstance(each, str) for each in allowed):
        words = frozenset(allowed)
        return lambda value: isinstance(value, str) and value in words
    return lambda value: any(equal(each, value) for each in allowed)


def string_check(schema: Mapping[str, Any]) -> Compiled:
    if not any(keyword in schema for keyword in STRING_KEYWORDS):
        return None
    low, high = schema.get("minLength", 0), schema.get("maxLength")
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    if schema.get("format", "date") not in _FORMATS:
        raise SchemaCompileError(f"format {schema['format']!r} is not implemented")
    is_date = schema.get("format") == "date"

    def check(value: Any) -> bool:
        if not isinstance(value, str):
            return True
        size = len(value)
        if size < low or (high is not None and size > high):
            return False
        if pattern is not None and not pattern.search(value):
            return False
        return not is_date or _valid_date(value)

    return check


def _valid_date(text: str) -> bool:
    if not _DATE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def number_check(schema: Mapping[str, Any]) -> Compiled:
    if not any(keyword in schema for keyword in NUMBER_KEYWORDS):
        return None
    low, high = schema.get("minimum"), schema.get("maximum")
    above, below = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")

    def check(value: Any) -> bool:
        if not is_number(value):
            return True
        return not (
            (low is not None and value < low)
            or (high is not None and value > high)
            or (above is not None and value <= above)
            or (below is not None and value >= below)
        )

    return check


def equal(one: Any, two: Any) -> bool:
    """JSON equality as jsonschema has it: `true` is not `1`, recursively."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(equal(one[key], two[key]) for key in one)
    if isinstance(one, bool) or isinstance(two, bool):
        return type(one) is type(two) and one == two
    return bool(one == two)


def unique(items: list[Any]) -> bool:
    seen: list[Any] = []
    for item in items:
        if any(equal(item, other) for other in seen):
            return False
        seen.append(item)
    return True
