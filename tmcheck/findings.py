"""Findings: the one result type every rule yields and every reporter consumes."""

from __future__ import annotations

from typing import NamedTuple

LEVEL_ORDER = {"error": 0, "warning": 1, "note": 2}


class Finding(NamedTuple):
    """Something a person should look at, at a file, line and column."""

    path: str
    line: int
    column: int
    rule: str
    level: str  # "error", "warning" or "note"
    message: str
    threat_id: str | None = None
    threat_title: str | None = None  # names a threat without an id (SARIF fingerprints)
