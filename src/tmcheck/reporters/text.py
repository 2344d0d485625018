"""`text`: one finding per line, `path:line:column: level [rule] message`, then a summary."""

from __future__ import annotations

from tmcheck.escape import for_log
from tmcheck.findings import RunResult


def render(result: RunResult) -> str:
    lines = [
        for_log(f"{f.path}:{f.line}:{f.column}: {f.level} [{f.rule}] {f.message}")
        for f in result.findings
    ]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


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
