"""duplicate-element: element names are unique in an architecture."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "duplicate-element"


def test_distinct_names_pass(tmp_path: Path) -> None:
    source = """\
        components:
          - {name: User DB, type: datastore}
          - {name: Orders DB, type: datastore}
        trust_boundaries: [{name: User DB}]
        """
    assert check_rule(RULE, source, tmp_path, name="architecture.yaml") == []


def test_the_second_of_two_names_is_reported_at_its_name(tmp_path: Path) -> None:
    source = """\
        components:
          - {name: User DB, type: datastore}
          - {name: user  db, type: process}
        flows:
          - {name: Sync, from: User DB, to: User DB}
          - {name: sync, from: User DB, to: User DB}
        """
    assert check_rule(RULE, source, tmp_path, name="architecture.yaml") == [(3, 6), (6, 6)]
