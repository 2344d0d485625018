"""acceptance-incomplete: an accepted threat says who accepted it, why, and until when.

Passes::

    status: Accepted
    acceptance:
      approver: Security Lead
      reason: Compensating control in the WAF
      expires: 2027-06-30

Fails::

    status: Accepted      # no acceptance, or one without approver, reason or expires
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "acceptance-incomplete"
LEVEL = "warning"
_NEEDED = ("approver", "reason", "expires")


def check(context: RuleContext) -> Iterator[Problem]:
    for threat in context.threats:
        if threat.status != "accepted":
            continue
        acceptance = threat.entry.acceptance or {}
        missing = [key for key in _NEEDED if not acceptance.get(key)]
        if missing:
            yield threat_problem(
                threat,
                f"accepted threat {threat.label} has no acceptance {', '.join(missing)}",
                key="acceptance" if acceptance else "status",
            )  # fmt: skip
