"""acceptance-unauthorized: an acceptance needs the level's approver or a higher role."""

from __future__ import annotations

from pathlib import Path

from tests.support.rules import TODAY, positions, rule_findings, run_rule
from tmcheck.config import Settings

RULE = "acceptance-unauthorized"
SOURCE = """\
    threats:
      - id: T1
        threat: Spoofing
        likelihood: 5
        impact: 5
        status: Accepted
        acceptance: {approver: Team Lead, reason: r, expires: 2099-01-01}
      - id: T2
        threat: Spoofing
        likelihood: 5
        impact: 5
        status: Accepted
        acceptance: {approver: carol, reason: r, expires: 2099-01-01}
      - id: T3
        threat: Spoofing
        likelihood: 2
        impact: 3
        status: Accepted
        acceptance: {approver: Dave, reason: r, expires: 2099-01-01}
    """


def test_a_lower_role_is_an_error_and_the_threat_stays_open(tmp_path: Path) -> None:
    findings = rule_findings(RULE, SOURCE, tmp_path)
    assert positions(findings) == [(7, 5), (13, 5), (19, 5)]
    assert [(f.threat_id, f.level) for f in findings] == [
        ("T1", "error"), ("T2", "warning"), ("T3", "warning"),
    ]  # fmt: skip
    assert findings[0].message == "T1 is critical: acceptance needs CISO; approved by Team Lead"
    blocking = [f.threat_id for f in run_rule("blocking-threat", {}, tmp_path)]
    assert blocking == ["T1"]  # carol is nobody the config knows: a warning, the acceptance stands


def test_a_person_counts_with_their_highest_role(tmp_path: Path) -> None:
    settings = Settings(
        root=tmp_path, today=TODAY, approvers={"Security Lead": ("carol",), "CISO": ("Carol",)}
    )
    findings = run_rule(RULE, {"model.yaml": _dedent(SOURCE)}, tmp_path, settings=settings)
    assert [f.threat_id for f in findings] == ["T1", "T3"]
    blocking = run_rule("blocking-threat", {}, tmp_path, settings=settings)
    assert [f.threat_id for f in blocking] == ["T1"]


def _dedent(text: str) -> str:
    import textwrap

    return textwrap.dedent(text)
