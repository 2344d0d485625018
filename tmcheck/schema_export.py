"""Standalone copies of tmcheck's schemas, for editors and other validators.

The bundled schemas name each other by `urn:tmcheck:schema:NAME`, which only tmcheck's own
registry resolves. An exported schema carries everything it references under its own `$defs`
(a definition of schema OTHER becomes `$defs["OTHER.NAME"]`), so check-jsonschema,
yaml-language-server or any Draft 2020-12 validator reads it without retrieving anything.
"""

from __future__ import annotations

import json
from typing import Any

from tmcheck.errors import UsageError
from tmcheck.validation import SCHEMA_NAMES, load_schema

_URN = "urn:tmcheck:schema:"
# `common` holds definitions only: no file is written in it.
EXPORTABLE = tuple(name for name in SCHEMA_NAMES if name != "common")


def standalone_schema(name: str) -> dict[str, Any]:
    """Schema `name` with every reference to another bundled schema copied in."""
    if name not in EXPORTABLE:
        raise UsageError(f"unknown schema {name!r}; `tmcheck schema` lists them")
    schema: dict[str, Any] = dict(load_schema(name))
    schema.pop("$id", None)
    copied: dict[str, Any] = {}
    pending: list[tuple[str, str]] = []

    def rewrite(node: Any, base: str) -> Any:
        if isinstance(node, list):
            return [rewrite(item, base) for item in node]
        if not isinstance(node, dict):
            return node
        result = {key: rewrite(value, base) for key, value in node.items()}
        reference = node.get("$ref")
        if isinstance(reference, str):
            result["$ref"] = target(reference, base)
        return result

    def target(reference: str, base: str) -> str:
        uri, _, pointer = reference.partition("#")
        owner = uri.removeprefix(_URN) if uri.startswith(_URN) else (base if not uri else None)
        if owner is None:
            raise ValueError(f"schema {name}: reference {reference!r} is not bundled")
        if owner == name:
            return f"#{pointer}"
        key = _definition_key(owner, pointer)
        if key not in copied:
            copied[key] = None  # claimed: a recursive reference is copied once
            pending.append((owner, pointer))
        return f"#/$defs/{key}"

    schema = rewrite(schema, name)
    while pending:
        owner, pointer = pending.pop()
        node: Any = load_schema(owner)
        for step in _steps(pointer):
            node = node[step]
        copied[_definition_key(owner, pointer)] = rewrite(node, owner)
    definitions = dict(schema.get("$defs", {}))
    clash = set(definitions) & set(copied)
    if clash:
        raise ValueError(f"schema {name}: $defs {sorted(clash)} would be replaced")
    schema["$defs"] = {**definitions, **dict(sorted(copied.items()))}
    return schema


def _steps(pointer: str) -> list[str]:
    # the bundled schemas' pointers name plain keys: no ~0/~1 escapes to undo
    return [step for step in pointer.split("/") if step]


def _definition_key(owner: str, pointer: str) -> str:
    """`common` + `/$defs/name` -> `common.name`: where a copied definition is kept."""
    steps = _steps(pointer)
    return ".".join([owner, *steps[1:]] if steps[:1] == ["$defs"] else [owner, *steps])


def schema_json(name: str) -> str:
    return json.dumps(standalone_schema(name), indent=2, ensure_ascii=False) + "\n"


def schema_list() -> str:
    lines = [f"{name:18} {_title(name)}".rstrip() for name in EXPORTABLE]
    return "\n".join(lines) + "\n"


def _title(name: str) -> str:
    schema = load_schema(name)
    # Threat Composer's schema (theirs, unchanged) has no title: its description's first sentence
    text = str(schema.get("title") or schema.get("description", ""))
    return text.split(". ", 1)[0]
