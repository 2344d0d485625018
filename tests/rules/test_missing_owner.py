"""missing-owner: an open high or critical threat has an owner."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "missing-owner"


def test_an_owner_or_a_lower_risk_passes(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, risk: HIGH, status: Open, owner: Backend Team}
          - {id: T2, threat: Tampering, risk: MEDIUM, status: Open}
          - {id: T3, threat: Tampering, risk: CRITICAL, status: Mitigated}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_an_open_high_threat_without_owner_fails(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, risk: HIGH, status: Open}
          - {id: T2, threat: Tampering, likelihood: 5, impact: 5}
        """
    assert check_rule(RULE, source, tmp_path) == [(2, 5), (3, 5)]
