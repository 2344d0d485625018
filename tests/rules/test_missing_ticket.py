"""missing-ticket: a blocking threat has a ticket (a note)."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import positions, rule_findings

RULE = "missing-ticket"


def test_only_blocking_threats_without_a_ticket(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, likelihood: 4, impact: 4, status: Open}
          - {id: T2, threat: Spoofing, likelihood: 4, impact: 4, status: Open, ticket: "#7"}
          - {id: T3, threat: Spoofing, likelihood: 4, impact: 4, status: Open, mitigation: {ticket: SEC-1}}
          - {id: T4, threat: Spoofing, likelihood: 2, impact: 2, status: Open}
          - {id: T5, threat: Spoofing, likelihood: 4, impact: 4, status: Mitigated}
        """
    findings = rule_findings(RULE, source, tmp_path)
    assert positions(findings) == [(2, 5)]
    (finding,) = findings
    assert finding.level == "note"
    assert finding.message == "blocking threat T1 has no ticket tracking its treatment"
