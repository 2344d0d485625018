"""A fast yes/no JSON Schema check for tmcheck's own schemas, compiled into nested closures.

jsonschema spends most of a run resolving `$ref`s and building error objects for documents that
turn out to be valid. This compiler turns each schema, once, into plain Python functions that
answer only "valid?", with jsonschema's Draft 2020-12 meanings (`true` is not an integer, `3.0`
is; `enum` tells `1` from `true`; `format: date` is asserted). A document it rejects is validated
again by jsonschema for the located messages (see `validation.py`).

It implements the keywords in `SUPPORTED` (the value checks are in `schema_keywords`) and refuses
every other one (`SchemaCompileError`), so a schema edit that uses something new cannot silently
skip a check; `tests/test_schema_compiler.py`
compiles every shipped schema and compares verdicts with jsonschema.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tmcheck.schema_keywords import (
    NUMBER_KEYWORDS,
    STRING_KEYWORDS,
    VALUE_KEYWORDS,
    Check,
    Compiled,
    SchemaCompileError,
    number_check,
    string_check,
    type_check,
    unique,
    values_check,
)

SchemaLoader = Callable[[str], Mapping[str, Any]]

URN = "urn:tmcheck:schema:"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Keywords that only annotate: they never make an instance invalid.
ANNOTATIONS = frozenset(
    {"$schema", "$comment", "$defs", "title", "description", "examples", "default", "deprecated",
     "readOnly", "writeOnly"}
)  # fmt: skip
_ARRAY_KEYWORDS = ("items", "minItems", "maxItems", "uniqueItems")
_OBJECT_KEYWORDS = (
    "properties", "patternProperties", "additionalProperties", "required", "minProperties",
    "maxProperties",
)  # fmt: skip
_OTHER_KEYWORDS = ("$ref", "$id", "anyOf", "allOf", "oneOf", "not", "if", "then", "else")
SUPPORTED = ANNOTATIONS.union(
    VALUE_KEYWORDS,
    STRING_KEYWORDS,
    NUMBER_KEYWORDS,
    _ARRAY_KEYWORDS,
    _OBJECT_KEYWORDS,
    _OTHER_KEYWORDS,
)
_UNNAMED: Any = object()


def compile_schema(name: str, load: SchemaLoader) -> Check:
    """The yes/no check of schema `name`; `load(name)` gives the schema of any `urn` name."""
    compiled = _Compiler(load).resource(name)
    return compiled or (lambda value: True)


class _Compiler:
    def __init__(self, load: SchemaLoader) -> None:
        self._load = load
        self._targets: dict[tuple[str, str], Compiled] = {}
        self._pending: dict[tuple[str, str], list[Compiled]] = {}

    def resource(self, name: str) -> Compiled:
        return self._target(name, "")

    def _target(self, resource: str, pointer: str) -> Compiled:
        """The compiled schema at `pointer` in `resource`, compiled once even when recursive."""
        key = (resource, pointer)
        if key in self._targets:
            return self._targets[key]
        if key in self._pending:  # a recursive reference: call through a cell filled below
            cell = self._pending[key]
            return lambda value: cell[0] is None or cell[0](value)
        cell = self._pending[key] = [None]
        compiled = self._schema(_walk(self._load(resource), pointer, resource), resource)
        cell[0] = compiled
        del self._pending[key]
        self._targets[key] = compiled
        return compiled

    def _schema(self, schema: Any, resource: str) -> Compiled:
        if schema is True:
            return None
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise SchemaCompileError(f"{resource}: a schema must be an object or a boolean")
        unknown = sorted(set(schema) - SUPPORTED)
        if unknown:
            raise SchemaCompileError(f"{resource}: keywords not implemented: {', '.join(unknown)}")
        if schema.get("$schema", DIALECT) != DIALECT:  # another draft means other meanings
            raise SchemaCompileError(f"{resource}: $schema {schema['$schema']!r} is not {DIALECT}")
        if "$id" in schema and schema["$id"] != URN + resource:
            raise SchemaCompileError(f"{resource}: $id {schema['$id']!r} below the root")
        checks = [
            check
            for check in (
                type_check(schema.get("type")),
                self._ref(schema.get("$ref"), resource),
                values_check(schema["enum"]) if "enum" in schema else None,
                values_check([schema["const"]]) if "const" in schema else None,
                string_check(schema),
                number_check(schema),
                self._array(schema, resource),
                self._object(schema, resource),
                self._combined(schema, resource),
            )
            if check is not None
        ]
        return _all(checks)

    def _ref(self, ref: Any, resource: str) -> Compiled:
        if ref is None:
            return None
        if not isinstance(ref, str) or "#" not in ref:
            raise SchemaCompileError(f"{resource}: $ref {ref!r} is not '[urn]#/pointer'")
        uri, pointer = ref.split("#", 1)
        if uri and not uri.startswith(URN):
            raise SchemaCompileError(f"{resource}: $ref {ref!r} leaves tmcheck's schemas")
        return self._target(uri[len(URN) :] if uri else resource, pointer)

    def _array(self, schema: Mapping[str, Any], resource: str) -> Compiled:
        if not any(keyword in schema for keyword in _ARRAY_KEYWORDS):
            return None
        if isinstance(schema.get("items"), list):
            raise SchemaCompileError(f"{resource}: items must be a schema (Draft 2020-12)")
        each = self._schema(schema["items"], resource) if "items" in schema else None
        low, high = schema.get("minItems", 0), schema.get("maxItems")
        distinct = schema.get("uniqueItems") is True

        def check(value: Any) -> bool:
            if not isinstance(value, list):
                return True
            if len(value) < low or (high is not None and len(value) > high):
                return False
            if distinct and not unique(value):
                return False
            if each is not None:
                for item in value:
                    if not each(item):
                        return False
            return True

        return check

    def _object(self, schema: Mapping[str, Any], resource: str) -> Compiled:
        if not any(keyword in schema for keyword in _OBJECT_KEYWORDS):
            return None
        named = {
            key: self._schema(sub, resource) for key, sub in schema.get("properties", {}).items()
        }
        patterns = [
            (re.compile(pattern), self._schema(sub, resource))
            for pattern, sub in schema.get("patternProperties", {}).items()
        ]
        checked_patterns = [(regex, sub) for regex, sub in patterns if sub is not None]
        # jsonschema finds additional properties with the patterns joined by "|"
        joined = "|".join(schema.get("patternProperties", {}))
        known = re.compile(joined) if joined else None
        compiled_extra = self._schema(schema.get("additionalProperties", True), resource)
        extra, checks_extra = _always(compiled_extra), compiled_extra is not None
        required = tuple(schema.get("required", ()))
        low, high = schema.get("minProperties", 0), schema.get("maxProperties")

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            if len(value) < low or (high is not None and len(value) > high):
                return False
            for key in required:
                if key not in value:
                    return False
            for key, item in value.items():
                sub = named.get(key, _UNNAMED)
                if sub is _UNNAMED:
                    if checks_extra and not extra(item) and not (known and known.search(key)):
                        return False
                elif sub is not None and not sub(item):
                    return False
                for regex, sub in checked_patterns:
                    if regex.search(key) and not sub(item):
                        return False
            return True

        return check

    def _combined(self, schema: Mapping[str, Any], resource: str) -> Compiled:
        checks: list[Check] = []
        for keyword in ("anyOf", "allOf", "oneOf"):
            if keyword not in schema:
                continue
            branches = [self._schema(sub, resource) for sub in schema[keyword]]
            if not branches:
                raise SchemaCompileError(f"{resource}: {keyword} must not be empty")
            checks.append(_COMBINERS[keyword]([_always(b) for b in branches]))
        if "not" in schema:
            negated = _always(self._schema(schema["not"], resource))
            checks.append(lambda value: not negated(value))
        if "if" in schema:
            condition = _always(self._schema(schema["if"], resource))
            then = self._schema(schema.get("then", True), resource)
            otherwise = self._schema(schema.get("else", True), resource)
            checks.append(
                lambda value: (
                    (then is None or then(value))
                    if condition(value)
                    else (otherwise is None or otherwise(value))
                )
            )
        return _all(checks)


def _walk(schema: Any, pointer: str, resource: str) -> Any:
    """The subschema at a JSON pointer (`/$defs/name`)."""
    node = schema
    for part in pointer.split("/")[1:] if pointer else ():
        step = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or step not in node:
            raise SchemaCompileError(f"{resource}: no schema at #{pointer}")
        node = node[step]
    return node


def _all(checks: Sequence[Check]) -> Compiled:
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda value: first(value) and second(value)

    def every(value: Any) -> bool:  # a loop: all() with a generator costs more per call
        for check in checks:  # noqa: SIM110
            if not check(value):
                return False
        return True

    return every


def _always(compiled: Compiled) -> Check:
    return compiled if compiled is not None else (lambda value: True)


_COMBINERS: Mapping[str, Callable[[list[Check]], Check]] = {
    "anyOf": lambda branches: lambda value: any(branch(value) for branch in branches),
    "allOf": lambda branches: lambda value: all(branch(value) for branch in branches),
    "oneOf": lambda branches: lambda value: sum(1 for b in branches if b(value)) == 1,
}
