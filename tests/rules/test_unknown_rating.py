"""unknown-rating: ratings are numbers or words of their scale."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule

RULE = "unknown-rating"


def test_numbers_and_scale_words_pass(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, likelihood: Medium, impact: 4}
          - {id: T2, threat: Spoofing, risk: 4 x 5}
          - {id: T3, threat: Spoofing, risk: HIGH}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_an_unknown_word_at_its_key(tmp_path: Path) -> None:
    source = """\
        threats:
          - id: T1
            threat: Spoofing
            likelihood: Mediun
            impact: 3
          - {id: T2, threat: Spoofing, risk: very bad}
        """
    assert check_rule(RULE, source, tmp_path) == [(4, 5), (6, 32)]
