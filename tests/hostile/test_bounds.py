"""Bounded work: each case in its own process, `tmcheck check` per case and `tmcheck action`
per class, finishing in under 2 s (wall and CPU) and 200 MB (peak resident memory).

The peak is the child's own VmHWM, read from /proc when it ends: `wait4`'s ru_maxrss would
also count the memory of the pytest process the child was forked from. The real environment
of these children holds the canary and the token, so a symlink to /proc/self/environ that was
followed would show them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.github.fake_api import FakeGitHub, serve
from tests.hostile.checks import assert_nothing_leaks
from tests.hostile.harness import (
    CANARY,
    CASES,
    CLASSES,
    REPOSITORY,
    TOKEN,
    Case,
    HostileClass,
    Outcome,
    collect,
    config_args,
    make_places,
    materialize,
    pull_request,
)

SECONDS = 2.0
MEGABYTES = 200
WALL_MARGIN = 2.0  # seconds a busy machine may add to a run's wall time
THROTTLE = 0.5  # the client waits this long between two writes to GitHub: not work
# Run tmcheck's main, then record this process's memory high-water mark.
_MEASURED = """
import sys
from tmcheck.cli import main
code = 3
try:
    code = main(sys.argv[2:])
finally:
    with open("/proc/self/status") as status, open(sys.argv[1], "w") as out:
        out.write(status.read())
sys.exit(code)
"""


@dataclass
class Measured:
    code: int
    stdout: str
    stderr: str
    wall: float
    cpu: float
    peak_mb: float


def measure(args: Sequence[str], cwd: Path, environ: Mapping[str, str], scratch: Path) -> Measured:
    status, out, err = scratch / "status", scratch / "stdout", scratch / "stderr"
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(scratch)}
    environment.update({"LC_ALL": "C.UTF-8", **environ})
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.monotonic()
        process = subprocess.Popen(
            [sys.executable, "-I", "-c", _MEASURED, str(status), *args],
            cwd=cwd, env=environment, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
        )  # fmt: skip
        guard = threading.Timer(30, process.kill)  # a hang fails the test instead of the suite
        guard.start()
        _, wait_status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        guard.cancel()
    process.returncode = os.waitstatus_to_exitcode(wait_status)
    peak = 0.0
    if status.exists():
        line = next(x for x in status.read_text().splitlines() if x.startswith("VmHWM:"))
        peak = int(line.split()[1]) / 1024
    return Measured(
        process.returncode,
        out.read_text(encoding="utf-8", errors="replace"),
        err.read_text(encoding="utf-8", errors="replace"),
        wall,
        usage.ru_utime + usage.ru_stime,
        peak,
    )


def assert_bounded(run: Measured, seconds: float = SECONDS) -> None:
    """Under 2 s of CPU and 200 MB. Wall time shows a hang or a sleep, but also whatever else
    the machine does meanwhile, so it gets a margin; CPU time is the bound on the work."""
    where = f"{run.wall:.2f} s wall, {run.cpu:.2f} s CPU, {run.peak_mb:.0f} MB"
    assert run.peak_mb > 0, "the child did not report its memory"
    assert run.wall < seconds + WALL_MARGIN and run.cpu < SECONDS and run.peak_mb < MEGABYTES, where


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    yield from serve(REPOSITORY, token=TOKEN)


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case.runs_in("cli")],
    ids=[f"{case.klass}/{case.id}" for case in CASES if case.runs_in("cli")],
)
def test_check_is_bounded(case: Case, tmp_path: Path) -> None:
    config = next(klass.config for klass in CLASSES if klass.name == case.klass)
    places = make_places(tmp_path)
    if config is not None:
        (places.workspace / ".tmcheck.yaml").write_text(config, encoding="utf-8")
    materialize(case, places)
    args = ["check", *config_args(config), *case.cli_args]
    run = measure(args, places.workspace, {"CANARY": CANARY}, tmp_path)
    assert run.code == case.expected("cli")[0], run.stdout[-2000:] + run.stderr
    assert_bounded(run)
    assert_nothing_leaks(Outcome(run.code, run.stdout, run.stderr), case.forbidden)


def _action(
    tmp: Path, server: FakeGitHub, cases: Sequence[Case], config: str | None
) -> tuple[Measured, int, Outcome]:
    pull = pull_request(tmp, cases, config=config)
    server.add_pull(1, head_sha=pull.head, base_sha=pull.base, head_repo="forker/octo-repo")
    scratch = tmp / "scratch"
    scratch.mkdir()
    run = measure(["action"], pull.places.workspace, pull.environ(server), scratch)
    writes = sum(1 for request in server.requests if request.method in ("POST", "PATCH"))
    return run, writes, collect(pull, server, run.code, run.stdout, run.stderr)


@pytest.fixture(scope="module")
def quiet_action(tmp_path_factory: pytest.TempPathFactory) -> Measured:
    """The action on a pull request that changes one small valid threat model: what starting
    Python, importing PyGithub, asking git and talking to GitHub cost before any hostile byte."""
    (calm,) = [case for case in CASES if case.id == "T11"]
    with FakeGitHub(REPOSITORY, token=TOKEN) as server:
        run, _, _ = _action(tmp_path_factory.mktemp("quiet"), server, [calm], None)
    assert run.code == 0, run.stdout
    return run


@pytest.mark.parametrize("klass", CLASSES, ids=[klass.name for klass in CLASSES])
def test_action_is_bounded(
    klass: HostileClass, tmp_path: Path, server: FakeGitHub, quiet_action: Measured
) -> None:
    """All of a class's cases in one pull request add less than 2 s and stay under 200 MB."""
    cases = [case for case in klass.cases if case.runs_in("action")]
    run, writes, outcome = _action(tmp_path, server, cases, klass.config)
    assert run.code == max(case.expected("action")[0] for case in cases), run.stdout[-2000:]
    added = Measured(
        run.code, run.stdout, run.stderr, run.wall - quiet_action.wall,
        run.cpu - quiet_action.cpu, run.peak_mb,
    )  # fmt: skip
    assert_bounded(added, SECONDS + THROTTLE * max(0, writes - 2))
    assert_nothing_leaks(outcome, [text for case in cases for text in case.forbidden])
