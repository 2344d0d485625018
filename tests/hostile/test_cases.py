"""Every hostile case through `tmcheck check`, and every class as one pull request through
`tmcheck action` against the fake GitHub API, each in its own process, run once and asserted
whole: the outcome in expected.json; the generic guarantees (nothing leaks, no raw control
character, no workflow command, safe Markdown, no connection to the listener that
`$schema`/`$ref` point at); and bounded work, under 2 s (CPU, and wall with a margin for a
busy machine) and 200 MB (peak resident memory).

Each process is forked from a server that has imported tmcheck once (`tests/support/measure.py`),
so the bounds measure the case's work, not Python's start. The peak is the child's own VmHWM,
read from /proc when it ends. The real environment of these children holds the canary and the
token, so a symlink to /proc/self/environ that was followed would show them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from tests.support.fake_github import FakeGitHub
from tests.support.hostile_checks import (
    Listener,
    assert_commands_inert,
    assert_markdown_safe,
    assert_nothing_leaks,
    listening,
)
from tests.support.hostile_harness import (
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
    match_findings,
    materialize,
    pull_request,
)
from tests.support.measure import Measured, measure

CLASS_BY_NAME = {klass.name: klass for klass in CLASSES}
FORBIDDEN = "Resource not accessible by integration"
SECONDS = 2.0
MEGABYTES = 200
# Wall time shows a hang or a sleep, but also whatever else the machine does meanwhile: with a
# test process per core, their children and other work on two cores, a run has waited twice
# its CPU time for a core (6.6 s wall for 2.3 s of CPU). A hang is killed at 30 s (measure.py).
BUSY_FACTOR = 4


def assert_bounded(run: Measured, seconds: float = SECONDS, cpu: float = SECONDS) -> None:
    """Under 2 s of CPU and 200 MB: CPU time is the bound on the work. The wall bound catches
    a run that waits for seconds, with room for a busy machine."""
    where = f"{run.wall:.2f} s wall, {run.cpu:.2f} s CPU, {run.peak_mb:.0f} MB"
    assert run.peak_mb > 0, "the child did not report its memory"
    assert run.wall < BUSY_FACTOR * seconds and run.cpu < cpu and run.peak_mb < MEGABYTES, where


@pytest.fixture
def listener() -> Iterator[Listener]:
    with listening() as running:
        yield running


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case.runs_in("cli")],
    ids=[f"{case.klass}/{case.id}" for case in CASES if case.runs_in("cli")],
)
def test_check(case: Case, tmp_path: Path, listener: Listener) -> None:
    config = CLASS_BY_NAME[case.klass].config
    places = make_places(tmp_path, listener.url)
    if config is not None:
        (places.workspace / ".tmcheck.yaml").write_text(config, encoding="utf-8")
    materialize(case, places)
    args = ["check", *config_args(config), *case.cli_args]
    run = measure(args, places.workspace, {"CANARY": CANARY}, tmp_path)
    outcome = Outcome(run.code, run.stdout, run.stderr)

    code, findings = case.expected("cli")
    assert match_findings(outcome.log_findings(), findings) == [], outcome.stdout[:3000]
    assert outcome.code == code, outcome.stdout[:3000] + outcome.stderr
    assert_nothing_leaks(outcome, case.forbidden)
    assert_commands_inert(outcome.stdout)
    assert listener.connections == 0
    assert_bounded(run)


def _action(
    tmp: Path,
    server: FakeGitHub,
    cases: Sequence[Case],
    config: str | None,
    listener: str | None = None,
    **inputs: str,
) -> tuple[Measured, Outcome]:
    pull = pull_request(tmp, cases, config=config, listener=listener)
    server.add_pull(1, head_sha=pull.head, base_sha=pull.base, head_repo="forker/octo-repo")
    scratch = tmp / "scratch"
    scratch.mkdir()
    run = measure(["action"], pull.places.workspace, pull.environ(server, **inputs), scratch)
    return run, collect(pull, server, run.code, run.stdout, run.stderr)


@pytest.fixture(scope="module")
def quiet_action(tmp_path_factory: pytest.TempPathFactory) -> Measured:
    """The action on a pull request that changes one small valid threat model: what starting
    Python, importing PyGithub, asking git and talking to GitHub cost before any hostile byte."""
    (calm,) = [case for case in CASES if case.id == "T11"]
    with FakeGitHub(REPOSITORY, token=TOKEN) as server:
        run, _ = _action(tmp_path_factory.mktemp("quiet"), server, [calm], None)
    assert run.code == 0, run.stdout
    return run


@pytest.mark.parametrize("klass", CLASSES, ids=[klass.name for klass in CLASSES])
def test_action(
    klass: HostileClass,
    tmp_path: Path,
    server: FakeGitHub,
    listener: Listener,
    quiet_action: Measured,
) -> None:
    """All of a class's cases in one pull request: what expected.json says, nothing unsafe,
    and less than 2 s and 200 MB beyond a quiet pull request."""
    cases = [case for case in klass.cases if case.runs_in("action")]
    if klass.read_only_token:  # a fork's pull request: annotations go through the log
        for path in (f"/repos/{REPOSITORY}/issues/1/comments", f"/repos/{REPOSITORY}/check-runs"):
            server.fail("POST", path, 403, message=FORBIDDEN, times=None)
    run, outcome = _action(
        tmp_path, server, cases, klass.config, listener.url, **{"sarif-file": "tmcheck.sarif"}
    )

    expected = [case.expected("action") for case in cases]
    findings = [prefix for _, prefixes in expected for prefix in prefixes]
    assert match_findings(outcome.log_findings(), findings) == [], outcome.stdout[:3000]
    assert outcome.code == max(code for code, _ in expected), outcome.stdout[-3000:]
    assert_nothing_leaks(outcome, [text for case in cases for text in case.forbidden])
    commands = assert_commands_inert(outcome.stdout)
    if klass.read_only_token:  # one annotation per finding, exactly as expected.json says
        assert sorted(commands) == sorted(
            line for case in cases for line in case.action.get("commands", [])
        )
    reports = [*outcome.comments, outcome.files["summary.md"], outcome.files["tmcheck-report.md"]]
    for body in reports:
        assert_markdown_safe(body)
    assert len(outcome.files["tmcheck-report.md"]) <= 65_535
    assert "tmcheck.sarif" in outcome.files
    assert listener.connections == 0
    added = Measured(
        run.code, run.stdout, run.stderr, run.wall - quiet_action.wall,
        run.cpu - quiet_action.cpu, run.peak_mb,
    )  # fmt: skip
    # the action also renders the comment, the check run and SARIF for every case of the class
    assert_bounded(added, 2 * SECONDS, cpu=2 * SECONDS)
