"""sla-overdue: an open threat past its SLA (today is 2026-06-01 in these tests; the clocks
read from git history are in tests/test_sla_clock.py)."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import positions, rule_findings

RULE = "sla-overdue"


def test_due_today_is_not_overdue_the_day_after_is(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, likelihood: 5, impact: 5, status: Open, identified: 2026-05-31}
          - {id: T2, threat: Spoofing, likelihood: 5, impact: 5, status: Open, identified: 2026-05-30}
          - {id: T3, threat: Spoofing, likelihood: 1, impact: 1, status: Open, identified: 2020-01-01}
          - {id: T4, threat: Spoofing, likelihood: 5, impact: 5, status: Mitigated, identified: 2020-01-01}
        """
    findings = rule_findings(RULE, source, tmp_path)
    assert positions(findings) == [(3, 72)]  # info has no SLA; closed: no clock
    (finding,) = findings
    assert finding.message == (
        "T2 (critical) has been open 2 days since 2026-05-30 (identified); its SLA is 24 hours:"
        " overdue by 1 day"
    )
    assert finding.level == "warning"
