"""`threat-library`: reusable threat patterns that threats elsewhere refer to by id."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tmcheck.formats.fields import items, mapping, text
from tmcheck.formats.parsed import Parsed
from tmcheck.model import Definition
from tmcheck.parsing.tree import Document

FORMAT = "threat-library"


def matches(data: Mapping[str, Any]) -> bool:
    return isinstance(data.get("categories"), dict)


def read(document: Document, path: str) -> Parsed:
    definitions = []
    for category, entries in mapping(document.data.get("categories")).items():
        for _, item, (line, column), _ in items(document, entries, ("categories", category)):
            identifier = text(item.get("id"))
            if identifier:
                definitions.append(Definition("library", identifier, path, line, column))
    return Parsed(definitions=tuple(definitions))
