"""The sinks, exactly: the lines the action prints for workflow-command payloads (T24), the
comment for a Markdown payload (T25), the budgets (T26), output files planted as symlinks (T22)
and the token when GitHub's own answers echo it.

Expected texts live beside the cases (`*.action-log`, `*.comment.md`); set
TMCHECK_UPDATE_EXPECTED=1 to rewrite them after a deliberate change, then read the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from tests.support.fake_github import FakeGitHub
from tests.support.hostile_checks import (
    assert_commands_inert,
    assert_markdown_safe,
    assert_nothing_leaks,
)
from tests.support.hostile_harness import (
    CASES,
    CLASSES,
    HOSTILE,
    REPOSITORY,
    TOKEN,
    Case,
    PullRequest,
    git,
    pull_request,
    run_action,
)

FORBIDDEN = "Resource not accessible by integration"


def _case(klass: str, case_id: str) -> Case:
    return next(case for case in CASES if case.klass == klass and case.id == case_id)


def _open(tmp: Path, server: FakeGitHub, *cases: Case, config: str | None = None) -> PullRequest:
    pull = pull_request(tmp, cases, config=config)
    server.add_pull(1, head_sha=pull.head, base_sha=pull.base, head_repo="forker/octo-repo")
    return pull


def _read_only(server: FakeGitHub) -> None:
    for path in (f"/repos/{REPOSITORY}/issues/1/comments", f"/repos/{REPOSITORY}/check-runs"):
        server.fail("POST", path, 403, message=FORBIDDEN, times=None)


def _compare(actual: str, expected_file: Path) -> None:
    if os.environ.get("TMCHECK_UPDATE_EXPECTED") == "1":
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")


def test_workflow_commands_in_a_model_do_nothing(tmp_path: Path, server: FakeGitHub) -> None:
    pull = _open(tmp_path, server, _case("output", "T24"))
    _read_only(server)
    outcome = run_action(pull, server)
    assert outcome.code == 1
    commands = assert_commands_inert(outcome.stdout)
    assert len(commands) == 4  # one per finding, nothing more
    stop = re.search(r"^::stop-commands::([0-9a-f]{32})$", outcome.stdout, re.M)
    assert stop is not None
    log = outcome.stdout.replace(stop.group(1), "<random>").replace(pull.head, "<head>")
    log = log.replace(pull.base, "<base>").replace(pull.base[:12], "<base>")
    _compare(log, HOSTILE / "output" / "t24-workflow-commands.action-log")


def test_markdown_payload_renders_literally(tmp_path: Path, server: FakeGitHub) -> None:
    pull = _open(tmp_path, server, _case("output", "T25"))
    outcome = run_action(pull, server)
    (comment,) = outcome.comments
    assert_markdown_safe(comment)
    comment = comment.replace(pull.head, "<head>").replace(pull.base[:12], "<base>")
    _compare(comment, HOSTILE / "output" / "t25-markdown.comment.md")


def test_budgets_hold_for_thousands_of_threats(tmp_path: Path, server: FakeGitHub) -> None:
    (budgets,) = [klass for klass in CLASSES if klass.name == "budgets"]
    pull = _open(tmp_path, server, *budgets.cases, config=budgets.config)
    outcome = run_action(pull, server)
    assert outcome.code == 1
    (comment,) = outcome.comments
    assert len(comment) <= 65_536 and len(comment.encode("utf-8")) <= 262_144
    assert_markdown_safe(comment)
    plain = comment.replace("\\", "")
    blocking = plain.split("### Blocking threats (4000)")[1].split("###")[0]
    shown = len(re.findall(r"^\| .*`T26-", blocking, re.M))
    assert shown >= 10 and f"{4000 - shown} more blocking threats not shown" in blocking
    assert "3500 findings beyond the first 500 are not annotated; the tables list them." in plain
    assert len(outcome.check_runs) == 1
    title, summary, _, annotations = json.loads(outcome.check_runs[0])
    assert title == "4000 blocking threats" and len(summary) <= 65_535
    assert len(annotations) == 500
    sizes = [
        len(request.body["output"]["annotations"])
        for request in server.requests
        if "/check-runs" in request.path and request.method in ("POST", "PATCH")
    ]
    assert sizes == [50] * 10


def test_outputs_are_never_written_through_planted_links(
    tmp_path: Path, server: FakeGitHub
) -> None:
    hook = "#!/bin/sh\necho original hook\n"
    target = tmp_path / "runner-file"
    target.write_text("original\n")
    pull = _open(tmp_path, server, _case("output", "T25"))
    workspace = pull.places.workspace
    (workspace / ".git" / "hooks" / "post-checkout").write_text(hook)
    os.symlink(target, workspace / "tmcheck-report.md")
    os.symlink(".git/hooks/post-checkout", workspace / "tmcheck.sarif")
    os.symlink(target, workspace / "linked-dir")
    git(workspace, "add", "tmcheck-report.md", "tmcheck.sarif", "linked-dir")
    git(workspace, "commit", "-qm", "plant links where the outputs go")
    pull.head = git(workspace, "rev-parse", "HEAD")
    event = json.loads(pull.event.read_text())
    event["pull_request"]["head"]["sha"] = pull.head
    pull.event.write_text(json.dumps(event))

    outcome = run_action(pull, server, **{"sarif-file": "tmcheck.sarif"})
    assert outcome.code == 1
    assert target.read_text() == "original\n"
    assert (workspace / ".git" / "hooks" / "post-checkout").read_text() == hook
    for name in ("tmcheck-report.md", "tmcheck.sarif"):
        assert (workspace / name).is_file() and not (workspace / name).is_symlink()
    assert json.loads((workspace / "tmcheck.sarif").read_text())["version"] == "2.1.0"
    assert (workspace / "tmcheck-report.md").read_text() == outcome.comments[0]

    # Refused, with a note in the report; the comment and the check run still go out.
    below_link = run_action(pull, server, **{"report-file": "linked-dir/report.md"})
    assert below_link.code == 1
    assert (
        "The report-file was not written: linked-dir/report.md: linked-dir is not a plain"
        " directory (a link?)."
    ) in below_link.comments[0].replace("\\", "")
    assert target.read_text() == "original\n"


def test_token_echoed_by_github_is_scrubbed_everywhere(tmp_path: Path, server: FakeGitHub) -> None:
    pull = _open(tmp_path, server, _case("output", "T25"))
    echo = f"Bad credentials: {TOKEN}"
    server.fail("POST", f"/repos/{REPOSITORY}/issues/1/comments", 403, message=echo, times=None)
    server.fail("POST", f"/repos/{REPOSITORY}/check-runs", 422, message=echo, times=None)
    outcome = run_action(pull, server, **{"sarif-file": "tmcheck.sarif"})
    assert outcome.code == 1
    assert "tmcheck: cannot comment on pull request #1 (403 Bad credentials: ***" in outcome.stdout
    assert "tmcheck: cannot create the check run (422 Bad credentials: ***)" in outcome.stdout
    assert_nothing_leaks(outcome)


def test_names_from_the_api_file_list_cannot_lead_outside(
    tmp_path: Path, server: FakeGitHub
) -> None:
    """Without the commits in the clone the action asks GitHub for the changed files; whatever
    names come back (NUL, `..`, absolute), only files inside the workspace are read."""
    pull = _open(tmp_path, server, _case("output", "T25"))
    outside = pull.places.outside / "secret.yaml"
    server.set_files(1, [
        "threatmodels/t25-markdown.yaml", "threatmodels/a\0b.yaml", "../outside/secret.yaml",
        str(outside), "threatmodels/missing.yaml",
    ])  # fmt: skip
    event = json.loads(pull.event.read_text())
    event["pull_request"]["base"]["sha"] = "1" * 40  # not in this clone: the API list is used
    pull.event.write_text(json.dumps(event))
    outcome = run_action(pull, server)
    assert outcome.code == 1
    refusal = "error [read-error] is outside the workspace; tmcheck reads only files inside it"
    errors = [line for line in outcome.log_findings() if ": error [" in line]
    assert sorted(errors) == [
        f"../outside/secret.yaml:1:1: {refusal}",
        f"{outside}:1:1: {refusal}",
        "threatmodels/t25-markdown.yaml:3:5: error [blocking-threat] open threat t25-markdown"
        " (open) scores 5 x 5 = 25 (critical), at or above the threshold 12",
    ]
    assert_nothing_leaks(outcome)
