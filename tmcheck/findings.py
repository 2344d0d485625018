"""Findings: the one result type every rule yields and every reporter consumes."""

from __future__ import annotations

import os
import sys
from typing import NamedTuple

from tmcheck.errors import debugging, describe_bug, write_traceback

LEVEL_ORDER = {"error": 0, "warning": 1, "note": 2}
INTERNAL_ERROR = "internal-error"  # a bug: its level is always error, and the exit code 3


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


def internal_error(
    path: str, error: BaseException, what: str = "tmcheck failed on this file"
) -> Finding:
    """The finding for a bug met while checking `path` (`.` for the run): the run goes on.
    With TMCHECK_DEBUG=1 the traceback goes to standard error too."""
    if debugging(os.environ):
        write_traceback(error, sys.stderr)
    return Finding(path, 1, 1, INTERNAL_ERROR, "error", describe_bug(error, what))
