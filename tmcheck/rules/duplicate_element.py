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

from tmcheck.formats.architecture import FORMAT
from tmcheck.model import Element, name_key
from tmcheck.rules.context import Problem, RuleContext, element_problem

ID = "duplicate-element"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Problem]:
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
            yield element_problem(
                element,
                f"duplicate element name {element.name!r} (first defined at line {earlier.line})",
                key="name",
            )
