"""acceptance-unauthorized: an acceptance needs the approver its level demands, or a higher one.

Roles rank as `roles:` lists them (default Team Lead < Security Lead < CISO); `approvers:` maps
people to roles. A critical threat needs the CISO, a high one a Security Lead, the others a Team
Lead (`treatment:`). An acceptance by a lower role is an error and the threat counts as open;
an approver that is neither a role nor a person under `approvers:` is a warning.

Passes::

    likelihood: Very High
    impact: Critical          # critical
    status: Accepted
    acceptance: {approver: CISO, reason: Vendor fix due, expires: 2027-01-31}

Fails::

    likelihood: Very High
    impact: Critical
    status: Accepted
    acceptance: {approver: Team Lead, reason: Vendor fix due, expires: 2027-01-31}
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.rules.context import Problem, RuleContext, threat_problem
from tmcheck.treatment import resolve_approver

ID = "acceptance-unauthorized"
LEVEL = "error"


def check(context: RuleContext) -> Iterator[Problem]:
    settings = context.settings
    for threat in context.threats:
        if threat.status != "accepted" or threat.acceptance_expired or threat.risk_level is None:
            continue
        approver = (threat.entry.acceptance or {}).get("approver")
        if not isinstance(approver, str) or not approver.strip():
            continue  # acceptance-incomplete says so
        needed = settings.treatment[threat.risk_level].approver
        approval = resolve_approver(approver, settings.roles, settings.approvers)
        if approval.role is None:
            yield threat_problem(
                threat,
                f"{threat.label}'s acceptance names {approver!r}, neither a role"
                f" ({', '.join(settings.roles)}) nor a person under approvers:;"
                f" a {threat.risk_level} threat needs {needed}",
                key="acceptance",
                level="warning",
            )  # fmt: skip
        elif threat.acceptance_unauthorized:
            who = f"{approver} ({approval.role})" if approval.person else approval.role
            yield threat_problem(
                threat,
                f"{threat.label} is {threat.risk_level}: acceptance needs {needed};"
                f" approved by {who}",
                key="acceptance",
            )  # fmt: skip
