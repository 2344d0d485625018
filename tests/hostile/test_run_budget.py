"""The per-run budget (budgets/run.json): a pull request of 300 files of 4,000 blocking threats
each, through `tmcheck check` and `tmcheck action`, each in its own process: it ends with one
`run-budget` error naming what was not read, under 30 s and 500 MB."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.cli import RunCli
from tests.support.fake_github import FakeGitHub
from tests.support.hostile_checks import assert_nothing_leaks
from tests.support.hostile_harness import (
    CANARY,
    HOSTILE,
    Case,
    Outcome,
    collect,
    make_places,
    materialize,
    pull_request,
)
from tests.support.measure import Measured, measure
from tmcheck.budget import MAX_RUN_BYTES, MAX_RUN_THREATS, MAX_RUN_VALUES, RunBudget

SPEC: dict[str, Any] = json.loads((HOSTILE / "budgets" / "run.json").read_text(encoding="utf-8"))
CASE = Case(
    klass="budgets", id=SPEC["id"], file=SPEC["file"], about=SPEC["about"], exit=SPEC["exit"],
    findings=(), make=SPEC["make"],
)  # fmt: skip


def _assert_within(run: Measured, lines: list[str]) -> None:
    where = f"{run.wall:.1f} s wall, {run.cpu:.1f} s CPU, {run.peak_mb:.0f} MB"
    assert run.code == SPEC["exit"], run.stdout[-2000:] + run.stderr
    # about 3 s of CPU; a run that fails to stop takes minutes and gigabytes. A hang, or a
    # machine too busy to give it a core, ends with the kill at 30 s (measure.py).
    assert 0 < run.peak_mb < SPEC["megabytes"] and run.cpu < SPEC["seconds"], where
    budget = [line for line in lines if "[run-budget]" in line]
    assert len(budget) == 1 and budget[0].startswith(SPEC["budget"]), budget
    assert sum("[blocking-threat]" in line for line in lines) == SPEC["blocking"]


def test_check(tmp_path: Path) -> None:
    places = make_places(tmp_path)
    materialize(CASE, places)
    run = measure(["check", "--no-config", CASE.path], places.workspace, {}, tmp_path)
    _assert_within(run, run.stdout.splitlines())
    assert_nothing_leaks(Outcome(run.code, run.stdout, run.stderr))


def test_action(tmp_path: Path, server: FakeGitHub) -> None:
    pull = pull_request(tmp_path, [CASE])
    server.add_pull(1, head_sha=pull.head, base_sha=pull.base, head_repo="forker/octo-repo")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    run = measure(["action"], pull.places.workspace, {**pull.environ(server)}, scratch)
    outcome = collect(pull, server, run.code, run.stdout, run.stderr)
    _assert_within(run, outcome.log_findings())
    assert "297 files not read" in outcome.files["summary.md"]  # the report's notes say it too
    assert_nothing_leaks(outcome)
    assert CANARY not in outcome.everything()


def test_the_budget_grows_with_max_files(run_cli: RunCli, tmp_path: Path) -> None:
    """10 threats per file allowed: three files of 15 threats fit a run of `max_files: 5`
    (a budget of 50), not one of `max_files: 3` (30 threats are read, the third file not)."""
    for number in range(3):
        rows = "".join(
            f"  - {{id: B{number}T{n}, category: Spoofing, likelihood: 1, impact: 1}}\n"
            for n in range(15)
        )
        (tmp_path / f"b{number}.yaml").write_text(
            f"component: {{name: B{number}}}\nthreats:\n{rows}"
        )
    assert RunBudget.for_files(1_000) == RunBudget(MAX_RUN_BYTES, MAX_RUN_VALUES, MAX_RUN_THREATS)
    small = run_cli("check", "--no-config", ".", cwd=tmp_path, environ={"TMCHECK_MAX_FILES": "3"})
    assert "b2.yaml:1:1: error [run-budget] 1 files not read" in small.stdout
    enough = run_cli("check", "--no-config", ".", cwd=tmp_path, environ={"TMCHECK_MAX_FILES": "5"})
    assert "run-budget" not in enough.stdout and "3 files, 45 threats" in enough.stdout
