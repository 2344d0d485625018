"""JSON Schema validation against tmcheck's own schemas, with findings at line and column.

Schemas are package data and reference each other by `urn:tmcheck:` ids through a registry that
can retrieve nothing else: no `$ref` or `$schema` ever leads to the network or the disk.

A document first meets the schema's compiled yes/no check (`schema_compiler`); only one it
rejects goes through jsonschema, for the located messages. Valid files never import jsonschema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from importlib.resources import files
from itertools import groupby
from typing import Any

from tmcheck.file_checks import file_finding
from tmcheck.findings import Finding
from tmcheck.parsing.tree import Document
from tmcheck.schema_compiler import compile_schema
from tmcheck.schema_keywords import Check, SchemaCompileError
from tmcheck.suggest import closest
from tmcheck.wording import shorten

SCHEMA_NAMES = (
    "common",
    "config",
    "stride-worksheet",
    "threat-register",
    "threat-library",
    "threat-dragon",
    "architecture",
    "threat-composer",
    "otm",
    "tm-bom",
    "tm-bom-1.0.1",
)
MAX_ERRORS_PER_FILE = 50
# A format error says how to write the value.
_FORMAT_WORDS = {
    "date": "date written YYYY-MM-DD, such as 2026-12-31",
    "date-time": "date and time written YYYY-MM-DDThh:mm:ssZ, such as 2026-12-31T09:30:00Z",
}
_MAX_MESSAGE = 240


def has_schema(name: str) -> bool:
    """Whether `name` is a schema tmcheck has (the tool outputs pytm and threatcl have none)."""
    return name in SCHEMA_NAMES


def schema_text(name: str) -> str:
    return (files("tmcheck") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")


@cache
def load_schema(name: str) -> Mapping[str, Any]:
    schema: Mapping[str, Any] = json.loads(schema_text(name))
    return schema


def _bundled(name: str) -> Mapping[str, Any]:
    """Schema `name` with every `$ref` to a bundled schema replaced by its target.

    jsonschema resolves a `$ref` through the registry on every visit, which made validation of
    a large file three times slower; the result validates the same (a reference that would
    recurse is left for the registry to resolve)."""
    resources = {f"urn:tmcheck:schema:{other}": load_schema(other) for other in _bundled_names()}

    def inline(node: Any, base: str, expanding: tuple[str, ...]) -> Any:
        if isinstance(node, list):
            return [inline(item, base, expanding) for item in node]
        if not isinstance(node, dict):
            return node
        reference = node.get("$ref")
        if isinstance(reference, str) and len(node) == 1:
            uri, _, pointer = reference.partition("#")
            uri = uri or base
            target: Any = resources.get(uri)
            for step in pointer.strip("/").split("/") if pointer.strip("/") else ():
                target = target.get(step) if isinstance(target, dict) else None
            absolute = f"{uri}#{pointer}"
            if isinstance(target, dict) and absolute not in expanding:
                return inline(target, uri, (*expanding, absolute))
            return {"$ref": absolute}
        return {key: inline(value, base, expanding) for key, value in node.items()}

    bundled: Mapping[str, Any] = inline(load_schema(name), f"urn:tmcheck:schema:{name}", ())
    return bundled


def _bundled_names() -> list[str]:
    return [
        other
        for other in SCHEMA_NAMES
        if (files("tmcheck") / "schemas" / f"{other}.schema.json").is_file()
    ]


@cache
def compiled_check(name: str) -> Check | None:
    """The compiled check of schema `name`, or None when it uses a keyword the compiler does
    not implement (then jsonschema alone decides; the tests require every schema to compile)."""
    try:
        return compile_schema(name, load_schema)
    except SchemaCompileError:
        return None


@cache
def _validator(name: str) -> Any:
    from jsonschema import Draft202012Validator, FormatChecker
    from referencing import Registry, Resource
    from referencing.exceptions import NoSuchResource

    def refuse(uri: str) -> Resource:
        raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # never fetch: only the bundled schemas exist

    registry: Registry = Registry(retrieve=refuse).with_resources(  # type: ignore[call-arg]
        (f"urn:tmcheck:schema:{other}", Resource.from_contents(load_schema(other)))
        for other in _bundled_names()
    )
    return Draft202012Validator(_bundled(name), registry=registry, format_checker=FormatChecker())


def iter_schema_errors(name: str, instance: Any) -> Iterator[tuple[list[str | int], str]]:
    """(path, message) for each violation of schema `name`, most specific first."""
    check = compiled_check(name)
    if check is not None and check(instance):
        return
    from jsonschema.exceptions import best_match

    validator = _validator(name)
    unwrapped = []
    for error in validator.iter_errors(instance):
        hint = error.schema.get("description") if isinstance(error.schema, dict) else None
        while error.context:  # anyOf/oneOf: the branch whose type fits says the most
            fitting = [branch for branch in error.context if branch.validator != "type"]
            error = best_match(fitting or error.context)
        unwrapped.append((error, hint))
    unwrapped.sort(key=lambda pair: list(pair[0].absolute_path))
    # The errors of one mapping stand together: a misspelled key is one finding, not "unknown
    # key" plus "missing key".
    for _, group in groupby(unwrapped, key=lambda pair: list(pair[0].absolute_path)):
        yield from _mapping_errors(list(group))


def _mapping_errors(group: list[tuple[Any, str | None]]) -> Iterator[tuple[list[str | int], str]]:
    missing = [
        key
        for error, _ in group
        if error.validator == "required" and isinstance(error.instance, dict)
        for key in error.validator_value
        if key not in error.instance and error.message == f"{key!r} is a required property"
    ]
    misspelled: set[str] = set()
    unknown = {
        id(error): list(_unknown_keys(error, missing, misspelled))
        for error, _ in group
        if error.validator == "additionalProperties" and isinstance(error.instance, dict)
    }
    for error, hint in group:
        path = list(error.absolute_path)
        if id(error) in unknown:
            for key, message in unknown[id(error)]:
                yield [*path, key], _shorten(message)
        elif error.validator == "required" and any(
            error.message == f"{key!r} is a required property" for key in misspelled
        ):
            continue  # said with the unknown key that misspells it
        elif error.validator == "format" and error.validator_value in _FORMAT_WORDS:
            written = _FORMAT_WORDS[error.validator_value]
            yield path, _shorten(f"{error.instance!r} is not a {written}")
        elif error.validator == "pattern" and hint:  # the pattern says less than its description
            yield path, _shorten(f"{error.instance!r} is not {hint}")
        else:
            yield path, _shorten(error.message + (f" (allowed: {hint})" if hint else ""))


def _unknown_keys(
    error: Any, missing: list[str], misspelled: set[str]
) -> Iterator[tuple[str, str]]:
    """Each unknown key of a mapping, with the key it most likely misspells."""
    allowed = error.schema.get("properties", {})
    patterns = error.schema.get("patternProperties", {})
    # `$schema` is for editors: allowed everywhere, not worth listing
    names = ", ".join(sorted(key for key in allowed if not key.startswith("$"))) or "none"
    listing = f"(allowed: {names}" + (", and x-* extension keys)" if patterns else ")")
    for key in error.instance:
        if not isinstance(key, str) or key in allowed:
            continue
        if any(re.search(pattern, key) for pattern in patterns):
            continue
        required = closest(key, [name for name in missing if name not in misspelled])
        if required is not None:
            misspelled.add(required)
            yield key, f"unknown key {key!r}; did you mean {required!r}? (it is required)"
            continue
        known = closest(key, allowed)
        if known is not None:
            yield key, f"unknown key {key!r}; did you mean {known!r}?"
        else:
            yield key, f"unknown key {key!r} {listing}"


def validate_document(name: str, document: Document, path: str) -> list[Finding]:
    """Schema findings for a loaded file, each at the line of the offending node (none for a
    format without a schema: pytm's and threatcl's outputs)."""
    if not has_schema(name):
        return []
    findings: list[Finding] = []
    for index, (where, message) in enumerate(_document_errors(name, document.root)):
        if index == MAX_ERRORS_PER_FILE:
            findings.append(
                file_finding(path, "schema", f"more than {index} schema errors; fix these first")
            )
            break
        line, column = document.locate(where)
        findings.append(
            file_finding(path, "schema", f"{json_path(where)}: {message}", line, column)
        )
    return findings


def _document_errors(name: str, root: Any) -> Iterator[tuple[list[str | int], str]]:
    """A list at the top whose schema describes one object (several OTM models exported as one
    file) is validated item by item."""
    if isinstance(root, list) and load_schema(name).get("type") == "object":
        for index, item in enumerate(root):
            for where, message in iter_schema_errors(name, item):
                yield [index, *where], message
        return
    yield from iter_schema_errors(name, root)


def json_path(path: list[str | int]) -> str:
    text = "$"
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif step.isidentifier():
            text += f".{step}"
        else:
            text += f"[{json.dumps(step)}]"
    return text


def _shorten(message: str) -> str:
    return shorten(message, _MAX_MESSAGE)
