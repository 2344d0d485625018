"""`dialects:` in .tmcheck.yaml: a team's own threat lists, checked like registers."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import RunCli

CONFIG = """\
dialects:
  - name: risk-log
    files: ["security/risks.yaml"]
    threats: risks
    fields: {id: key, title: summary, category: stride, likelihood: probability,
             impact: consequence, status: state, mitigation: treatment, owner: assignee}
    statuses: {fixed: mitigated, wontfix: accepted, triage: open}
  - name: scanner export
    files: ["reports/*.threats.json"]
    fields: {id: ref, title: name, severity: level, status: resolution}
    statuses: {resolved: mitigated}
"""
RISKS = """\
project: shop
risks:
  - key: R-1
    summary: Card numbers in debug logs
    stride: I
    probability: 4
    consequence: 5
    state: triage
    assignee: payments
  - key: R-2
    summary: Admin panel on the public internet
    stride: S/E
    probability: 2
    consequence: 3
    state: fixed
  - key: R-3
    summary: Old TLS versions accepted
    probability: 3
    consequence: 4
    state: parked
"""
EXPORT = json.dumps(
    [
        {"ref": "X-1", "name": "SSRF in the image proxy", "level": "Critical", "resolution": "new"},
        {"ref": "X-2", "name": "Verbose errors", "level": "Low", "resolution": "resolved"},
    ]
)


def _repository(root: Path) -> None:
    (root / ".tmcheck.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "security").mkdir()
    (root / "security" / "risks.yaml").write_text(RISKS, encoding="utf-8")
    (root / "reports").mkdir()
    (root / "reports" / "scan.threats.json").write_text(EXPORT, encoding="utf-8")


def test_dialect_files_are_checked_like_registers(run_cli: RunCli, tmp_path: Path) -> None:
    _repository(tmp_path)
    result = run_cli("check", "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert [(f["path"], f["format"]) for f in report["files"]] == [
        ("reports/scan.threats.json", "dialect"), ("security/risks.yaml", "dialect"),
    ]  # fmt: skip
    threats = [
        (t["id"], t["line"], t["categories"], t["score"], t["level"], t["status"], t["owner"])
        for t in report["threats"]
    ]
    assert threats == [
        ("X-1", 1, [], None, "critical", "open", None),
        ("X-2", 1, [], None, "low", "mitigated", None),
        ("R-1", 3, ["Information Disclosure"], 20, "critical", "open", "payments"),
        ("R-2", 10, ["Spoofing", "Elevation of Privilege"], 6, "medium", "mitigated", None),
        ("R-3", 16, [], 12, "high", "unknown", None),
    ]
    findings = [(f["path"], f["line"], f["rule"]) for f in report["findings"]]
    assert ("security/risks.yaml", 8, "blocking-threat") not in findings  # at the entry
    assert ("security/risks.yaml", 3, "blocking-threat") in findings
    assert ("security/risks.yaml", 20, "unknown-status") in findings  # at its `state`
    assert ("reports/scan.threats.json", 1, "blocking-threat") in findings
    assert result.code == 1


def test_a_dialect_whose_key_holds_no_list(run_cli: RunCli, tmp_path: Path) -> None:
    _repository(tmp_path)
    (tmp_path / "security" / "risks.yaml").write_text("risks: none yet\n", encoding="utf-8")
    result = run_cli("check", "security/risks.yaml", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == (
        "security/risks.yaml:1:1: error [schema] risk-log: key 'risks' holds no list of threats"
    )


def test_the_dialects_config_is_checked(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / ".tmcheck.yaml").write_text(
        "dialects:\n  - files: [a.yaml]\n    fields: {identifier: key}\n", encoding="utf-8"
    )
    result = run_cli("check", cwd=tmp_path)
    assert result.code == 2
    assert "identifier" in result.stderr
