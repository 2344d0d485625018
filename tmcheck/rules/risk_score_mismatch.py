"""risk-score-mismatch: a declared `risk_score` must equal likelihood x impact.

The declared number is what a reviewer reads; a wrong one hides risk.

Passes::

    likelihood: Medium   # 3
    impact: Critical     # 5
    risk_score: 15

Fails::

    likelihood: Medium   # 3
    impact: Critical     # 5
    risk_score: 10       # 3 x 5 is 15
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "risk-score-mismatch"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Problem]:
    for threat in context.threats:
        declared = threat.entry.risk_score
        if threat.likelihood is None or threat.impact is None or declared is None:
            continue
        if isinstance(declared, bool) or not isinstance(declared, int):
            continue  # the schema reports a risk_score that is not a number
        if declared != threat.score:
            yield threat_problem(
                threat,
                f"{threat.label}: risk_score is {declared}, but likelihood {threat.likelihood}"
                f" x impact {threat.impact} = {threat.score}",
                key="risk_score",
            )
