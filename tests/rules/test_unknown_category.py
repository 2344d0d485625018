"""unknown-category: a STRIDE threat's category is one of the six."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "unknown-category"


def test_names_initials_and_short_forms_pass(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: information disclosure}
          - {id: T2, threat: E}
          - {id: T3, threat: DoS}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_another_word_fails_at_the_category(tmp_path: Path) -> None:
    source = """\
        component: {name: Web, owner: Web Team}
        threats:
          - id: T1
            category: Privilege escalation
        """
    assert check_rule(RULE, source, tmp_path) == [(4, 5)]
