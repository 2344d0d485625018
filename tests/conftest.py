"""Shared test helpers: the CLI run in-process, and the team's shared folder of real files."""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tmcheck.cli import main

REPO = Path(__file__).resolve().parent.parent
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


@pytest.fixture
def shared() -> Path:
    need(
        (SHARED / "corpus").is_dir(), f"the shared folder of real threat models is not at {SHARED}"
    )
    return SHARED


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


RunCli = Callable[..., Run]


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run `tmcheck ARGS` in-process in `cwd` (default: the repository) and capture it."""

    def run(*args: str, cwd: Path = REPO, environ: dict[str, str] | None = None) -> Run:
        monkeypatch.chdir(cwd)
        out, err = io.StringIO(), io.StringIO()
        code = main(list(args), stdout=out, stderr=err, environ=environ or {}, cwd=cwd)
        return Run(code, out.getvalue(), err.getvalue())

    return run


def isolated(directory: Path, *relative: str) -> Path:
    """Copy the repository's files `relative` into `directory`, at the same relative paths, and
    return it: a run there sees only them (a run naming some files reads the other threat
    models under the root as context, and this repository holds many)."""
    for name in relative:
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((REPO / name).read_bytes())
    return directory
