"""`text`: one finding per line, `path:line:column: level [rule] message`, then a summary.

With `--base`, the changes since the base come before the summary, most severe first, indented
so that tools reading `path:line:column:` lines do not take them for findings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tmcheck.escape import for_log
from tmcheck.findings import RunResult

if TYPE_CHECKING:
    from tmcheck.diff import Comparison


def render(result: RunResult) -> str:
    lines = [
        for_log(f"{f.path}:{f.line}:{f.column}: {f.level} [{f.rule}] {f.message}")
        for f in result.findings
    ]
    if result.comparison is not None and result.comparison.commit is not None:
        lines.extend(change_lines(result.comparison))
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


def summary_line(result: RunResult) -> str:
    files = len(result.files)
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
