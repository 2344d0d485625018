"""The command line end to end: exit codes, exact output, and the JSON contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import RunCli


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


CLEAN = """\
component: {name: Docs site, owner: Web Team}
threats:
  - id: W001
    category: Tampering
    description: Defacement through the CMS
    likelihood: Low
    impact: Minor
    risk_score: 4
    status: Open
"""


def test_clean_model_exits_zero_with_a_summary_only(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / "model.yaml", CLEAN)
    result = run_cli("check", "model.yaml", cwd=tmp_path)
    assert (result.code, result.stderr) == (0, "")
    assert result.stdout == (
        "tmcheck passed: 1 file, 1 threat (1 open, 0 blocking at threshold 12); 0 errors, 0 warnings\n"
    )


def test_threshold_from_the_command_line(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / "model.yaml", CLEAN)
    result = run_cli("check", "--threshold", "4", "model.yaml", cwd=tmp_path)
    assert result.code == 1
    assert result.stdout.splitlines()[0] == (
        "model.yaml:3:5: error [blocking-threat] open threat W001 (Open) scores 2 x 2 = 4 (low),"
        " at or above the threshold 4"
    )


def test_json_report_contract(run_cli: RunCli) -> None:
    result = run_cli(
        "check", "--no-config", "--format", "json", "fixtures/seed/stride-worksheet.yaml"
    )
    report = json.loads(result.stdout)
    assert set(report) == {
        "version",
        "passed",
        "threshold",
        "files",
        "threats",
        "findings",
        "summary",
    }
    assert report["version"] == 1 and report["threshold"] == 12
    assert set(report["files"][0]) == {"path", "format", "valid", "threats"}
    assert set(report["threats"][0]) >= {
        "id", "path", "line", "component", "category", "categories", "title", "likelihood",
        "impact", "score", "level", "level_model", "status", "status_raw", "open", "blocking",
    }  # fmt: skip
    assert set(report["findings"][0]) == {
        "rule", "level", "path", "line", "column", "message", "threat_id",
    }  # fmt: skip
    assert set(report["summary"]) == {
        "files", "threats", "open", "blocking", "overdue", "errors", "warnings", "notes",
    }  # fmt: skip
    assert report["threats"][0] == {
        "id": "T001",
        "path": "fixtures/seed/stride-worksheet.yaml",
        "line": 9,
        "component": "API Gateway",
        "category": "Spoofing",
        "categories": ["Spoofing"],
        "title": "Attacker forges JWT tokens to impersonate users",
        "likelihood": 3,
        "impact": 5,
        "score": 15,
        "level": "high",
        "level_model": "bands",
        "status": "partially_mitigated",
        "status_raw": "Mitigated (partial)",
        "open": True,
        "blocking": True,
        "owner": "Auth Team",
        "treatment": {
            "action": "Remediation in current sprint", "sla": "1 week", "approver": "Security Lead",
        },
        # the test's git history is not read (TMCHECK_HISTORY_COMMITS=0): the start is unknown
        "clock_start": None,
        "clock_source": None,
        "clock_commit": None,
        "clock_unknown": "git history not read (history_commits: 0)",
        "due": None,
        "overdue": False,
        "acceptance_unauthorized": False,
        "ticket": None,
        "ticket_url": None,
    }  # fmt: skip


def test_matrix_level_model(run_cli: RunCli, tmp_path: Path) -> None:
    _write(
        tmp_path / "model.yaml",
        "component: {name: X, owner: Y}\n"
        "threats:\n"
        "  - {id: M1, category: Spoofing, likelihood: 2, impact: 5, status: Open}\n"
        "  - {id: M2, category: Spoofing, likelihood: 1, impact: 5, status: Open}\n",
    )
    bands = json.loads(run_cli("check", "--format", "json", "model.yaml", cwd=tmp_path).stdout)
    matrix = json.loads(
        run_cli(
            "check", "--format", "json", "--level-model", "matrix", "model.yaml", cwd=tmp_path
        ).stdout
    )
    assert [(t["score"], t["level"], t["level_model"]) for t in bands["threats"]] == [
        (10, "medium", "bands"), (5, "low", "bands"),
    ]  # fmt: skip
    assert [(t["score"], t["level"], t["level_model"]) for t in matrix["threats"]] == [
        (10, "high", "matrix"), (5, "medium", "matrix"),
    ]  # fmt: skip
    # the gate compares scores whatever model gives the level
    assert not any(t["blocking"] for t in matrix["threats"])


def test_bad_files_are_reported_and_the_others_still_checked(
    run_cli: RunCli, tmp_path: Path
) -> None:
    _write(tmp_path / "a-broken.yaml", "threats: [\n")
    (tmp_path / "b-latin1.yaml").write_bytes(b"component: {name: caf\xe9}\n")
    _write(tmp_path / "c-good.yaml", CLEAN)
    result = run_cli(
        "check", "a-broken.yaml", "b-latin1.yaml", "c-good.yaml", "missing.yaml", cwd=tmp_path
    )
    assert result.code == 1 and result.stderr == ""
    assert result.stdout.splitlines() == [
        "a-broken.yaml:2:1: error [parse-error] invalid YAML: did not find expected node content (while parsing a flow node)",
        "b-latin1.yaml:1:22: error [parse-error] not valid UTF-8 at byte offset 21 (tmcheck reads UTF-8 only)",
        "missing.yaml:1:1: error [read-error] no such file or directory",
        "tmcheck failed: 3 files, 1 threat (1 open, 0 blocking at threshold 12); 3 errors, 0 warnings",
    ]


def test_directories_are_walked_and_other_yaml_skipped(run_cli: RunCli, tmp_path: Path) -> None:
    _write(tmp_path / "models" / "web.yaml", CLEAN)
    _write(tmp_path / "models" / "ci.yaml", "name: CI\non: push\n")
    _write(tmp_path / ".github" / "workflows" / "x.yaml", "not: [valid")
    result = run_cli("check", "--format", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert [(f["path"], f["format"]) for f in report["files"]] == [
        ("models/web.yaml", "stride-worksheet"),
    ]  # skipped files are not counted
    assert report["summary"]["files"] == 1
    assert result.code == 0


def test_usage_errors_exit_two(run_cli: RunCli) -> None:
    result = run_cli("check", "--format", "xml")
    assert result.code == 2 and result.stdout == ""
    assert result.stderr.startswith("tmcheck: error: argument --format: invalid choice: 'xml'")
    assert run_cli().code == 0  # `tmcheck` alone prints the help
    assert run_cli("check", "--config", "nope.yaml").stderr == (
        "tmcheck: error: --config nope.yaml: no such file\n"
    )


def test_help_and_version(run_cli: RunCli) -> None:
    assert run_cli("--help").code == 0
    version = run_cli("--version")
    assert version.code == 0 and version.stdout.startswith("tmcheck ")


def test_rules_command_documents_every_rule(run_cli: RunCli) -> None:
    from tmcheck.rules import RULES

    listing = run_cli("rules")
    assert listing.code == 0
    for rule_id, module in RULES.items():
        assert f"{rule_id} " in listing.stdout
        doc = run_cli("rules", rule_id).stdout
        assert "Passes" in doc and "Fails" in doc, rule_id
        assert module.LEVEL in ("error", "warning", "note")
    assert run_cli("rules", "nope").code == 2


def test_internal_error_is_reported_not_raised(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in one file's processing is an internal-error finding and exit code 3."""
    import tmcheck.file_checker

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError

    monkeypatch.setattr(tmcheck.file_checker, "normalize", broken)
    _write(tmp_path / "model.yaml", CLEAN)
    result = run_cli("check", "model.yaml", cwd=tmp_path)
    assert result.code == 3
    assert "[internal-error] tmcheck failed on this file (ZeroDivisionError at" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_declared_score_alone_blocks_by_its_number(run_cli: RunCli, tmp_path: Path) -> None:
    _write(
        tmp_path / "register.yaml",
        "threats:\n  - {id: R1, threat: Spoofing, risk: 25, status: Open, owner: me}\n",
    )
    result = run_cli("check", "register.yaml", cwd=tmp_path)
    assert result.stdout.splitlines()[0] == (
        "register.yaml:2:5: error [blocking-threat] open threat R1 (Open) scores 25 (critical),"
        " at or above the threshold 12"
    )


def test_an_id_with_any_whitespace_is_a_schema_error(run_cli: RunCli, tmp_path: Path) -> None:
    """Python's `$` matches before a final line break: "T2\\n" must not pass as an id."""
    _write(
        tmp_path / "model.yaml",
        "component: {name: X, owner: Y}\nthreats:\n"
        '  - {id: "T 1", category: Spoofing}\n  - {id: "T2\\n", category: Spoofing}\n'
        '  - {id: "T\\t3", category: Spoofing}\n  - {id: "T4", category: Spoofing}\n',
    )
    result = run_cli("check", "--format", "json", "model.yaml", cwd=tmp_path)
    schema = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == "schema"]
    assert [(f["line"], f["message"]) for f in schema] == [
        (3, "$.threats[0].id: 'T 1' is not one word: no spaces, tabs or line breaks"),
        (4, "$.threats[1].id: 'T2\\n' is not one word: no spaces, tabs or line breaks"),
        (5, "$.threats[2].id: 'T\\t3' is not one word: no spaces, tabs or line breaks"),
    ]
