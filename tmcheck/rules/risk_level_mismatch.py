"""risk-level-mismatch: a declared level must agree with likelihood x impact.

A register's `risk`, a Markdown `Risk` or `Severity` column, or a level word beside likelihood
and impact declares a level; when it differs from the level likelihood x impact gives, a reader
and the gate would disagree. The finding is at the declared value, and the gate uses the higher
of the two levels, so a declared level never hides a risk.

Passes::

    likelihood: Low        # 2
    impact: Critical       # 5: 10, medium
    risk: Medium

Fails::

    likelihood: Low        # 2
    impact: Critical       # 5: 10, medium
    risk: High             # gated as high
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.model import RISK_RANK, Threat
from tmcheck.normalize import computed_level
from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "risk-level-mismatch"
LEVEL = "warning"


def check(context: RuleContext) -> Iterator[Problem]:
    for threat in context.threats:
        declared = threat.declared_level
        computed = computed_level(threat, context.settings)
        if declared is None or computed is None or declared == computed:
            continue
        written = threat.entry.risk if _declares(threat, "risk") else threat.entry.severity
        gated = declared if RISK_RANK[declared] > RISK_RANK[computed] else computed
        yield threat_problem(
            threat,
            f"{threat.label}: declared {written!r} ({declared}), but likelihood"
            f" {threat.likelihood} x impact {threat.impact} = {threat.score} is {computed};"
            f" gated as {gated}",
            key="risk" if _declares(threat, "risk") else "severity",
        )  # fmt: skip


def _declares(threat: Threat, key: str) -> bool:
    value = getattr(threat.entry, key)
    return isinstance(value, str) and bool(value.strip())
