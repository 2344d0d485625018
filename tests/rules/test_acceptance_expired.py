"""acceptance-expired: an acceptance past its `expires` date reopens the threat (today is
2026-06-01 in these tests)."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule, positions, rule_findings, run_rule

RULE = "acceptance-expired"


def test_an_acceptance_until_today_or_later_holds(tmp_path: Path) -> None:
    source = """\
        threats:
          - id: T1
            threat: Spoofing
            status: Accepted
            acceptance: {approver: CISO, reason: WAF rule, expires: 2026-06-01}
          - id: T2
            threat: Tampering
            status: Accepted
            acceptance: {approver: CISO, reason: Vendor fix due, expires: 2099-01-31}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_an_expired_acceptance_is_reported_at_it_and_reopens(tmp_path: Path) -> None:
    source = """\
        threats:
          - id: T1
            threat: Spoofing
            likelihood: 4
            impact: 4
            status: Accepted
            acceptance: {approver: CISO, reason: WAF rule, expires: 2026-05-31}
          - id: T2
            threat: Tampering
            status: Open
            acceptance: {approver: CISO, reason: not accepted, expires: 2020-01-01}
        """
    findings = rule_findings(RULE, source, tmp_path)
    assert positions(findings) == [(7, 5)]
    (finding,) = findings
    assert finding.message == "the acceptance of T1 expired on 2026-05-31; it counts as open"
    assert finding.level == "warning"
    assert [f.threat_id for f in run_rule("blocking-threat", {}, tmp_path)] == ["T1"]
