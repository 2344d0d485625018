"""unknown-category: a STRIDE threat's category is one of the six STRIDE categories.

Accepted spellings: the names in any case (`Information disclosure`), the initials
(`S`, `T`, `R`, `I`, `D`, `E`), `DoS` and `EoP`. One value may name several categories
(`T/I`, `S, I`, `Spoofing + Tampering`, `TI`); each of them is checked. Threats of other
methodologies (a Threat Dragon model of type CIA or LINDDUN) are not checked.

Passes::

    category: Elevation of Privilege

Fails::

    category: Privilege escalation
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.model import STRIDE
from tmcheck.normalize import category_parts, is_stride
from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "unknown-category"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Problem]:
    for threat in context.threats:
        if not threat.entry.categories or not is_stride(threat.entry):
            continue
        key = "threat" if threat.entry.format == "threat-register" else "category"
        if threat.entry.format == "threat-dragon":
            key = "type"
        for written, name in category_parts(threat.entry.categories):
            if name is None:
                yield threat_problem(
                    threat,
                    f"{threat.label}: {written!r} is not a STRIDE category ({', '.join(STRIDE)})",
                    key=key,
                )  # fmt: skip
