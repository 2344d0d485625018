"""What a rule sees: every file and threat of the run, and the settings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tmcheck.config import Settings
from tmcheck.findings import FileResult, Finding
from tmcheck.model import Threat


@dataclass(frozen=True, slots=True)
class RuleContext:
    files: Sequence[FileResult]
    threats: Sequence[Threat]
    settings: Settings


def threat_finding(
    threat: Threat, rule: str, level: str, message: str, key: str | None = None
) -> Finding:
    """A finding about `threat`, at the line of its `key` (or of the entry when not given)."""
    entry = threat.entry
    line, column = entry.position_of(key) if key else (entry.line, entry.column)
    return Finding(entry.path, line, column, rule, level, message, entry.id)
