"""The one hardened YAML reader: libyaml's event parser driving tmcheck's own tree builder.

PyYAML's composers recurse (the C one segfaults on 30,000 nested brackets, the Python one
raises RecursionError near 1,000) and its constructors run YAML 1.1 resolution and arbitrary
tags. tmcheck takes only the parser's event stream, which is produced without recursion, and
builds the data itself (see `tree.TreeBuilder` for the limits it enforces).
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from tmcheck.parsing.scalars import resolve_plain, resolve_tagged
from tmcheck.parsing.tree import MAX_DEPTH, Document, LoadError, TreeBuilder

try:
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
except ImportError:  # PyYAML built without libyaml: the pure-Python parser yields the same events

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)


_COLLECTION_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")


# libyaml 0.2.5 as bundled with PyYAML 6.0.4 refuses nesting past 1,000 levels on its own, and
# its scanner reads up to 1,024 characters ahead, so it can refuse before tmcheck's 64-level
# check has seen the 65th level. This is its message for that.
_LIBYAML_NESTING = "exceeded maximum nesting depth"


def load_yaml(text: str, *, allow_list: bool = False) -> Document:
    """Parse one YAML document whose top level is a mapping (or a list, if allowed)."""
    builder = TreeBuilder()
    parser: Any = _Parser(text)
    try:
        _build(parser.get_event, builder)
    except yaml.MarkedYAMLError as error:
        if error.problem == _LIBYAML_NESTING and error.problem_mark is not None:
            raise _nesting_error(text, error.problem_mark) from None
        raise _located(error) from None
    except yaml.reader.ReaderError as error:
        raise _reader_error(error, text) from None
    except yaml.YAMLError as error:  # any other parser complaint, without a mark
        raise LoadError(f"invalid YAML: {error}") from None
    return builder.document(allow_list=allow_list)


def _build(get_event: Any, builder: TreeBuilder) -> None:
    get_event()  # StreamStartEvent
    event = get_event()
    if type(event) is StreamEndEvent:
        raise LoadError("the file is empty")
    scalar, alias, start, end = builder.scalar, builder.alias, builder.start, builder.end
    while True:
        event = get_event()
        kind = type(event)
        mark = event.start_mark
        if kind is ScalarEvent:
            position = (mark.line + 1, mark.column + 1)
            tag = event.tag
            if tag is None:
                value = event.value if event.style else resolve_plain(event.value, position)
            else:
                value = resolve_tagged(tag, event.value, position)
            scalar(value, position, event.anchor)
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            end()
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            position = (mark.line + 1, mark.column + 1)
            if event.tag not in _COLLECTION_TAGS:
                _refuse_tag(event.tag, position)
            start(kind is MappingStartEvent, position, event.anchor)
        elif kind is AliasEvent:
            alias(event.anchor, (mark.line + 1, mark.column + 1))
        elif kind is DocumentEndEvent:
            break
    event = get_event()
    if type(event) is DocumentStartEvent:
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise LoadError(
            "a second YAML document starts here; tmcheck reads one document per file", line, column
        )


def _nesting_error(text: str, mark: Any) -> LoadError:
    """The refusal tmcheck gives whatever libyaml's own limit: the text before libyaml's mark is
    read again, so the error is the one found where a libyaml without that limit finds it."""
    refused_at = (mark.line + 1, mark.column + 1)
    end = mark.index if 0 < mark.index < len(text) else 0
    try:
        load_yaml(text[:end])
    except LoadError as error:
        # an error before the cut is the file's own; one at the cut comes from cutting
        if error.message.startswith("nesting deeper") or (error.line, error.column) < refused_at:
            return error
    return LoadError(f"nesting deeper than {MAX_DEPTH} levels", *refused_at)


def _refuse_tag(tag: str, position: tuple[int, int]) -> None:
    resolve_tagged(tag, "", position)  # raises the one message for unsupported tags
    raise LoadError(f"tag {tag!r} does not apply to a collection", *position)


def _located(error: yaml.MarkedYAMLError) -> LoadError:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or "syntax error"
    if error.context:
        problem = f"{problem} ({error.context})"
    if mark is None:
        return LoadError(f"invalid YAML: {problem}")
    return LoadError(f"invalid YAML: {problem}", mark.line + 1, mark.column + 1)


def _reader_error(error: yaml.reader.ReaderError, text: str) -> LoadError:
    position = min(max(error.position, 0), len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = error.character
    code = character if isinstance(character, int) else ord(str(character)[:1] or "?")
    return LoadError(f"control character U+{code:04X} is not allowed in YAML", line, column)
