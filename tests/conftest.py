"""The suite-wide fixtures: the team's shared folder of real files, and the CLI run in-process;
and a temporary folder of the session's own. Helpers live in `tests/support/`."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli import RunCli, cli_runner
from tests.support.paths import SHARED, need


@pytest.fixture(autouse=True)
def _working_directory_restored() -> Iterator[None]:
    """Each test starts where the session started. `tmcheck action` moves into the workspace
    (its own process ends there), so after an in-process run the next test would start in a
    folder of the last one's, which may be gone."""
    where = os.getcwd()
    yield
    os.chdir(where)


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


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Each session's temporary files go in a folder of its own (its workers' below it). In the
    shared /tmp/pytest-of-USER, every session that ends removes all but the newest three, and
    with several checkouts testing on one machine that has removed a running session's."""
    if config.option.basetemp is None and not hasattr(config, "workerinput"):
        config.option.basetemp = tempfile.mkdtemp(prefix="tmcheck-tests-")
        config.stash[_OWN_BASETEMP] = Path(config.option.basetemp)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A session that passed leaves nothing behind; one that failed keeps its files to look at."""
    own = session.config.stash.get(_OWN_BASETEMP, None)
    if own is not None and exitstatus == 0:
        shutil.rmtree(own, ignore_errors=True)


_OWN_BASETEMP = pytest.StashKey[Path]()
