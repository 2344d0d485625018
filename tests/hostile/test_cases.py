"""Every hostile case through `tmcheck check`, and every class as one pull request through
`tmcheck action` against the fake GitHub API: the outcome in expected.json, and the generic
guarantees (nothing leaks, no raw control character, no workflow command, safe Markdown, no
connection to the listener that `$schema`/`$ref` point at)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.github.fake_api import FakeGitHub, serve
from tests.hostile.checks import (
    Listener,
    assert_commands_inert,
    assert_markdown_safe,
    assert_nothing_leaks,
    listening,
)
from tests.hostile.harness import (
    CASES,
    CLASSES,
    REPOSITORY,
    TOKEN,
    Case,
    HostileClass,
    config_args,
    make_places,
    match_findings,
    materialize,
    pull_request,
    run_action,
    run_cli,
)

CLASS_BY_NAME = {klass.name: klass for klass in CLASSES}
FORBIDDEN = "Resource not accessible by integration"


@pytest.fixture
def listener() -> Iterator[Listener]:
    with listening() as running:
        yield running


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    yield from serve(REPOSITORY, token=TOKEN)


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case.runs_in("cli")],
    ids=[f"{case.klass}/{case.id}" for case in CASES if case.runs_in("cli")],
)
def test_check(
    case: Case, tmp_path: Path, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = CLASS_BY_NAME[case.klass].config
    places = make_places(tmp_path, listener.url)
    if config is not None:
        (places.workspace / ".tmcheck.yaml").write_text(config, encoding="utf-8")
    materialize(case, places)
    outcome = run_cli([*config_args(config), *case.cli_args], places.workspace, monkeypatch)
    code, findings = case.expected("cli")
    assert match_findings(outcome.log_findings(), findings) == [], outcome.stdout[:3000]
    assert outcome.code == code, outcome.stdout[:3000] + outcome.stderr
    assert_nothing_leaks(outcome, case.forbidden)
    assert_commands_inert(outcome.stdout)
    assert listener.connections == 0


@pytest.mark.parametrize("klass", CLASSES, ids=[klass.name for klass in CLASSES])
def test_action(
    klass: HostileClass, tmp_path: Path, server: FakeGitHub, listener: Listener
) -> None:
    cases = [case for case in klass.cases if case.runs_in("action")]
    pull = pull_request(tmp_path, cases, config=klass.config, listener=listener.url)
    server.add_pull(1, head_sha=pull.head, base_sha=pull.base, head_repo="forker/octo-repo")
    if klass.read_only_token:  # a fork's pull request: annotations go through the log
        for path in (f"/repos/{REPOSITORY}/issues/1/comments", f"/repos/{REPOSITORY}/check-runs"):
            server.fail("POST", path, 403, message=FORBIDDEN, times=None)
    outcome = run_action(pull, server, **{"sarif-file": "tmcheck.sarif"})

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
