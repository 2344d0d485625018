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
from tmcheck.parsing.tree import Document, LoadError, TreeBuilder

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LITERALS = {"true": True, "false": False, "null": None}
_NON_FINITE = ("NaN", "Infinity", "-Infinity")

# What the reader expects next.
_VALUE, _VALUE_OR_CLOSE, _KEY, _KEY_OR_CLOSE, _COLON, _COMMA_OR_CLOSE, _DONE = range(7)


def load_json(text: str, *, allow_list: bool = False) -> Document:
    """Parse a JSON document whose top level is an object (or an array, if allowed)."""
    builder = TreeBuilder()
    in_object: list[bool] = []
    expect = _VALUE
    index, line, line_start, size = 0, 1, 0, len(text)
    while True:
        gap = _WHITESPACE.match(text, index)
        assert gap is not None  # the pattern matches the empty string
        newlines = text.count("\n", index, gap.end())
        if newlines:
            line += newlines
            line_start = text.rfind("\n", index, gap.end()) + 1
        index = gap.end()
        if index >= size:
            break
        position = (line, index - line_start + 1)
        char = text[index]
        if expect == _DONE:
            raise LoadError("unexpected data after the end of the JSON document", *position)
        if expect == _COLON:
            if char != ":":
                raise LoadError("expected ':' after the key", *position)
            index += 1
            expect = _VALUE
            continue
        if expect == _COMMA_OR_CLOSE:
            if char == ",":
                index += 1
                expect = _KEY if in_object[-1] else _VALUE
                continue
            if char == ("}" if in_object[-1] else "]"):
                index += 1
                builder.end()
                in_object.pop()
                expect = _COMMA_OR_CLOSE if in_object else _DONE
                continue
            raise LoadError(f"expected ',' or {'}' if in_object[-1] else ']'!r}", *position)
        if expect in (_KEY, _KEY_OR_CLOSE):
            if char == "}" and expect == _KEY_OR_CLOSE:
                index += 1
                builder.end()
                in_object.pop()
                expect = _COMMA_OR_CLOSE if in_object else _DONE
                continue
            if char == "}":
                raise LoadError("expected a key before '}' (a trailing comma?)", *position)
            if char != '"':
                raise LoadError("expected a key in double quotes", *position)
            key, index = _string(text, index, position)
            builder.scalar(key, position)
            expect = _COLON
            continue
        # a value is expected
        if char == "{" or char == "[":
            builder.start(char == "{", position)
            in_object.append(char == "{")
            index += 1
            expect = _KEY_OR_CLOSE if char == "{" else _VALUE_OR_CLOSE
            continue
        if char == "]" and expect == _VALUE_OR_CLOSE:
            index += 1
            builder.end()
            in_object.pop()
            expect = _COMMA_OR_CLOSE if in_object else _DONE
            continue
        if char == '"':
            value, index = _string(text, index, position)
            builder.scalar(value, position)
        elif char in "]}":
            raise LoadError(f"expected a value before {char!r} (a trailing comma?)", *position)
        else:
            value_end = _scalar_end(text, index)
            builder.scalar(_literal(text[index:value_end], position), position)
            index = value_end
        expect = _COMMA_OR_CLOSE if in_object else _DONE
    if expect != _DONE:
        raise LoadError(
            "unexpected end of the JSON document" if expect != _VALUE else "the file is empty",
            line,
            index - line_start + 1,
        )
    return builder.document(allow_list=allow_list)


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
