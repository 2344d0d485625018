"""undefined-element: an architecture's flows and components name what it defines.

In an architecture file, a flow's `from` and `to` name components of the same file, and a
component's `boundary` names one of its `trust_boundaries`. A name that matches nothing (case
and spacing aside) is a flow to nowhere or a boundary no one drew.

Passes::

    trust_boundaries: [{name: DMZ}]
    components:
      - {name: Browser User, type: external_entity}
      - {name: API Gateway, type: process, boundary: DMZ}
    flows:
      - {name: HTTPS Request, from: Browser User, to: API Gateway}

Fails::

    flows:
      - {name: HTTPS Request, from: Browser User, to: API Gatway}   # no such component
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.formats.architecture import FORMAT
from tmcheck.model import COMPONENT_KINDS, name_key
from tmcheck.rules.context import Problem, RuleContext, element_problem

ID = "undefined-element"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Problem]:
    for file in context.files:
        if file.format != FORMAT:
            continue  # Threat Dragon ties flows to cells by id, not by name
        components = {name_key(e.name) for e in file.elements if e.kind in COMPONENT_KINDS}
        boundaries = {name_key(e.name) for e in file.elements if e.kind == "boundary"}
        for element in file.elements:
            if element.kind == "flow":
                for key, end in (("from", element.source), ("to", element.target)):
                    if end is not None and name_key(end) not in components:
                        yield element_problem(
                            element,
                            f"flow {element.name!r} goes {key} {end!r}, which is no component"
                            " of this architecture",
                            key=key,
                        )
            elif element.boundary is not None and name_key(element.boundary) not in boundaries:
                yield element_problem(
                    element,
                    f"{element.name!r} sits in trust boundary {element.boundary!r}, which is not"
                    " listed under trust_boundaries",
                    key="boundary",
                )
