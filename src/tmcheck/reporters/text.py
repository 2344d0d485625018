"""`text`: one finding per line, `path:line:column: level [rule] message`, then a summary.

With `coverage`, the STRIDE coverage of each element comes before the summary, one line each.
"""

from __future__ import annotations

from tmcheck.coverage import KIND_NAMES, letters
from tmcheck.escape import for_log
from tmcheck.findings import Finding, RunResult


def render(result: RunResult, *, coverage: bool = False) -> str:
    lines = [finding_line(finding) for finding in result.findings]
    if coverage:
        lines += coverage_lines(result)
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def finding_line(finding: Finding) -> str:
    return for_log(
        f"{finding.path}:{finding.line}:{finding.column}: {finding.level} [{finding.rule}]"
        f" {finding.message}"
    )


def coverage_lines(result: RunResult) -> list[str]:
    """`path:line:column: kind 'name': covered S T; missing R D E`, after a heading line."""
    table = result.coverage
    if not table:
        return ["STRIDE coverage: the checked files have no architecture elements"]
    asked = sum(len(row.applicable) for row in table)
    covered = sum(len(row.covered) for row in table)
    complete = sum(1 for row in table if not row.missing)
    lines = [
        f"STRIDE coverage: {covered} of {asked} categories covered; {complete} of"
        f" {_count(len(table), 'element')} complete"
    ]
    for row in table:
        element = row.element
        parts = [f"covered {letters(row.covered)}"] if row.covered else []
        parts += [f"missing {letters(row.missing)}"] if row.missing else []
        kind = KIND_NAMES.get(element.kind, element.kind)
        lines.append(
            for_log(
                f"{element.path}:{element.line}:{element.column}: {kind} {element.name!r}:"
                f" {'; '.join(parts)}"
            )
        )
    return lines


def summary_line(result: RunResult) -> str:
    files = len(result.files)
    threats = len(result.threats)
    verdict = "passed" if result.passed else "failed"
    return (
        f"tmcheck {verdict}: {_count(files, 'file')}, {_count(threats, 'threat')}"
        f" ({len(result.open_threats)} open, {len(result.blocking_threats)} blocking at"
        f" threshold {result.threshold}); {_count(result.errors, 'error')},"
        f" {_count(result.warnings, 'warning')}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
