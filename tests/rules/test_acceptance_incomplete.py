"""acceptance-incomplete: an accepted threat says who accepted it, why, and until when."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule, positions, rule_findings

RULE = "acceptance-incomplete"


def test_a_complete_acceptance_passes(tmp_path: Path) -> None:
    source = """\
        threats:
          - id: T1
            threat: Spoofing
            status: Accepted
            acceptance: {approver: Security Lead, reason: WAF, expires: 2027-06-30}
          - id: T2
            threat: Tampering
            status: Open
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_what_is_missing_is_named_at_the_acceptance_or_the_status(tmp_path: Path) -> None:
    source = """\
        threats:
          - id: T1
            threat: Spoofing
            status: Accepted
          - id: T2
            threat: Tampering
            status: accepted
            acceptance: {approver: Security Lead, reason: ""}
        """
    findings = rule_findings(RULE, source, tmp_path)
    assert positions(findings) == [(4, 5), (8, 5)]
    messages = [finding.message for finding in findings]
    assert messages == [
        "accepted threat T1 has no acceptance approver, reason, expires",
        "accepted threat T2 has no acceptance reason, expires",
    ]
