"""duplicate-id: a threat id is defined once across the run."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "duplicate-id"


def test_distinct_ids_pass(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing}
          - {id: T2, threat: Spoofing}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_a_repeated_id_is_reported_where_it_repeats(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing}
          - {id: T1, threat: Tampering}
        """
    other = {
        "other.yaml": "threats:\n  - {id: T2, threat: Spoofing}\n  - {id: T1, threat: Spoofing}\n"
    }
    assert check_rule(RULE, source, tmp_path, others=other) == [(3, 6)]
