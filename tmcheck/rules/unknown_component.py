"""unknown-component: a threat names a component that the architecture has.

Only when the run checks architecture (an architecture file or a Threat Dragon diagram): each
threat's component must then name one of its elements (components, flows or trust boundaries;
case and spacing aside). A misspelt component leaves its element without the threat and the
threat about nothing.

Passes (with an architecture that has a component `User DB`)::

    threats:
      - {id: T2, component: User DB, threat: Information Disclosure, risk: HIGH}

Fails::

    threats:
      - {id: T2, component: Users DB, threat: Information Disclosure, risk: HIGH}
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from tmcheck.model import name_key
from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "unknown-component"
LEVEL = "warning"


def check(context: RuleContext) -> Iterator[Problem]:
    elements = context.elements()
    if not elements:
        return
    names = {name_key(element.name): element.name for element in elements}
    reported: set[tuple[str, int, int, str]] = set()
    for threat in context.threats:
        component = threat.entry.component
        if not component or name_key(component) in names:
            continue
        # A worksheet names its component once for all its threats: say so once.
        where = (threat.entry.path, *threat.entry.position_of("component"), name_key(component))
        if where in reported:
            continue
        reported.add(where)
        close = difflib.get_close_matches(name_key(component), list(names), n=1)
        hint = f"; did you mean {names[close[0]]!r}?" if close else ""
        yield threat_problem(
            threat,
            f"{threat.label} names component {component!r}, which is no element of the"
            f" architecture{hint}",
            key="component",
        )  # fmt: skip
