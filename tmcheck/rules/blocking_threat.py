"""blocking-threat: an open threat at or above the threshold blocks the merge.

A threat is open unless its status is closed (mitigated, accepted, transferred, avoided,
not_applicable, false_positive). It blocks when its score (likelihood x impact) is at least
`threshold` (default 12); a threat rated another way (DREAD, a severity, a register's `risk`)
blocks when its level is at least the level of the threshold (12 is "high"); so does a threat
whose own rating declares such a level beside a lower likelihood x impact.

To unblock a threat, do one of these (the gate asks for a decision, not for a number):

- mitigate it: put the control in place and set `status: mitigated` (`partially_mitigated`
  is still open: rate what remains);
- re-rate it: lower `likelihood` or `impact` when the threat is less likely or less harmful than
  first thought, and say why in the threat's description (reviewers see the change);
- accept it: `status: accepted` with `acceptance: {approver, reason, expires}` (`expires`
  written YYYY-MM-DD); past that date the threat counts as open again.

Passes (threshold 12)::

    - id: T002
      likelihood: Low      # 2
      impact: High         # 4: score 8, below 12
      status: Open

Fails::

    - id: T003
      likelihood: High     # 4
      impact: Medium       # 3: score 12, open
      status: Open
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "blocking-threat"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Problem]:
    settings = context.settings
    for threat in context.threats:
        if not threat.blocking:
            continue
        status = threat.entry.status if isinstance(threat.entry.status, str) else threat.status
        if threat.score is not None and threat.score < settings.threshold:
            why = (  # blocked by the level its own rating declares (see risk-level-mismatch)
                f"is {threat.risk_level} as declared ({threat.rating}), at or above"
                f" {settings.threshold_level}, the level of threshold {settings.threshold}"
            )
        elif threat.score is not None:
            why = (
                f"scores {threat.rating.removeprefix('score ')} ({threat.risk_level}),"
                f" at or above the threshold {settings.threshold}"
            )
        else:
            why = (
                f"is {threat.risk_level} ({threat.rating}), at or above {settings.threshold_level},"
                f" the level of threshold {settings.threshold}"
            )
        yield threat_problem(threat, f"open threat {threat.label} ({status}) {why}")
