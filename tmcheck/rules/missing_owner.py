"""missing-owner: an open threat rated high or critical has an owner.

A worksheet threat without its own `owner` belongs to the component's owner.

Passes::

    likelihood: High
    impact: Major
    status: Open
    owner: Backend Team

Fails::

    likelihood: High
    impact: Major
    status: Open          # and no owner, here or on the component
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.model import RISK_RANK
from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "missing-owner"
LEVEL = "warning"


def check(context: RuleContext) -> Iterator[Problem]:
    for threat in context.threats:
        if not threat.open or threat.risk_level is None or threat.entry.owner:
            continue
        if RISK_RANK[threat.risk_level] >= RISK_RANK["high"]:
            yield threat_problem(
                threat, f"open {threat.risk_level} threat {threat.label} has no owner"
            )
