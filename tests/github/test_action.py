"""`tmcheck action` end to end against the fake GitHub API on 127.0.0.1, in a real git repo."""

from __future__ import annotations

import json
import re
import shutil

from tests.support.action_workspace import REPOSITORY, TOKEN, Workspace, add_pull, run_action
from tests.support.fake_github import FakeGitHub, Identity
from tests.support.gitrepo import git
from tests.support.paths import FIXTURES


def _plain(markdown: str) -> str:
    """Markdown source with its backslash escapes and zero-width spaces taken out."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("&#8203;", "")


def _ids(table: str) -> list[str]:
    """The threat ids of a table's rows, in order (after the Change column, when there is one)."""
    return re.findall(r"^\| (?:[^|`]+ \| )?`(T\d+)` ", table, re.M)


def test_first_run_comments_and_fails_second_run_edits(
    server: FakeGitHub, workspace: Workspace
) -> None:
    add_pull(server, workspace)
    first = run_action(workspace.environ(server))
    assert first.code == 1, first.stdout + first.stderr
    comments = server.comments_on(1)
    assert len(comments) == 1
    body = comments[0].body
    assert body.startswith(
        "<!-- tmcheck:report tmcheck -->\n## \u274c tmcheck blocks: 4 open threats at or above the"
        " threshold 12 (4 new)\n"
    )
    blocking_table = body.split("### Blocking threats (4)")[1].split("<details>")[0]
    assert _ids(blocking_table) == ["T001", "T005", "T003", "T004"]
    assert (
        "| \U0001f195 new | `T001` | Attacker forges JWT tokens to impersonate users |"
        in blocking_table
    )
    assert (
        f"[docs/threat\\-model/gateway\\.yaml:9](https://github.example/{REPOSITORY}/blob/{workspace.head}"
        "/docs/threat-model/gateway.yaml#L9)"
    ) in blocking_table
    assert "| 3 x 5 \\= 15 | high | Mitigated \\(partial\\) | Auth Team |" in blocking_table

    (run,) = server.check_runs.values()
    assert (run.head_sha, run.conclusion, run.name) == (workspace.head, "failure", "tmcheck")
    assert run.title == "4 blocking threats" and run.summary == body.replace("\n", "\n")
    assert [(a["path"], a["start_line"], a["annotation_level"]) for a in run.annotations] == [
        ("docs/threat-model/gateway.yaml", line, "failure") for line in (9, 42, 58, 76)
    ]
    (comment,) = server.comments_on(1)
    assert workspace.outputs() == {
        "passed": "false", "blocking": "4", "open": "4", "max-score": "15", "errors": "4",
        "warnings": "0", "report": "tmcheck-report.md", "sarif-file": "",
        "comment-url": f"https://github.com/{REPOSITORY}/pull/1#issuecomment-{comment.id}",
        "check-run-url": f"https://github.com/{REPOSITORY}/runs/{run.id}",
    }  # fmt: skip
    assert (workspace.path / "tmcheck-report.md").read_text() == body
    assert body in workspace.summary.read_text()

    server.clear_requests()
    second = run_action(workspace.environ(server))
    assert second.code == 1
    assert len(server.comments_on(1)) == 1
    assert [r.method for r in server.requests if "/comments" in r.path] == ["GET", "PATCH"]
    assert "tmcheck: updated the pull request comment" in second.stdout


def test_fixed_threats_keep_the_comment_and_say_so(
    server: FakeGitHub, workspace: Workspace
) -> None:
    add_pull(server, workspace)
    assert run_action(workspace.environ(server)).code == 1
    model = workspace.path / "docs" / "threat-model" / "gateway.yaml"
    model.write_text(
        re.sub(r'status: "(Open|Mitigated \(partial\))"', 'status: "Mitigated"', model.read_text())
    )
    git(workspace.path, "commit", "-qam", "mitigate everything")
    workspace.retarget()
    result = run_action(workspace.environ(server))
    assert result.code == 0
    (comment,) = server.comments_on(1)
    assert "## \u2705 tmcheck passes: no open threats" in comment.body
    assert "Nothing is open any more." in comment.body
    assert [r.conclusion for r in server.check_runs.values()] == ["failure", "success"]


def test_annotations_are_sent_fifty_at_a_time(server: FakeGitHub, workspace: Workspace) -> None:
    rows = "".join(
        f"  - {{id: X{i:03}, category: Tampering, likelihood: 4, impact: 4, status: Open}}\n"
        for i in range(120)
    )
    (workspace.path / "docs" / "threat-model" / "many.yaml").write_text(
        "component: {name: Batch, owner: Ops}\nthreats:\n" + rows
    )
    git(workspace.path, "add", ".")
    git(workspace.path, "commit", "-qm", "many")
    workspace.retarget()
    add_pull(server, workspace)
    result = run_action(workspace.environ(server, comment="false"))
    assert result.code == 1
    (run,) = server.check_runs.values()
    assert len(run.annotations) == 124
    sizes = [
        len(r.body["output"]["annotations"]) for r in server.requests if "/check-runs" in r.path
    ]
    assert sizes == [50, 50, 24]
    assert server.comments_on(1) == []


def test_forbidden_comment_degrades_to_summary_and_workflow_annotations(
    server: FakeGitHub, workspace: Workspace
) -> None:
    add_pull(server, workspace, head_repo="forker/octo-repo")
    event = json.loads(workspace.event.read_text())
    event["pull_request"]["head"]["repo"]["full_name"] = "forker/octo-repo"
    workspace.event.write_text(json.dumps(event))
    forbidden = "Resource not accessible by integration"
    server.fail(
        "POST", f"/repos/{REPOSITORY}/issues/1/comments", 403, message=forbidden, times=None
    )
    server.fail("POST", f"/repos/{REPOSITORY}/check-runs", 403, message=forbidden, times=None)
    result = run_action(workspace.environ(server))
    assert result.code == 1  # decided by the threats, not by the 403
    assert (
        f"tmcheck: cannot comment on pull request #1 (403 {forbidden}: a pull request from a fork"
        " gets a read-only token); the report is in the job summary and the annotations below"
    ) in result.stdout.splitlines()
    assert (
        "::error file=docs/threat-model/gateway.yaml,line=9,col=5,title=tmcheck blocking-threat::open threat T001"
        in result.stdout
    )
    assert "## \u274c tmcheck blocks: 4 open threats" in workspace.summary.read_text()
    assert workspace.outputs()["blocking"] == "4"
    assert (
        len(server.requests_to("POST", f"/repos/{REPOSITORY}/issues/1/comments")) == 1
    )  # no retry of a 403


def test_server_error_is_retried(server: FakeGitHub, workspace: Workspace) -> None:
    add_pull(server, workspace)
    server.fail("POST", f"/repos/{REPOSITORY}/issues/1/comments", 500, times=1)
    result = run_action(workspace.environ(server, check_run="false"))
    assert result.code == 1
    assert [
        r.status for r in server.requests_to("POST", f"/repos/{REPOSITORY}/issues/1/comments")
    ] == [
        500,
        201,
    ]
    assert len(server.comments_on(1)) == 1


def test_marker_in_someone_elses_comment_is_not_adopted(
    server: FakeGitHub, workspace: Workspace
) -> None:
    add_pull(server, workspace)
    server.add_comment(1, "<!-- tmcheck:report tmcheck -->\nall good!", author=Identity("mallory"))
    run_action(workspace.environ(server, check_run="false"))
    comments = server.comments_on(1)
    assert [c.author.login for c in comments] == ["mallory", "github-actions[bot]"]
    assert comments[0].body.endswith("all good!")


def test_api_file_list_when_the_commits_are_not_in_the_clone(
    server: FakeGitHub, workspace: Workspace
) -> None:
    add_pull(server, workspace)
    files = ["docs/threat-model/gateway.yaml"] + [f"gen/{i}.txt" for i in range(3200)]
    server.set_files(1, files)
    event = json.loads(workspace.event.read_text())
    event["pull_request"]["base"]["sha"] = "1" * 40  # not in this clone
    workspace.event.write_text(json.dumps(event))
    result = run_action(workspace.environ(server, check_run="false"))
    assert result.code == 1
    (comment,) = server.comments_on(1)
    assert (
        "GitHub lists at most 3,000 files of a pull request: 201 changed files were not seen."
        in _plain(comment.body)
    )


def test_push_event_checks_every_configured_file(server: FakeGitHub, workspace: Workspace) -> None:
    workspace.event.write_text(json.dumps({"ref": "refs/heads/main", "after": workspace.head}))
    environ = workspace.environ(server, event_name="push")
    environ["GITHUB_SHA"] = workspace.head
    result = run_action(environ)
    assert result.code == 1
    assert not [r for r in server.requests if "/comments" in r.path]
    (run,) = server.check_runs.values()
    assert run.head_sha == workspace.head and run.conclusion == "failure"


def test_fail_false_exits_zero_with_a_neutral_check(
    server: FakeGitHub, workspace: Workspace
) -> None:
    add_pull(server, workspace)
    result = run_action(workspace.environ(server, fail="false", comment="false"))
    assert result.code == 0
    assert [r.conclusion for r in server.check_runs.values()] == ["neutral"]


def test_token_never_appears(server: FakeGitHub, workspace: Workspace) -> None:
    add_pull(server, workspace)
    server.fail("POST", f"/repos/{REPOSITORY}/check-runs", 502, times=2)
    server.fail("PATCH", re.compile(r".*/check-runs/.*"), 403, times=None)
    result = run_action(workspace.environ(server))
    everything = (
        result.stdout + result.stderr + workspace.summary.read_text() + workspace.output.read_text()
    )
    everything += "".join(c.body for c in server.comments_on(1))
    assert TOKEN not in everything
    assert not any(r.token_leaked for r in server.requests)
    assert "tmcheck: cannot create the check run (403" not in result.stdout  # no edits needed


def test_bad_input_is_a_usage_error(server: FakeGitHub, workspace: Workspace) -> None:
    result = run_action(workspace.environ(server, fail="maybe"))
    assert result.code == 2
    assert result.stderr == "tmcheck: error: input fail: 'maybe' is not true or false\n"


def test_gate_new_blocks_only_what_the_pull_request_introduced(
    server: FakeGitHub, workspace: Workspace
) -> None:
    """The base already has the worksheet; the pull request raises T003 and adds T006."""
    model = workspace.path / "docs" / "threat-model" / "gateway.yaml"
    git(workspace.path, "checkout", "-q", workspace.base)
    git(workspace.path, "checkout", "-q", "-b", "with-model")
    model.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "seed" / "stride-worksheet.yaml", model)
    git(workspace.path, "add", ".")
    git(workspace.path, "commit", "-qm", "model on base")
    workspace.base = git(workspace.path, "rev-parse", "HEAD")
    text = model.read_text().replace(
        "    likelihood: High\n    impact: Medium\n    risk_score: 12",
        "    likelihood: Very High\n    impact: Medium\n    risk_score: 15",
    )
    text += (
        "  - id: T006\n    category: Tampering\n    description: Webhook payloads are not signed\n"
        "    likelihood: High\n    impact: Major\n    risk_score: 16\n    status: Open\n    owner: Platform Team\n"
    )
    model.write_text(text)
    git(workspace.path, "commit", "-qam", "raise T003, add T006")
    workspace.retarget()
    add_pull(server, workspace)
    result = run_action(
        workspace.environ(server, gate="new", sarif_file="reports/tmcheck.sarif", check_run="false")
    )
    assert result.code == 1
    (comment,) = server.comments_on(1)
    blocking = comment.body.split("### Blocking threats (2)")[1].split("<details>")[0]
    assert _ids(blocking) == ["T006", "T003"]
    assert workspace.outputs()["blocking"] == "2"
    sarif = json.loads((workspace.path / "reports" / "tmcheck.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "docs/threat-model/gateway.yaml"
    }
    # the two blocking threats, each also a missing-ticket note
    assert sorted(r["ruleId"] for r in results) == ["blocking-threat"] * 2 + ["missing-ticket"] * 2


def test_changed_diagram_is_checked_with_the_worksheet_it_names(
    server: FakeGitHub, workspace: Workspace
) -> None:
    """Only the diagram changes; the worksheet that defines its ids is read too, not reported."""
    git(workspace.path, "checkout", "-q", workspace.head)
    git(workspace.path, "checkout", "-q", "-b", "diagram")
    shutil.copy(
        FIXTURES / "seed" / "threat-dragon-seed.json",
        workspace.path / "docs" / "threat-model" / "dragon.json",
    )
    git(workspace.path, "add", ".")
    git(workspace.path, "commit", "-qm", "diagram")
    workspace.retarget(base=workspace.head)
    add_pull(server, workspace)
    result = run_action(workspace.environ(server, comment="false"))
    assert result.code == 1
    (run,) = server.check_runs.values()
    failures = [a for a in run.annotations if a["annotation_level"] == "failure"]
    assert [(a["path"], a["start_line"], a["message"]) for a in failures] == [
        (
            "docs/threat-model/dragon.json",
            16,
            "Orders Database names threat id T006, which no threat model defines",
        )
    ]
    assert run.title == "1 error in the threat models"


def test_scope_all_shows_the_whole_model_with_the_change_marked(
    server: FakeGitHub, workspace: Workspace
) -> None:
    """The pull request changes only a worksheet; the diagram of the unchanged model shows."""
    git(workspace.path, "checkout", "-q", workspace.head)
    git(workspace.path, "checkout", "-q", "-b", "with-diagram")
    shutil.copy(
        FIXTURES / "seed" / "threat-dragon-seed.json",
        workspace.path / "docs" / "threat-model" / "dragon.json",
    )
    git(workspace.path, "add", ".")
    git(workspace.path, "commit", "-qm", "diagram on base")
    workspace.base = git(workspace.path, "rev-parse", "HEAD")
    model = workspace.path / "docs" / "threat-model" / "gateway.yaml"
    model.write_text(model.read_text().replace('status: "Mitigated"', 'status: "Open"'))
    git(workspace.path, "commit", "-qam", "reopen T002")
    workspace.retarget()
    add_pull(server, workspace)
    changed_only = run_action(workspace.environ(server, check_run="false"))
    assert "No data-flow diagram" in server.comments_on(1)[0].body
    whole = run_action(workspace.environ(server, scope="all", gate="new", check_run="false"))
    # T002 reopened scores 8: nothing the pull request introduced blocks (the diagram's
    # unresolved T006 is still an error, as it was on the base)
    assert (changed_only.code, whole.code) == (1, 1)
    assert workspace.outputs()["blocking"] == "0"
    body = server.comments_on(1)[0].body
    assert "```mermaid" in body and "API Gateway" in body
    assert "reopened" in body and "`T002`" in body
    assert run_action(workspace.environ(server, scope="some")).code == 2
