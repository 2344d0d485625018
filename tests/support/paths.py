"""Where the tests find the repository, its fixtures and the team's shared folder of real files,
and how a test that needs something missing skips (or fails, in CI)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURES = REPO / "fixtures"
SHARED = Path(os.environ.get("TMCHECK_SHARED", REPO.parent / "shared"))
# CI sets TMCHECK_REQUIRE_ALL=1: what would be skipped on a user's clone must run there.
REQUIRE_ALL = os.environ.get("TMCHECK_REQUIRE_ALL") == "1"


def need(condition: bool, reason: str) -> None:
    """Skip when `condition` is false, or fail when CI requires every test to run."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required by TMCHECK_REQUIRE_ALL=1 but unavailable: {reason}")
    pytest.skip(reason)
