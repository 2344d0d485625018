"""The suite-wide fixtures: the team's shared folder of real files, and the CLI run in-process.
Helpers live in `tests/support/`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.cli import RunCli, cli_runner
from tests.support.paths import SHARED, need


@pytest.fixture
def shared() -> Path:
    need(
        (SHARED / "corpus").is_dir(), f"the shared folder of real threat models is not at {SHARED}"
    )
    return SHARED


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run `tmcheck ARGS` in-process in `cwd` (default: the repository) and capture it."""
    return cli_runner(monkeypatch)
