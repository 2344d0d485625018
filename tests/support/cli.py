"""`tmcheck ARGS` run in-process, captured; and a directory holding copies of some of the
repository's files, for a run that must see only them."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.paths import REPO
from tmcheck.cli import main


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


RunCli = Callable[..., Run]


def cli_runner(monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """A function running `tmcheck ARGS` in `cwd` (default: the repository)."""

    def run(*args: str, cwd: Path = REPO, environ: dict[str, str] | None = None) -> Run:
        monkeypatch.chdir(cwd)
        out, err = io.StringIO(), io.StringIO()
        # The checked-in fixtures were committed at some date: reading their git history
        # would make an SLA clock of the wall-clock date. Tests of the clock ask for it.
        environment = {"TMCHECK_HISTORY_COMMITS": "0", **(environ or {})}
        code = main(list(args), stdout=out, stderr=err, environ=environment, cwd=cwd)
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
