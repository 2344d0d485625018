"""risk-score-mismatch: a declared risk_score is likelihood x impact."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "risk-score-mismatch"


def test_a_right_score_passes(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, likelihood: Medium, impact: Critical, risk_score: 15}
          - {id: T2, threat: Spoofing, risk_score: 10}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_a_wrong_score_is_reported_at_it(tmp_path: Path) -> None:
    source = """\
        threats:
          - id: T1
            threat: Spoofing
            likelihood: 3
            impact: 5
            risk_score: 10
        """
    assert check_rule(RULE, source, tmp_path) == [(6, 5)]
