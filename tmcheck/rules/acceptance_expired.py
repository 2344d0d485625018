"""acceptance-expired: an acceptance past its `expires` date no longer closes the threat.

The threat counts as open again (and may block) until someone renews or resolves it.

Passes (before the date)::

    status: Accepted
    acceptance: {approver: CISO, reason: Vendor fix due, expires: 2099-01-31}

Fails (after it)::

    status: Accepted
    acceptance: {approver: CISO, reason: Vendor fix due, expires: 2020-01-31}
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.rules.context import Problem, RuleContext, threat_problem

ID = "acceptance-expired"
LEVEL = "warning"


def check(context: RuleContext) -> Iterator[Problem]:
    for threat in context.threats:
        if threat.acceptance_expired:
            expires = (threat.entry.acceptance or {}).get("expires")
            yield threat_problem(
                threat,
                f"the acceptance of {threat.label} expired on {expires}; it counts as open",
                key="acceptance",
            )  # fmt: skip
