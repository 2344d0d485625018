"""unrated-threat: an open threat has a rating."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "unrated-threat"


def test_a_rating_of_any_kind_or_a_closed_status_passes(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, likelihood: Low, impact: Minor, status: Open}
          - {id: T2, threat: Spoofing, risk: LOW}
          - {id: T3, threat: Spoofing, status: Mitigated}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_an_open_threat_without_rating_at_the_threat(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, status: Open}
          - {id: T2, threat: Spoofing, likelihood: 3}
        """
    assert check_rule(RULE, source, tmp_path) == [(2, 5), (3, 5)]
