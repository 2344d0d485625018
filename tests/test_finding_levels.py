"""Each finding's level is written in one place: FILE_CHECKS for file checks, the rule's module
for a rule; `.tmcheck.yaml` changes it the same way for both."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.cli import RunCli
from tests.support.paths import REPO
from tmcheck.file_checks import FILE_CHECKS, file_finding
from tmcheck.findings import INTERNAL_ERROR, LEVEL_ORDER, Finding, internal_error
from tmcheck.rules import DEFAULT_LEVELS, apply_levels

# The modules that may build a Finding: the registries of levels, and SARIF's own result about
# files outside the repository (in no other output, declared with its level in sarif.py).
_BUILDERS = {"findings.py", "file_checks.py", "rules/__init__.py", "reporters/sarif.py"}


def test_only_the_level_registries_build_findings() -> None:
    package = REPO / "tmcheck"
    elsewhere = []
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            called = node.func.id if isinstance(node.func, ast.Name) else None
            if isinstance(node.func, ast.Attribute):
                called = node.func.attr
            if called == "Finding" and name not in _BUILDERS:
                elsewhere.append(f"tmcheck/{name}:{node.lineno}")
    assert elsewhere == [], "use file_checks.file_finding or rules.rule_finding"


def test_every_declared_level_is_a_level() -> None:
    assert set(DEFAULT_LEVELS.values()) <= set(LEVEL_ORDER)
    for check_id, check in FILE_CHECKS.items():
        note = check.note_when is not None
        assert not note or check.level != "note", check_id  # a note below a note means nothing
        assert check.description.endswith(f"; a note when {check.note_when}") == note, check_id
    assert internal_error(".", ValueError("x")).level == FILE_CHECKS[INTERNAL_ERROR].level


def test_a_note_only_where_its_check_declares_one() -> None:
    assert file_finding("a.md", "markdown-table", "m").level == "error"
    assert file_finding("a.md", "markdown-table", "m", note=True).level == "note"
    with pytest.raises(ValueError, match="read-error declares no note"):
        file_finding("a.md", "read-error", "m", note=True)


def _finding(rule: str, level: str) -> Finding:
    return Finding("a.md", 1, 1, rule, level, "m")


@pytest.mark.parametrize(
    ("rule", "level", "configured", "expected"),
    [
        ("markdown-table", "error", "warning", "warning"),
        ("markdown-table", "note", "warning", "note"),  # a milder case is never raised
        ("markdown-table", "note", "error", "note"),
        ("markdown-table", "note", "off", None),
        ("duplicate-id", "warning", "note", "note"),  # ... but may be lowered
        ("duplicate-id", "warning", "error", "warning"),
        ("missing-owner", "warning", "error", "error"),  # the default level may be raised
        ("status-not-set", "note", "error", "error"),
        (INTERNAL_ERROR, "error", "off", "error"),
    ],
)
def test_configured_levels(rule: str, level: str, configured: str, expected: str | None) -> None:
    adjusted = apply_levels([_finding(rule, level)], {rule: configured})
    assert [finding.level for finding in adjusted] == ([expected] if expected else [])


def _markdown_files(folder: Path, config: str) -> None:
    (folder / ".tmcheck.yaml").write_text(config, encoding="utf-8")
    (folder / "README.md").write_text("# Project\n\nNo threats here.\n", encoding="utf-8")
    (folder / "tm.md").write_text(
        "# Threat Model: Mailer\n\n## Threats\n\n| ID | Threat | STRIDE | Likelihood | Impact |\n"
        "|---|---|---|---|---|\n| M1 | Spoofed sender | Spoofing | 1 |\n",
        encoding="utf-8",
    )


def test_markdown_table_configured_as_documented(run_cli: RunCli, tmp_path: Path) -> None:
    _markdown_files(tmp_path, "rules: {markdown-table: warning}\n")
    result = run_cli("check", "README.md", "tm.md", cwd=tmp_path)
    assert [line.split(" [")[0] for line in result.stdout.splitlines()[:2]] == [
        "README.md:1:1: note", "tm.md:7:1: warning",
    ]  # fmt: skip
    assert result.code == 0
    _markdown_files(tmp_path, "rules: {markdown-table: off}\n")
    result = run_cli("check", "README.md", "tm.md", cwd=tmp_path)
    assert "markdown-table" not in result.stdout and result.code == 0
