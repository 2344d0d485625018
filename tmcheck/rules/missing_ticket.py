"""missing-ticket: a blocking threat has a ticket that tracks its treatment.

A threat's `ticket` (a register's `mitigation.ticket`; a `ticket` key in worksheets; a Ticket
column in Markdown) is `#123` for an issue of this repository, or any id that `ticket_url:`
turns into a link.

Passes::

    - id: T003
      likelihood: High
      impact: High
      status: Open
      ticket: "#123"

Fails::

    - id: T003
      likelihood: High
      impact: High
      status: Open        # blocking, and nothing tracks it
"""

from __future__ import annotations

from collections.abc import Iterator

from tmcheck.rules.context import Problem, RuleContext, threat_problem
from tmcheck.wording import plural

ID = "missing-ticket"
LEVEL = "note"
# A note each for the first ones; a model with thousands of blocking threats gets one more
# note counting the rest, not thousands of lines repeating the blocking-threat errors.
MAX_NOTES = 100


def check(context: RuleContext) -> Iterator[Problem]:
    missing = [
        threat
        for threat in context.threats
        if threat.blocking and not (threat.entry.ticket or "").strip()
    ]
    for threat in missing[:MAX_NOTES]:
        yield threat_problem(
            threat, f"blocking threat {threat.label} has no ticket tracking its treatment"
        )
    if len(missing) > MAX_NOTES:
        rest = len(missing) - MAX_NOTES
        yield threat_problem(
            missing[MAX_NOTES],
            f"and {plural(rest, 'more blocking threat')} have no ticket"
            f" ({missing[MAX_NOTES].label} and those after it)",
        )
