"""Defensive reads of loaded data: a file that breaks its schema still yields what it can."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from tmcheck.model import Element
from tmcheck.parsing.tree import Document


def text(value: Any) -> str | None:
    """A string field as text; numbers are shown as written, other shapes are dropped."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def texts(value: Any) -> tuple[str, ...]:
    """One string or a list of strings, as a tuple."""
    if isinstance(value, list):
        return tuple(item for item in (text(entry) for entry in value) if item)
    single = text(value)
    return (single,) if single else ()


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def mappings(value: Any) -> list[Mapping[str, Any]]:
    """The mappings of a list; nothing when `value` is no list (the schema says why)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def items(
    document: Document, container: Any, path: tuple[str | int, ...]
) -> Iterator[tuple[int, Mapping[str, Any], tuple[int, int], Mapping[str, tuple[int, int]]]]:
    """Each mapping in the list `container` (found at `path`): index, mapping, position, and
    the positions of its keys. Items that are not mappings are skipped (the schema says why)."""
    if not isinstance(container, list):
        return
    marks = document.source.marks_of(container) or []
    for index, item in enumerate(container):
        if isinstance(item, dict):
            position = marks[index] if index < len(marks) else document.locate(path)
            yield index, item, position, document.source.marks_of(item) or {}


def name_of(item: Mapping[str, Any]) -> str | None:
    """The text of an item's `name` key."""
    return text(item.get("name"))


def boundaries(
    document: Document,
    path: str,
    container: Any,
    at: tuple[str | int, ...],
    name_of: Callable[[Mapping[str, Any]], str | None],
) -> list[Element]:
    """A boundary element for each named mapping in the list `container` (found at `at`): a
    format's trust zones or boundaries; `name_of` says which key names one."""
    found: list[Element] = []
    for _, item, (line, column), positions in items(document, container, at):
        name = name_of(item)
        if name:
            found.append(Element(name, "boundary", path, line, column, positions=positions))
    return found


TITLE_MAX = 120
_SENTENCE_MIN = 12
_SENTENCE_END = re.compile(r"[.!?](?= )")


def title_of(item: Mapping[str, Any], title_key: str, *fallbacks: str) -> str:
    """The threat's title on one line: its `title_key` as written, else the first non-empty
    of `fallbacks` made into a title: a text longer than `TITLE_MAX` characters (a worksheet's
    description) gives its first sentence, or its first words and an ellipsis. The run holds
    every threat's title; the file holds the whole text."""
    for key in (title_key, *fallbacks):
        value = text(item.get(key))
        if value and value.strip():
            line = " ".join(value.split())
            return line if key == title_key else short_title(line)
    return ""


def short_title(line: str) -> str:
    if len(line) <= TITLE_MAX:
        return line
    end = _SENTENCE_END.search(line, _SENTENCE_MIN, TITLE_MAX)  # not "e.g." or "1."
    if end is not None:
        return line[: end.end()]
    cut = line.rfind(" ", 0, TITLE_MAX)
    return line[: cut if cut > 0 else TITLE_MAX - 1] + "\u2026"
