"""Build plain Python data from parser events, with a source map, under hard limits.

Both the YAML and the JSON reader drive one `TreeBuilder`, so every format gets the same
guarantees: string keys only, no duplicate keys, bounded depth, bounded alias expansion, one
mapping at the top, and the line and column of every key and item.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Position = tuple[int, int]  # 1-based line and column

MAX_DEPTH = 64
# Aliases may add this many nodes, and this many characters of text, in all: an alias bomb is
# stopped by what it expands to, not by how many aliases it uses (63 aliases can expand to
# 351 MB; one alias per threat to a 100 KB string, to gigabytes of titles).
MAX_ALIAS_NODES = 10_000
MAX_ALIAS_CHARS = 1_000_000
# Values in one file (keys, items and scalars, aliases expanded). The largest real threat models
# hold about 5,000; every later step (schema, rules, reports) costs time per value.
MAX_NODES = 50_000


class LoadError(Exception):
    """A file that cannot be read as data; carries the position of the problem."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class SourceMap:
    """Where each key and item of a loaded document was written.

    Marks are stored per container (keyed by its identity), so a lookup walks the data along a
    JSON path and asks the last container for the position of the last step.
    """

    __slots__ = ("_marks", "root")

    def __init__(self, marks: dict[int, Any], root: Position) -> None:
        self._marks = marks
        self.root = root

    def marks_of(self, container: object) -> Any:
        """Positions of a mapping's keys (dict) or a sequence's items (list), if known."""
        return self._marks.get(id(container))

    def locate(self, data: Any, path: Sequence[str | int]) -> Position:
        """The position of the node at `path` in `data`, or of its nearest known ancestor."""
        position = self.root
        node = data
        for step in path:
            marks = self._marks.get(id(node))
            if marks is None:
                break
            try:
                position = marks[step]
                node = node[step]
            except (KeyError, IndexError, TypeError):
                break
        return position


@dataclass(frozen=True, slots=True)
class Document:
    """A loaded file: its top-level value and where each part of it was written.

    The top level is a mapping, or a list where the reader allowed one (a tool's output such
    as Threagile's `risks.json` is a JSON array); `data` is the mapping, empty for a list."""

    root: dict[str, Any] | list[Any]
    source: SourceMap
    values: int = 0  # keys, items and scalars, aliases expanded: what the run budget counts

    @property
    def data(self) -> dict[str, Any]:
        return self.root if isinstance(self.root, dict) else {}

    def locate(self, path: Sequence[str | int]) -> Position:
        return self.source.locate(self.root, path)


_NO_KEY = object()


class _Frame:
    """A mapping or a list being built: what it holds so far, and where each item was."""

    __slots__ = ("anchor", "chars", "container", "key", "key_position", "marks", "nodes", "start")

    def __init__(self, container: Any, marks: Any, anchor: str | None, start: Position) -> None:
        self.container = container
        self.marks = marks  # key -> position (a mapping) or positions in order (a list)
        self.key: Any = _NO_KEY  # a mapping's key waiting for its value
        self.key_position: Position | None = None
        self.anchor = anchor
        self.nodes = 1  # values inside, itself included (for the alias budget)
        self.start = start
        self.chars = 0  # characters of the strings inside


class TreeBuilder:
    """Receives start/end/scalar/alias calls from a reader and builds the document."""

    __slots__ = ("_alias_chars", "_alias_nodes", "_anchors", "_marks", "_nodes", "_root", "_stack")

    def __init__(self) -> None:
        self._stack: list[_Frame] = []
        self._marks: dict[int, Any] = {}
        self._anchors: dict[str, tuple[Any, int, int] | None] = {}
        self._nodes = 0
        self._alias_nodes = 0
        self._alias_chars = 0
        self._root: tuple[Any, Position] | None = None

    def start(self, mapping: bool, position: Position, anchor: str | None = None) -> None:
        stack = self._stack
        if stack:
            frame = stack[-1]
            if frame.key is _NO_KEY and isinstance(frame.container, dict):
                raise LoadError("mapping keys must be strings, found a collection", *position)
        elif self._root is not None:
            raise LoadError("only one value may stand at the top of a file", *position)
        if len(stack) >= MAX_DEPTH:
            raise LoadError(f"nesting deeper than {MAX_DEPTH} levels", *position)
        self._count(1, position)
        container: Any = {} if mapping else []
        marks: Any = {} if mapping else []
        self._marks[id(container)] = marks
        if anchor is not None:
            self._anchors[anchor] = None  # being built: an alias to it now is recursive
        stack.append(_Frame(container, marks, anchor, position))

    def end(self) -> None:
        frame = self._stack.pop()
        if frame.key is not _NO_KEY:  # a key with no value cannot come from a parser: be sure
            raise LoadError(f"key {frame.key!r} has no value", *frame.start)
        if frame.anchor is not None:
            self._anchors[frame.anchor] = (frame.container, frame.nodes, frame.chars)
        self._add(frame.container, frame.start, frame.nodes, frame.chars)

    def scalar(self, value: Any, position: Position, anchor: str | None = None) -> None:
        self._count(1, position)
        chars = len(value) if isinstance(value, str) else 1
        if anchor is not None:
            self._anchors[anchor] = (value, 1, chars)
        self._add(value, position, 1, chars)

    def alias(self, anchor: str, position: Position) -> None:
        if anchor not in self._anchors:
            raise LoadError(f"alias *{anchor} names no anchor", *position)
        target = self._anchors[anchor]
        if target is None:
            raise LoadError(f"alias *{anchor} refers to itself (recursive alias)", *position)
        value, nodes, chars = target
        self._alias_nodes += nodes
        self._alias_chars += chars
        if self._alias_nodes > MAX_ALIAS_NODES:
            raise LoadError(
                f"aliases expand beyond {MAX_ALIAS_NODES} nodes (an alias bomb?)", *position
            )
        if self._alias_chars > MAX_ALIAS_CHARS:
            raise LoadError(
                f"aliases expand beyond {MAX_ALIAS_CHARS} characters (an alias bomb?)", *position
            )
        self._count(nodes, position)
        self._add(value, position, nodes, chars)

    def _count(self, nodes: int, position: Position) -> None:
        self._nodes += nodes
        if self._nodes > MAX_NODES:
            raise LoadError(
                f"the file holds more than {MAX_NODES} values (keys, items and scalars);"
                " tmcheck reads threat models up to that size: split the file",
                *position,
            )

    def _add(self, value: Any, position: Position, nodes: int, chars: int) -> None:
        stack = self._stack
        if not stack:
            self._root = (value, position)
            return
        frame = stack[-1]
        frame.nodes += nodes
        frame.chars += chars
        container = frame.container
        if isinstance(container, list):
            container.append(value)
            frame.marks.append(position)
            return
        key = frame.key
        if key is _NO_KEY:
            if not isinstance(value, str):
                raise LoadError(
                    f"mapping keys must be strings, found {_describe(value)}", *position
                )
            if value in container:
                first = frame.marks[value][0]
                raise LoadError(
                    f"duplicate key {value!r} (first defined at line {first})", *position
                )
            frame.key = value
            frame.key_position = position
            return
        container[key] = value
        frame.marks[key] = frame.key_position
        frame.key = _NO_KEY

    def document(self, *, allow_list: bool = False) -> Document:
        """The built document; its top level must be a mapping (or a list, if allowed)."""
        if self._root is None:
            raise LoadError("the file is empty")
        value, position = self._root
        if allow_list and isinstance(value, list):
            return Document(value, SourceMap(self._marks, position), self._nodes)
        if not isinstance(value, dict):
            raise LoadError(f"the top level must be a mapping, found {_describe(value)}", *position)
        return Document(value, SourceMap(self._marks, position), self._nodes)


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a sequence"
    if isinstance(value, dict):
        return "a mapping"
    return "a string"
