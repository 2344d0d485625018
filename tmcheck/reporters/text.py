"""`text`: one finding per line, `path:line:column: level [rule] message`, then a summary.

With `quiet` only the findings are written. With `color`, levels, rule ids and the verdict are
coloured with ANSI codes around text that was escaped first, so no file can colour anything.

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
from tmcheck.wording import plural

if TYPE_CHECKING:
    from tmcheck.diff import Comparison


# What a blocking threat's owner can do; the summary says it once, `tmcheck rules
# blocking-threat` says it at length.
UNBLOCK_HINT = (
    "to unblock a threat: mitigate it (and set its status), re-rate it with a reason, or accept"
    " it with acceptance: {approver, reason, expires}; see `tmcheck rules blocking-threat`"
)
_COLORS = {"error": "1;31", "warning": "33", "note": "36", "rule": "2", "path": "1"}
_VERDICT_COLORS = {"passed": "1;32", "failed": "1;31"}


def render(
    result: RunResult, *, coverage: bool = False, quiet: bool = False, color: bool = False
) -> str:
    lines = [finding_line(finding, color=color) for finding in result.findings]
    if not quiet:
        if result.comparison is not None and result.comparison.commit is not None:
            lines.extend(change_lines(result.comparison))
        if coverage:
            lines += coverage_lines(result)
        lines.append(summary_line(result, color=color))
        if any(f.rule == "blocking-threat" and f.level == "error" for f in result.findings):
            lines.append(UNBLOCK_HINT)  # only when a threat fails the run
    return "".join(line + "\n" for line in lines)


def _paint(text: str, code: str | None, color: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if color and code else text


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
    """What `-v` adds: each walked file passed over, and why; why no context was read."""
    lines = [for_log(f"skipped {file.path}: {file.skipped}") for file in result.skipped]
    return lines + ([for_log(f"context: {result.no_context}")] if result.no_context else [])


def finding_line(finding: Finding, *, color: bool = False) -> str:
    if not color:
        return for_log(
            f"{finding.path}:{finding.line}:{finding.column}: {finding.level} [{finding.rule}]"
            f" {finding.message}"
        )
    # escaped part by part (the escaper works per character), then coloured
    where = _paint(for_log(f"{finding.path}:{finding.line}:{finding.column}:"), "1", True)
    level = _paint(finding.level, _COLORS.get(finding.level), True)
    rule = _paint(f"[{for_log(finding.rule)}]", _COLORS["rule"], True)
    return f"{where} {level} {rule} {for_log(finding.message)}"


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
        f" {plural(len(table), 'element')} complete"
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


def summary_line(result: RunResult, *, color: bool = False) -> str:
    files = len(result.files)
    if result.no_threat_models and not result.errors:
        verdict = "passed" if result.passed else "failed"
        return (
            f"tmcheck {verdict}: no threat model found; {plural(result.errors, 'error')},"
            f" {plural(result.warnings, 'warning')}"
        )
    threats = len(result.threats)
    verdict = "passed" if result.passed else "failed"
    gate = f", gate new: {len(result.debt)} existing not blocking" if result.gate == "new" else ""
    notes = f", {plural(result.notes, 'note')}" if result.notes else ""
    return (
        f"{_paint(f'tmcheck {verdict}', _VERDICT_COLORS[verdict], color)}:"
        f" {plural(files, 'file')}, {plural(threats, 'threat')}"
        f" ({len(result.open_threats)} open, {len(result.blocking_threats)} blocking at"
        f" threshold {result.threshold}{gate}); {plural(result.errors, 'error')},"
        f" {plural(result.warnings, 'warning')}{notes}"
    )
