"""`text`: one finding per line, `path:line:column: level [rule] message`, then a summary.

With `--base`, the changes since the base come before the summary, most severe first, indented
so that tools reading `path:line:column:` lines do not take them for findings. With `coverage`,
the STRIDE coverage of each element comes before the summary, one line each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tmcheck.coverage import KIND_NAMES, letters
from tmcheck.escape import for_log
from tmcheck.findings import Finding
from tmcheck.results import RunResult

if TYPE_CHECKING:
    from tmcheck.diff import Comparison


def render(result: RunResult, *, coverage: bool = False) -> str:
    lines = [finding_line(finding) for finding in result.findings]
    if result.comparison is not None and result.comparison.commit is not None:
        lines.extend(change_lines(result.comparison))
    if coverage:
        lines += coverage_lines(result)
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def change_lines(comparison: Comparison) -> list[str]:
    from tmcheck.diff import count_by_kind

    assert comparison.commit is not None
    since = f"since {comparison.ref} ({comparison.commit[:12]})"
    if not comparison.changes:
        return [for_log(f"no threat changed {since}")]
    counts = ", ".join(f"{n} {kind}" for kind, n in count_by_kind(comparison.changes).items())
    lines = [for_log(f"changes {since}: {counts}")]
    for change in comparison.changes:
        # a removed threat is shown where it was at the base
        at = "was at" if change.after is None else "at"
        where = f"{at} {change.path}:{change.line}"
        lines.append(for_log(f"  {change.kind:8} {change.threat.label} {where}: {change.detail}"))
    return lines


def skipped_lines(result: RunResult) -> list[str]:
    """What `-v` adds: each walked file passed over, and why."""
    return [for_log(f"skipped {file.path}: {file.skipped}") for file in result.skipped]


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
    if result.no_threat_models and not result.errors:
        verdict = "passed" if result.passed else "failed"
        return (
            f"tmcheck {verdict}: no threat model found; {_count(result.errors, 'error')},"
            f" {_count(result.warnings, 'warning')}"
        )
    threats = len(result.threats)
    verdict = "passed" if result.passed else "failed"
    gate = f", gate new: {len(result.debt)} existing not blocking" if result.gate == "new" else ""
    return (
        f"tmcheck {verdict}: {_count(files, 'file')}, {_count(threats, 'threat')}"
        f" ({len(result.open_threats)} open, {len(result.blocking_threats)} blocking at"
        f" threshold {result.threshold}{gate}); {_count(result.errors, 'error')},"
        f" {_count(result.warnings, 'warning')}"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
