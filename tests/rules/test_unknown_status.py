"""unknown-status: a status tmcheck does not know counts as open."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "unknown-status"


def test_known_statuses_pass(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, status: In progress}
          - {id: T2, threat: Spoofing, status: not applicable}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_an_unknown_status_at_it(tmp_path: Path) -> None:
    source = """\
        threats:
          - id: T1
            threat: Spoofing
            status: Parked
        """
    assert check_rule(RULE, source, tmp_path) == [(4, 5)]
