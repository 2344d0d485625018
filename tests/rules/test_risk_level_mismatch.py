"""risk-level-mismatch: a declared level that disagrees with likelihood x impact."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "risk-level-mismatch"


def test_an_agreeing_level_passes(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, likelihood: 2, impact: 5, risk: Medium}
          - {id: T2, threat: Spoofing, risk: High}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_a_disagreeing_level_at_the_declared_value(tmp_path: Path) -> None:
    source = """\
        threats:
          - id: T1
            threat: Spoofing
            likelihood: 2
            impact: 5
            risk: High
        """
    assert check_rule(RULE, source, tmp_path) == [(6, 5)]
