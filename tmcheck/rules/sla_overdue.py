"""sla-overdue: an open threat past the SLA of its level (`treatment:`) is overdue.

The clock starts at the threat's `identified:` date, else at the commit that first recorded it
at its current level (raising the level restarts it; lowering keeps it). Due is the start plus
the SLA: 24 hours for critical, 1 week for high, 1 month for medium, 1 quarter for low.

Passes (on 2026-06-01: due 2026-06-05)::

    - id: T003
      likelihood: High
      impact: Medium         # high: 1 week
      status: Open
      identified: 2026-05-29

Fails (on 2026-06-01: due 2026-05-13, overdue by 19 days)::

    - id: T003
      likelihood: High
      impact: Medium
      status: Open
      identified: 2026-05-06
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.rules.context import Problem, RuleContext, threat_problem
from tmcheck.wording import plural

ID = "sla-overdue"
LEVEL = "warning"


def check(context: RuleContext) -> Iterator[Problem]:
    settings = context.settings
    today = settings.today
    for threat in context.threats:
        clock = threat.clock
        if clock is None or not clock.overdue or clock.start is None or clock.due is None:
            continue
        assert threat.risk_level is not None
        if clock.source == "identified":
            origin = "identified"
        elif clock.commit:
            origin = f"commit {clock.commit[:7]}"
        else:
            origin = "not committed yet"
        sla = settings.treatment[threat.risk_level].sla_text
        open_for = plural((today - clock.start).days, "day")
        yield threat_problem(
            threat,
            f"{threat.label} ({threat.risk_level}) has been open {open_for}"
            f" since {clock.start.isoformat()} ({origin}); its SLA is {sla}:"
            f" overdue by {plural((today - clock.due).days, 'day')}",
            key="identified" if clock.source == "identified" else "status",
        )  # fmt: skip
