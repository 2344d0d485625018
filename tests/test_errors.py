"""The error and exit policy: a bug is exit 3 and names where it happened, in one rule or one
file, without hiding what the rest of the run found; TMCHECK_DEBUG=1 shows its traceback."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

import tmcheck.rules.unknown_status
from tests.support.cli import RunCli
from tmcheck.config import Settings
from tmcheck.errors import ExitCode, UsageError, report_error
from tmcheck.findings import Finding
from tmcheck.rules import RULES, apply_levels
from tmcheck.rules.context import Problem, RuleContext

# An unknown status (the rule that is made to fail), an unowned high threat (a later rule,
# missing-owner) and an element without threats (the later stride-coverage).
MODEL = """\
components:
  - {name: Web, type: process}
flows: []
"""
THREATS = """\
threats:
  - {id: T1, component: Web, threat: Spoofing, risk: HIGH, status: Pondering}
"""


def _broken(context: RuleContext) -> Iterator[Problem]:
    yield from ()
    raise ZeroDivisionError


def test_a_failing_rule_hides_no_later_rule(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "architecture.yaml").write_text(MODEL)
    (tmp_path / "register.yaml").write_text(THREATS)
    healthy = run_cli("check", "--format", "json", ".", cwd=tmp_path)
    monkeypatch.setattr(tmcheck.rules.unknown_status, "check", _broken)
    broken = run_cli("check", ".", cwd=tmp_path)

    rules = {line.split("[")[1].split("]")[0] for line in broken.stdout.splitlines() if "[" in line}
    assert {"missing-owner", "stride-coverage"} <= rules
    assert "unknown-status" in healthy.stdout and "unknown-status" not in rules
    assert broken.stdout.splitlines()[0].startswith(
        ".:1:1: error [internal-error] rule unknown-status failed (ZeroDivisionError at"
    )
    assert (healthy.code, broken.code) == (ExitCode.FINDINGS, ExitCode.INTERNAL)
    assert "Traceback" not in broken.stdout + broken.stderr


def test_every_rule_runs_in_its_own_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whichever rule fails, every other rule still reports."""
    from tmcheck.rules import iter_rule_findings

    context = RuleContext((), (), Settings())
    for rule_id, module in RULES.items():
        monkeypatch.setattr(module, "check", _broken)
        findings = list(iter_rule_findings(context))
        assert [f.message.split(" (")[0] for f in findings] == [f"rule {rule_id} failed"]
        monkeypatch.undo()


def test_an_internal_error_cannot_be_configured_away(run_cli: RunCli, tmp_path: Path) -> None:
    (tmp_path / ".tmcheck.yaml").write_text("rules: {internal-error: off}\n")
    result = run_cli("check", cwd=tmp_path)
    assert result.code == ExitCode.USAGE
    assert result.stderr == (
        "tmcheck: error: .tmcheck.yaml:1:9: rules.internal-error: the level of"
        " internal-error cannot be changed: it reports a bug in tmcheck, and a run that met one"
        " must not pass\n"
    )
    bug = Finding(".", 1, 1, "internal-error", "error", "rule x failed")
    assert apply_levels([bug], {"internal-error": "off"}) == [bug]
    assert apply_levels([bug], {"internal-error": "warning"}) == [bug]


def test_debug_prints_the_traceback_of_an_internal_error(
    run_cli: RunCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "architecture.yaml").write_text(MODEL)
    monkeypatch.setattr(tmcheck.rules.unknown_status, "check", _broken)
    monkeypatch.setenv("TMCHECK_DEBUG", "1")
    result = run_cli("check", ".", cwd=tmp_path)
    assert result.code == ExitCode.INTERNAL
    traceback = capsys.readouterr().err
    assert traceback.startswith("Traceback (most recent call last):")
    assert "ZeroDivisionError" in traceback and "_broken" in traceback
    monkeypatch.delenv("TMCHECK_DEBUG")
    run_cli("check", ".", cwd=tmp_path)
    assert capsys.readouterr().err == ""


def test_one_formatter_for_every_error() -> None:
    def failed() -> None:
        raise KeyError("secret content of the file")

    try:
        failed()
    except KeyError as error:
        bug = error
    told = io.StringIO()
    assert report_error(bug, told, {}) == ExitCode.INTERNAL
    assert told.getvalue() == (
        f"tmcheck: internal error (KeyError at test_errors.py:{failed.__code__.co_firstlineno + 1});"
        " this is a bug, please report it at https://github.com/tmcheck/tmcheck/issues\n"
    )
    debug = io.StringIO()
    assert report_error(bug, debug, {"TMCHECK_DEBUG": "1"}) == ExitCode.INTERNAL
    assert debug.getvalue().startswith("Traceback (most recent call last):")
    assert debug.getvalue().endswith(told.getvalue())

    told = io.StringIO()
    assert report_error(UsageError("bad\x1b[31m"), told, {}) == ExitCode.USAGE
    assert told.getvalue() == "tmcheck: error: bad\\x1b[31m\n"
    told = io.StringIO()
    assert report_error(KeyboardInterrupt(), told, {}) == ExitCode.INTERRUPTED
    assert told.getvalue() == "tmcheck: interrupted\n"
