"""blocking-threat: an open threat at or above the threshold (12) blocks."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "blocking-threat"


def test_below_the_threshold_or_closed_passes(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, likelihood: 2, impact: 4, status: Open}
          - {id: T2, threat: Tampering, likelihood: 5, impact: 5, status: Mitigated}
          - {id: T3, threat: Repudiation, risk: MEDIUM, status: Open}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_at_the_threshold_by_score_or_by_level_blocks(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, likelihood: 4, impact: 3, status: Open}
          - {id: T2, threat: Tampering, risk: HIGH, status: In progress}
          - {id: T3, threat: Repudiation, likelihood: 5, impact: 5, status: Accepted}
        """
    assert check_rule(RULE, source, tmp_path) == [(2, 5), (3, 5)]  # accepted is closed
