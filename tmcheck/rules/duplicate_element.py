"""duplicate-element: the names of an architecture's elements are unique.

Threats find their element by name, so in an architecture file no two components or flows share
a name, and no two trust boundaries do (case and spacing aside).

Passes::

    components:
      - {name: User DB, type: datastore}
      - {name: Orders DB, type: datastore}

Fails::

    components:
      - {name: User DB, type: datastore}
      - {name: user  db, type: process}   # the same name
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.findings import Finding
from tmcheck.formats.architecture import FORMAT
from tmcheck.model import Element, name_key
from tmcheck.rules.context import RuleContext

ID = "duplicate-element"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Finding]:
    for file in context.files:
        if file.format != FORMAT:
            continue  # Threat Dragon labels need not be unique: cells have ids
        first: dict[tuple[bool, str], Element] = {}
        for element in file.elements:
            key = (element.kind == "boundary", name_key(element.name))
            if key not in first:
                first[key] = element
                continue
            earlier = first[key]
            line, column = element.position_of("name")
            yield Finding(
                element.path, line, column, ID, LEVEL,
                f"duplicate element name {element.name!r} (first defined at line {earlier.line})",
            )  # fmt: skip
