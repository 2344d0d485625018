"""`issues: sync` end to end: a scheduled action run against the fake API opens one issue per
overdue or blocking threat, a second run changes nothing, mitigation closes, reopening reopens."""

from __future__ import annotations

import io
import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.action_workspace import REPOSITORY as REPO
from tests.support.action_workspace import TOKEN
from tests.support.fake_github import GITHUB_ACTIONS_BOT, FakeGitHub, Identity
from tests.support.runner_emulation import step_environment
from tmcheck.cli import main

TODAY = "2026-11-30"
ISSUES = f"/repos/{REPO}/issues"

CONFIG = """\
include: ['models/**']
owners:
  Platform Team: [alice]
"""


def model(t1_status: str = "Open") -> str:
    return f"""\
component: {{name: API, owner: Platform Team}}
threats:
  - {{id: T1, category: Information Disclosure, title: Verbose error messages leak internal details, likelihood: 4, impact: 3, status: {t1_status}}}
  - {{id: T2, category: Spoofing, title: Forged webhooks, likelihood: 5, impact: 4, status: Open, ticket: "#7"}}
  - {{id: T3, category: Tampering, title: Cart tampering, likelihood: 2, impact: 3, status: Open}}
  - {{id: T4, category: Repudiation, title: Missing audit log, likelihood: 1, impact: 2, status: Mitigated}}
"""


def git(repo: Path, *args: str, date: str = "2026-10-31") -> str:
    environment = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_DATE": f"{date}T09:00:00Z",
        "GIT_COMMITTER_DATE": f"{date}T09:00:00Z",
    }
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo, env=environment, check=True, capture_output=True, text=True,
    ).stdout.strip()  # fmt: skip


@dataclass
class Scheduled:
    path: Path
    event: Path
    summary: Path

    def commit(self, text: str, date: str) -> None:
        (self.path / "models" / "api.yaml").write_text(text)
        git(self.path, "commit", "-qam", "update", date=date)

    def run(
        self, server: FakeGitHub, event_name: str = "schedule", **inputs: str
    ) -> tuple[int, str]:
        environ = step_environment(
            server.url, REPO, self.path, event_name, self.event, token=TOKEN,
            sha=git(self.path, "rev-parse", "HEAD"), summary=self.summary,
            inputs={"issues": "sync", "check-run": "false", **inputs},
        )  # fmt: skip
        environ |= {"GITHUB_REF": "refs/heads/main", "TMCHECK_TODAY": TODAY}
        out, err = io.StringIO(), io.StringIO()
        code = main(["action"], stdout=out, stderr=err, environ=environ)
        return code, out.getvalue() + err.getvalue()


@pytest.fixture
def server(server: FakeGitHub) -> FakeGitHub:
    """The folder's fake API, where alice may be assigned issues."""
    server.add_collaborator("alice")
    return server


@pytest.fixture
def scheduled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Scheduled:
    repo = tmp_path / "workspace"
    (repo / "models").mkdir(parents=True)
    (repo / ".tmcheck.yaml").write_text(CONFIG)
    (repo / "models" / "api.yaml").write_text(model())
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "threat model", date="2026-11-20")  # 10 days before TODAY
    event = tmp_path / "event.json"
    event.write_text(json.dumps({
        "schedule": "0 6 * * *",
        "repository": {"full_name": REPO, "default_branch": "main"},
    }))  # fmt: skip
    monkeypatch.chdir(tmp_path)
    return Scheduled(repo, event, tmp_path / "summary.md")


def _writes(server: FakeGitHub) -> list[tuple[str, str]]:
    """Requests that change something (a GraphQL POST here only asks who the token is)."""
    return [
        (r.method, r.path)
        for r in server.requests
        if r.method in ("POST", "PATCH") and r.path != "/graphql"
    ]


def test_a_scheduled_run_opens_one_issue_per_threat_to_track(
    server: FakeGitHub, scheduled: Scheduled
) -> None:
    server.fail("POST", ISSUES, 502, times=1)  # retried: one issue all the same
    code, log = scheduled.run(server)
    assert code == 1  # T1 and T2 block; the issues change nothing about that
    issues = sorted(server.issues.values(), key=lambda issue: issue.number)
    assert [issue.title for issue in issues] == [
        "[tmcheck] T1: Verbose error messages leak internal details",
        "[tmcheck] T2: Forged webhooks",
    ]
    t1, t2 = issues
    assert t1.labels == ["threat-model", "risk:high"] and t2.labels == [
        "threat-model",
        "risk:critical",
    ]
    assert t1.assignees == ["alice"] and t1.author == GITHUB_ACTIONS_BOT
    assert t1.body is not None and t1.body.startswith("<!-- tmcheck:issue tmcheck ")
    body = t1.body.split("\n")
    assert "| Level | high (4 x 3 \\= 12) |" in body
    assert "| Status | Open |" in body
    assert "| Owner | Platform Team (`alice`) |" in body
    # high: 1 week from the commit 10 days ago
    assert (
        "| Due | 2026-11-27 (**overdue**); clock started 2026-11-20 (first recorded at this level) |"
        in body
    )
    assert ("| Treatment | Remediation in current sprint; SLA 1 week; acceptance needs Security"
            " Lead |") in body  # fmt: skip
    assert ("| Where | [models/api\\.yaml:3](https://github.example/octo-org/octo-repo/blob/"
            "main/models/api.yaml#L3) |") in body  # fmt: skip
    assert t2.body is not None
    assert "| Ticket | [\\#&#8203;7](https://github.example/octo-org/octo-repo/issues/7) |" in (
        t2.body.split("\n")
    )
    assert {name: label.color for name, label in server.labels.items()}["risk:high"] == "d93f0b"
    assert "tmcheck: issues: 2 created" in log
    assert server.faults[0].hits == 1  # the failed POST was answered, then retried

    # A second run with nothing changed writes nothing.
    server.clear_requests()
    scheduled.run(server)
    assert _writes(server) == []

    # Mitigating T1 closes its issue with a comment; T2's stays open, untouched.
    scheduled.commit(model("Mitigated"), date="2026-11-29")
    server.clear_requests()
    _, log = scheduled.run(server)
    assert (t1.state, t1.state_reason, t2.state) == ("closed", "completed", "open")
    assert [c.body for c in server.issue_comments(t1.number)] == [
        "T1 is now Mitigated: closed by tmcheck."
    ]
    assert _writes(server) == [
        ("POST", f"{ISSUES}/{t1.number}/comments"),
        ("PATCH", f"{ISSUES}/{t1.number}"),
    ]

    # Reopened: the same issue opens again, never a second one.
    scheduled.commit(model("Open"), date="2026-11-30")
    _, log = scheduled.run(server)
    assert t1.state == "open" and len(server.issues) == 2
    assert "reopened" in server.issue_comments(t1.number)[-1].body
    assert "tmcheck: issues: 1 reopened, 1 unchanged" in log


def test_a_copied_marker_in_someone_elses_issue_is_not_adopted(
    server: FakeGitHub, scheduled: Scheduled
) -> None:
    scheduled.run(server)
    ours = {issue.number: issue.body for issue in server.issues.values()}
    marker = next(iter(ours.values())).split("\n", 1)[0]  # type: ignore[union-attr]
    human = server.add_issue(
        "Please look", body=f"{marker}\nI copied this", author=Identity("mallory")
    )
    bot_issue = server.add_issue("spoof", body=f"x{marker}", author=GITHUB_ACTIONS_BOT)
    server.clear_requests()
    scheduled.run(server)
    assert _writes(server) == []
    assert human.state == "open" and human.title == "Please look"
    assert bot_issue.title == "spoof"


def test_without_issues_write_it_degrades_to_the_summary(
    server: FakeGitHub, scheduled: Scheduled
) -> None:
    server.fail("POST", f"/repos/{REPO}/labels", 403, times=None)
    code, log = scheduled.run(server)
    assert code == 1
    lines = [line for line in log.splitlines() if "cannot sync issues" in line]
    assert lines == [
        "tmcheck: cannot sync issues (403 Resource not accessible by integration): the workflow"
        " needs `permissions: issues: write`; the threats to track are in the job summary"
    ]
    summary = scheduled.summary.read_text()
    assert "### Threats to track in issues (2)" in summary
    assert (
        "\\[tmcheck\\] T1: Verbose error messages leak internal details: high, due 2026-11-27 (overdue)"
        in summary
    )
    assert TOKEN not in log and TOKEN not in summary
    assert server.issues == {}


def test_pull_requests_and_other_branches_never_sync(
    server: FakeGitHub, scheduled: Scheduled
) -> None:
    event = json.loads(scheduled.event.read_text())
    scheduled.event.write_text(json.dumps({**event, "ref": "refs/heads/main"}))
    _, log = scheduled.run(server, event_name="pull_request")
    assert "issues: sync runs on push, schedule, workflow_dispatch, not on pull_request" in log
    assert not server.requests_to(path=ISSUES)
    assert server.issues == {}


def test_a_failing_api_is_one_line_and_the_issue_is_not_doubled(
    server: FakeGitHub, scheduled: Scheduled
) -> None:
    server.fail("POST", ISSUES, 500, times=None)
    code, log = scheduled.run(server)
    assert code == 1
    assert "tmcheck: cannot sync issues (" in log and server.issues == {}
    server.clear_faults()
    scheduled.run(server)
    assert len(server.issues) == 2
