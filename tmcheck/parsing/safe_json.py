"""A strict JSON reader that feeds the same tree builder as YAML, so JSON gets line numbers.

Python's `json` module accepts NaN, Infinity and duplicate keys and reports no positions for
values; this reader refuses the first three and keeps the line and column of every key and item.
It never recurses, so nesting depth is bounded by the builder, not by the interpreter's stack.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # C-accelerated

from tmcheck.parsing.scalars import bounded_int, finite_float
from tmcheck.parsing.tree import Document, LoadError, Position, TreeBuilder

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LITERALS = {"true": True, "false": False, "null": None}
_NON_FINITE = ("NaN", "Infinity", "-Infinity")

# What the reader expects next.
_VALUE, _VALUE_OR_CLOSE, _KEY, _KEY_OR_CLOSE, _COLON, _COMMA_OR_CLOSE, _DONE = range(7)


def load_json(text: str, *, allow_list: bool = False) -> Document:
    """Parse a JSON document whose top level is an object (or an array, if allowed)."""
    return _JsonReader(text).read(allow_list)


class _JsonReader:
    """One pass over the text: after the whitespace, the token at `index` is read by the
    method for what is expected there (a value, a key, the colon, a comma or a close)."""

    __slots__ = ("builder", "expect", "in_object", "index", "line", "line_start", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.builder = TreeBuilder()
        self.in_object: list[bool] = []  # for each open container: an object, or an array
        self.expect = _VALUE
        self.index, self.line, self.line_start = 0, 1, 0

    def read(self, allow_list: bool) -> Document:
        text, size = self.text, len(self.text)
        readers = {
            _VALUE: self._value, _VALUE_OR_CLOSE: self._value, _KEY: self._key,
            _KEY_OR_CLOSE: self._key, _COLON: self._colon, _COMMA_OR_CLOSE: self._comma_or_close,
        }  # fmt: skip
        while True:
            self._skip_whitespace()
            if self.index >= size:
                break
            position = (self.line, self.index - self.line_start + 1)
            if self.expect == _DONE:
                raise LoadError("unexpected data after the end of the JSON document", *position)
            readers[self.expect](text[self.index], position)
        if self.expect != _DONE:
            raise LoadError(
                "unexpected end of the JSON document"
                if self.expect != _VALUE
                else "the file is empty",
                self.line,
                self.index - self.line_start + 1,
            )
        return self.builder.document(allow_list=allow_list)

    def _skip_whitespace(self) -> None:
        gap = _WHITESPACE.match(self.text, self.index)
        assert gap is not None  # the pattern matches the empty string
        newlines = self.text.count("\n", self.index, gap.end())
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.index, gap.end()) + 1
        self.index = gap.end()

    def _close(self) -> None:
        self.index += 1
        self.builder.end()
        self.in_object.pop()
        self._after_value()

    def _after_value(self) -> None:
        self.expect = _COMMA_OR_CLOSE if self.in_object else _DONE

    def _colon(self, char: str, position: Position) -> None:
        if char != ":":
            raise LoadError("expected ':' after the key", *position)
        self.index += 1
        self.expect = _VALUE

    def _comma_or_close(self, char: str, position: Position) -> None:
        closing = "}" if self.in_object[-1] else "]"
        if char == ",":
            self.index += 1
            self.expect = _KEY if self.in_object[-1] else _VALUE
        elif char == closing:
            self._close()
        else:
            raise LoadError(f"expected ',' or {closing!r}", *position)

    def _key(self, char: str, position: Position) -> None:
        if char == "}" and self.expect == _KEY_OR_CLOSE:
            self._close()
            return
        if char == "}":
            raise LoadError("expected a key before '}' (a trailing comma?)", *position)
        if char != '"':
            raise LoadError("expected a key in double quotes", *position)
        key, self.index = _string(self.text, self.index, position)
        self.builder.scalar(key, position)
        self.expect = _COLON

    def _value(self, char: str, position: Position) -> None:
        if char == "{" or char == "[":
            self.builder.start(char == "{", position)
            self.in_object.append(char == "{")
            self.index += 1
            self.expect = _KEY_OR_CLOSE if char == "{" else _VALUE_OR_CLOSE
            return
        if char == "]" and self.expect == _VALUE_OR_CLOSE:
            self._close()
            return
        if char == '"':
            value, self.index = _string(self.text, self.index, position)
            self.builder.scalar(value, position)
        elif char in "]}":
            raise LoadError(f"expected a value before {char!r} (a trailing comma?)", *position)
        else:
            end = _scalar_end(self.text, self.index)
            self.builder.scalar(_literal(self.text[self.index : end], position), position)
            self.index = end
        self._after_value()


def _string(text: str, index: int, position: tuple[int, int]) -> tuple[str, int]:
    try:
        value, end = scanstring(text, index + 1, True)
    except json.JSONDecodeError as error:
        raise LoadError(f"invalid JSON string: {error.msg}", error.lineno, error.colno) from None
    if "\\u" in text[index:end] and _SURROGATE.search(value):
        raise LoadError("invalid JSON string: lone surrogate escape", *position)
    return value, end


def _scalar_end(text: str, index: int) -> int:
    end = index
    size = len(text)
    while end < size and text[end] not in ' \t\n\r,:]}[{"':
        end += 1
    return max(end, index + 1)


def _literal(token: str, position: tuple[int, int]) -> object:
    if token in _LITERALS:
        return _LITERALS[token]
    if token in _NON_FINITE:
        raise LoadError(f"non-finite number {token} is not allowed", *position)
    match = _NUMBER.fullmatch(token)
    if match is None:
        raise LoadError(f"invalid JSON value {token[:40]!r}", *position)
    if match.group(1) or match.group(2):
        return finite_float(token, position)
    return bounded_int(token, 10, position)
