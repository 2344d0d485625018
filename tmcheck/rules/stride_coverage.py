"""stride-coverage: every architecture element has a threat for each STRIDE category it asks.

STRIDE per element: a process needs Spoofing, Tampering, Repudiation, Denial of Service and
Elevation of Privilege; a data store Tampering, Information Disclosure and Denial of Service; a
data flow the same three, plus Spoofing when it crosses a trust boundary; an external entity
Spoofing and Repudiation. A threat covers an element when its component names the element (case
and spacing aside) or the diagram attaches it; a category that does not apply is recorded as a
threat with status `not_applicable`. Elements marked out of scope are left alone. The elements
are those of the architecture files and Threat Dragon diagrams checked; the threats, those of
every file of the run.

Passes (with the architecture below)::

    threats:
      - {id: T1, component: Browser User, threat: Spoofing, risk: LOW, status: open}
      - {id: T2, component: Browser User, threat: Repudiation, status: not applicable}

Fails (no threat says how Browser User could be spoofed, or deny what it did)::

    components:
      - {name: Browser User, type: external_entity}
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.coverage import KIND_NAMES
from tmcheck.rules.context import Problem, RuleContext

ID = "stride-coverage"
LEVEL = "warning"


def check(context: RuleContext) -> Iterator[Problem]:
    for row in context.coverage():
        element = row.element
        kind = KIND_NAMES.get(element.kind, element.kind)
        crossing = " (it crosses a trust boundary)" if element.crosses_boundary else ""
        for category in row.missing:
            yield Problem(
                element.path, element.line, element.column,
                f"{kind} {element.name!r} has no {category} threat{crossing}: add one, or one"
                " with status not_applicable",
            )  # fmt: skip
