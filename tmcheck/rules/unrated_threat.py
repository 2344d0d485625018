"""unrated-threat: an open threat has a rating, or the gate cannot see it.

A threat with no likelihood and impact, no score, no DREAD, no risk and no severity can never
block, however dangerous it is. Rate it, or close it.

Passes::

    likelihood: Low
    impact: Minor
    status: Open

Fails::

    category: Tampering
    status: Open          # nothing says how likely or how bad
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "unrated-threat"
LEVEL = "warning"


def check(context: RuleContext) -> Iterator[Problem]:
    for threat in context.threats:
        if threat.open and threat.risk_level is None:
            yield threat_problem(
                threat,
                f"open threat {threat.label} has no rating (likelihood and impact, a score,"
                " DREAD or a severity), so it can never block",
            )  # fmt: skip
