"""unknown-rating: ratings are numbers or words of their scale."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import check_rule, run_rule

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


def test_the_common_risk_scales_words_pass(tmp_path: Path) -> None:
    source = """\
        threats:
          - {id: T1, threat: Spoofing, likelihood: Likely, impact: Severe}
          - {id: T2, threat: Spoofing, likelihood: Plausible, impact: Catastrophic}
          - {id: T3, threat: Spoofing, likelihood: Almost certain, impact: Insignificant}
          - {id: T4, threat: Spoofing, likelihood: Rare, impact: Minor}
        """
    assert check_rule(RULE, source, tmp_path) == []


def test_the_message_is_short_and_says_what_was_meant(tmp_path: Path) -> None:
    files = {"model.yaml": "threats:\n  - {id: T1, threat: Spoofing, likelihood: Likley}\n"}
    (finding,) = run_rule(RULE, files, tmp_path)
    assert finding.message == (
        "T1: likelihood 'Likley' is neither 1 to 5 nor a scale word (very low 1, low 2,"
        " medium 3, high 4, very high 5, ...); did you mean 'likely'?"
    )


def test_a_range_is_read_in_a_markdown_cell_only(tmp_path: Path) -> None:
    markdown = """\
        | ID | Threat | STRIDE | Likelihood | Impact | Risk |
        |---|---|---|---|---|---|
        | 1 | Replayed token | Spoofing | Low\u2013Medium | Medium/High | Medium to High |
        | 2 | Forged header | Spoofing | Low-Mediun | 3-4 | High-Extreme |
        """
    assert check_rule(RULE, markdown, tmp_path, name="model.md") == [(4, 34), (4, 53)]
    register = "threats:\n  - {id: T1, threat: Spoofing, likelihood: Low-Medium, impact: 3}\n"
    assert check_rule(RULE, register, tmp_path / "register") == [(2, 32)]
