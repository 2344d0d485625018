"""`tmcheck action` on every event, with every kind of token, in monorepos, within GitHub's limits.

Each test builds a real git repository, an event file as GitHub writes it, and runs the action
in-process against the fake GitHub API on 127.0.0.1, with inputs as the runner passes them.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.support.action_workspace import REPOSITORY, Workspace, add_pull, run_action
from tests.support.fake_github import FakeGitHub, Identity
from tests.support.gitrepo import git
from tests.support.paths import FIXTURES

SEED = FIXTURES / "seed" / "stride-worksheet.yaml"


def _commit(workspace: Workspace, message: str) -> str:
    git(workspace.path, "add", "-A")
    git(workspace.path, "commit", "-qm", message)
    return git(workspace.path, "rev-parse", "HEAD")


def _branch_from_base(workspace: Workspace, name: str) -> None:
    git(workspace.path, "checkout", "-q", workspace.base)
    git(workspace.path, "checkout", "-q", "-b", name)


def _event(workspace: Workspace, event: dict[str, object]) -> None:
    workspace.event.write_text(json.dumps(event))


def test_monorepo_config_globs_are_relative_to_its_directory(
    server: FakeGitHub, workspace: Workspace
) -> None:
    """`services/a/.tmcheck.yaml` includes `threats/**`: a pull request adding a blocking
    threat under services/a/threats fails, with and without the `paths` input."""
    _branch_from_base(workspace, "monorepo-base")
    part = workspace.path / "services" / "a"
    part.mkdir(parents=True)
    (part / ".tmcheck.yaml").write_text("include: ['threats/**']\n")
    workspace.base = _commit(workspace, "config of part a")
    (part / "threats").mkdir()
    shutil.copy(SEED, part / "threats" / "gateway.yaml")
    _commit(workspace, "threats of part a")
    workspace.retarget()
    server.add_pull(1, head_sha=workspace.head, base_sha=workspace.base,
                    files=["services/a/threats/gateway.yaml"])  # fmt: skip
    config = "services/a/.tmcheck.yaml"
    result = run_action(workspace.environ(server, config=config, comment="off"))
    assert result.code == 1, result.stdout + result.stderr
    assert workspace.outputs()["blocking"] == "4"
    with_paths = run_action(
        workspace.environ(server, config=config, paths="services/a/threats/**", comment="off")
    )
    assert with_paths.code == 1, with_paths.stdout
    assert workspace.outputs()["blocking"] == "4"
    # every configured file, on a push: the same file, found by the config's globs
    _event(workspace, {"ref": "refs/heads/main", "before": "0" * 40, "after": workspace.head})
    push = run_action(workspace.environ(server, "push", config=config, comment="off"))
    assert push.code == 1 and workspace.outputs()["blocking"] == "4"


def test_pull_request_target_on_the_base_checkout_is_refused(
    server: FakeGitHub, workspace: Workspace
) -> None:
    """The default checkout of pull_request_target is the base: never a pass on it."""
    add_pull(server, workspace)
    git(workspace.path, "checkout", "-q", workspace.base)
    result = run_action(workspace.environ(server, "pull_request_target"))
    assert result.code == 2
    assert "pull_request_target checks out the base branch" in result.stdout
    assert not server.check_runs and not server.comments_on(1)
    assert "could not run" in workspace.summary.read_text()
    # with the head checked out, it is checked as on pull_request
    git(workspace.path, "checkout", "-q", workspace.head)
    checked = run_action(workspace.environ(server, "pull_request_target"))
    assert checked.code == 1
    assert [r.conclusion for r in server.check_runs.values()] == ["failure"]


def _old_debt(workspace: Workspace) -> None:
    """The base already holds the worksheet (4 blocking threats); the change adds a file."""
    _branch_from_base(workspace, "debt")
    (workspace.path / "docs" / "threat-model").mkdir(parents=True, exist_ok=True)
    shutil.copy(SEED, workspace.path / "docs" / "threat-model" / "gateway.yaml")
    workspace.base = _commit(workspace, "old debt")
    (workspace.path / "docs" / "notes.txt").write_text("notes\n")
    workspace.head = _commit(workspace, "a change without new threats")


def test_merge_group_compares_with_base_sha_like_the_pull_request(
    server: FakeGitHub, workspace: Workspace
) -> None:
    _old_debt(workspace)
    workspace.retarget()
    server.add_pull(1, head_sha=workspace.head, base_sha=workspace.base, files=["docs/notes.txt"])
    pull = run_action(workspace.environ(server, gate="new", scope="all", comment="off"))
    _event(workspace, {"merge_group": {
        "head_sha": workspace.head, "head_ref": "refs/heads/gh-readonly-queue/main/pr-1",
        "base_sha": workspace.base, "base_ref": "refs/heads/main",
    }})  # fmt: skip
    environ = workspace.environ(server, "merge_group", gate="new", scope="all")
    environ["GITHUB_SHA"] = workspace.head
    queue = run_action(environ)
    assert (pull.code, queue.code) == (0, 0), queue.stdout
    assert workspace.outputs()["blocking"] == "0" and workspace.outputs()["open"] == "4"


def test_push_compares_with_before_and_a_new_branch_has_no_base(
    server: FakeGitHub, workspace: Workspace
) -> None:
    _old_debt(workspace)
    _event(workspace, {"ref": "refs/heads/debt", "before": workspace.base, "after": workspace.head})
    environ = workspace.environ(server, "push", gate="new", sarif_file="tmcheck.sarif")
    environ["GITHUB_SHA"] = workspace.head
    assert run_action(environ).code == 0
    _event(workspace, {"ref": "refs/heads/debt", "before": "0" * 40, "after": workspace.head})
    new_branch = run_action(environ)
    assert new_branch.code == 1  # no base: gate new falls back to all, and says so
    sarif = json.loads((workspace.path / "tmcheck.sarif").read_text())
    (run,) = sarif["runs"]
    assert run["automationDetails"] == {"id": "tmcheck/"}
    rules = {r["ruleId"] for r in run["results"]}
    assert "gate-without-base" in rules
    for result in run["results"]:  # code scanning refuses a result without a location
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == "docs/threat-model/gateway.yaml"


def test_schedule_and_workflow_dispatch_check_every_file(
    server: FakeGitHub, workspace: Workspace
) -> None:
    for event_name in ("schedule", "workflow_dispatch"):
        _event(workspace, {"schedule": "0 3 * * 1"} if event_name == "schedule" else {})
        result = run_action(workspace.environ(server, event_name))
        assert result.code == 1 and workspace.outputs()["blocking"] == "4"
    assert not server.comments_on(1) if 1 in server.pulls else True
    assert len(server.check_runs) == 2


def test_app_token_keeps_one_comment_without_403_noise(
    server: FakeGitHub, workspace: Workspace
) -> None:
    app_token = "ghs_appInstallationCanary0123456789"
    server.add_token(app_token, Identity("threat-bot[bot]", "Bot", 90001))
    add_pull(server, workspace)
    server.add_comment(1, "<!-- tmcheck:report tmcheck -->\nforged", author=Identity("mallory"))
    for _ in range(3):
        environ = workspace.environ(server)
        environ["INPUT_TOKEN"] = app_token
        result = run_action(environ)
        assert result.code == 1
        assert "403" not in result.stdout + result.stderr
    comments = server.comments_on(1)
    assert [c.author.login for c in comments] == ["mallory", "threat-bot[bot]"]
    assert comments[0].body.endswith("forged")
    assert not server.requests_to("GET", "/user")
    assert {run.app.login for run in server.check_runs.values()} == {"threat-bot[bot]"}


def test_personal_token_keeps_one_comment_and_degrades_the_check_run(
    server: FakeGitHub, workspace: Workspace
) -> None:
    personal = "ghp_personalCanaryToken0123456789"
    server.add_token(personal, Identity("alice"))
    add_pull(server, workspace)
    for _ in range(2):
        environ = workspace.environ(server)
        environ["INPUT_TOKEN"] = personal
        result = run_action(environ)
        assert result.code == 1
    (comment,) = server.comments_on(1)
    assert comment.author.login == "alice"
    assert "cannot create the check run (403 You must authenticate via a GitHub App." in (
        result.stdout
    )
    assert "::error file=docs/threat-model/gateway.yaml,line=9" in result.stdout


def test_marker_must_start_the_body_and_check_names_keep_their_comments(
    server: FakeGitHub, workspace: Workspace
) -> None:
    add_pull(server, workspace)
    quoted = "Another bot quotes:\n<!-- tmcheck:report tmcheck -->\n"
    server.add_comment(1, quoted, author=Identity("github-actions[bot]", "Bot", 41898282))
    for name in ("tmcheck", "tmcheck-api", "tmcheck"):
        assert run_action(workspace.environ(server, check_name=name)).code == 1
    bodies = [c.body for c in server.comments_on(1)]
    assert bodies[0] == quoted
    assert [b.splitlines()[0] for b in bodies[1:]] == [
        "<!-- tmcheck:report tmcheck -->", "<!-- tmcheck:report tmcheck-api -->",
    ]  # fmt: skip
    assert sorted(run.name for run in server.check_runs.values()) == [
        "tmcheck", "tmcheck", "tmcheck-api",
    ]  # fmt: skip
    assert (workspace.path / "tmcheck-report.md").is_file()
    assert (workspace.path / "tmcheck-api-report.md").is_file()


def test_comment_modes(server: FakeGitHub, workspace: Workspace) -> None:
    add_pull(server, workspace)
    assert run_action(workspace.environ(server, check_run="false")).code == 1
    (first,) = server.comments_on(1)
    assert run_action(workspace.environ(server, check_run="false", comment="recreate")).code == 1
    (second,) = server.comments_on(1)
    assert second.id != first.id
    assert server.requests_to("DELETE", f"/repos/{REPOSITORY}/issues/comments/{first.id}")
    server.clear_requests()
    assert run_action(workspace.environ(server, check_run="false", comment="off")).code == 1
    assert not [r for r in server.requests if "/comments" in r.path]
    assert workspace.outputs()["comment-url"] == ""


def test_pull_request_touching_no_threat_model_gets_no_comment(
    server: FakeGitHub, workspace: Workspace
) -> None:
    _branch_from_base(workspace, "docs-only")
    (workspace.path / "CHANGELOG.txt").write_text("fix\n")
    _commit(workspace, "docs only")
    workspace.retarget()
    server.add_pull(1, head_sha=workspace.head, base_sha=workspace.base, files=["CHANGELOG.txt"])
    result = run_action(workspace.environ(server))
    assert result.code == 0
    assert server.comments_on(1) == []
    assert "no comment: the pull request changes no threat model" in result.stdout
    (run,) = server.check_runs.values()  # a required check still reports
    assert run.conclusion == "success"


def test_architecture_change_without_model_change_warns_stale(
    server: FakeGitHub, workspace: Workspace
) -> None:
    _branch_from_base(workspace, "architecture")
    docs = workspace.path / "docs" / "threat-model"
    docs.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / "seed" / "architecture.yaml", docs / "architecture.yaml")
    shutil.copy(FIXTURES / "seed" / "threat-model.md", docs / "threat-model.md")
    workspace.base = _commit(workspace, "architecture and its model")
    architecture = docs / "architecture.yaml"
    architecture.write_text(
        architecture.read_text()
        + "  - {name: Audit log, from: App Service, to: Postgres DB, protocol: SQL}\n"
    )
    _commit(workspace, "a new flow")
    workspace.retarget()
    files = ["docs/threat-model/architecture.yaml"]
    for scope in ("changed", "all"):
        server.check_runs.clear()
        server.add_pull(1, head_sha=workspace.head, base_sha=workspace.base, files=files)
        run_action(workspace.environ(server, scope=scope, comment="off"))
        (run,) = server.check_runs.values()
        stale = [a for a in run.annotations if a["title"] == "tmcheck stale-threat-model"]
        assert [a["path"] for a in stale] == files, scope
        assert "stale\\-threat\\-model" in (run.summary or "") or "stale-threat-model" in (
            run.summary or ""
        )


def test_config_from_base_keeps_the_gate_a_pull_request_turns_off(
    server: FakeGitHub, workspace: Workspace
) -> None:
    (workspace.path / ".tmcheck.yaml").write_text("rules: {blocking-threat: off}\n")
    _commit(workspace, "turn the gate off")
    workspace.retarget()
    add_pull(server, workspace)
    result = run_action(workspace.environ(server, check_run="false"))
    assert result.code == 1
    assert workspace.outputs()["passed"] == "false" and workspace.outputs()["blocking"] == "4"
    (comment,) = server.comments_on(1)
    assert "applies once the pull request is merged" in comment.body.replace("\\", "")
    head = run_action(workspace.environ(server, check_run="false", config_from="head"))
    assert head.code == 0


def test_config_from_base_through_the_api_on_a_shallow_clone(
    server: FakeGitHub, workspace: Workspace
) -> None:
    (workspace.path / ".tmcheck.yaml").write_text("threshold: 25\n")
    _commit(workspace, "raise the threshold")
    workspace.retarget(base="1" * 40)  # not in this clone
    add_pull(server, workspace)
    server.set_content("1" * 40, ".tmcheck.yaml", b"threshold: 12\n")
    result = run_action(workspace.environ(server, check_run="false"))
    assert result.code == 1 and workspace.outputs()["blocking"] == "4"
    assert server.requests_to("GET", f"/repos/{REPOSITORY}/contents/.tmcheck.yaml")


def test_non_ascii_report_fits_the_check_run_in_bytes(
    server: FakeGitHub, workspace: Workspace
) -> None:
    title = "\u653b\u6483\u8005\u304c\u30c8\u30fc\u30af\u30f3\u3092\u507d\u9020\u3059\u308b" * 20
    rows = "".join(
        f'  - {{id: J{i:04}, category: Spoofing, description: "{title} {i}",'
        " likelihood: 4, impact: 4, status: Open, owner: Team}\n"
        for i in range(600)
    )
    (workspace.path / "docs" / "threat-model" / "jp.yaml").write_text(
        "component: {name: API, owner: Team}\nthreats:\n" + rows, encoding="utf-8"
    )
    _commit(workspace, "many non-ASCII titles")
    workspace.retarget()
    server.add_pull(1, head_sha=workspace.head, base_sha=workspace.base,
                    files=["docs/threat-model/jp.yaml"])  # fmt: skip
    result = run_action(workspace.environ(server))
    assert result.code == 1, result.stdout
    (run,) = server.check_runs.values()
    assert run.summary is not None and len(run.summary.encode("utf-8")) <= 65535
    (comment,) = server.comments_on(1)
    assert len(comment.body) <= 65536 and len(comment.body.encode("utf-8")) > 65535
    assert "more not shown" in run.summary or "not shown" in run.summary


def test_planted_directory_at_the_report_path_still_publishes(
    server: FakeGitHub, workspace: Workspace
) -> None:
    planted = workspace.path / "tmcheck-report.md"
    planted.mkdir()
    (planted / "keep").write_text("")
    _commit(workspace, "plant a directory")
    workspace.retarget()
    add_pull(server, workspace)
    result = run_action(workspace.environ(server))
    assert result.code == 1, result.stdout + result.stderr
    (comment,) = server.comments_on(1)
    assert "report\\-file was not written" in comment.body or "report-file was not written" in (
        comment.body
    )
    assert [r.conclusion for r in server.check_runs.values()] == ["failure"]
    assert workspace.outputs()["report"] == ""
    assert (planted / "keep").is_file()


def test_degraded_annotations_are_few_and_most_severe_first(
    server: FakeGitHub, workspace: Workspace
) -> None:
    rows = "".join(
        f"  - {{id: X{i:03}, category: Tampering, likelihood: 4, impact: 4, status: Open}}\n"
        for i in range(30)
    )
    (workspace.path / "docs" / "threat-model" / "many.yaml").write_text(
        "component: {name: Batch}\nthreats:\n" + rows
    )
    _commit(workspace, "many")
    workspace.retarget()
    add_pull(server, workspace)
    result = run_action(workspace.environ(server, check_run="false", comment="off"))
    commands = [line for line in result.stdout.splitlines() if line.startswith("::")]
    errors = [c for c in commands if c.startswith("::error ")]
    warnings = [c for c in commands if c.startswith("::warning ")]
    assert len(errors) == 10 and len(warnings) <= 10
    assert commands.index(errors[-1]) < commands.index(warnings[0]) if warnings else True
    assert any(
        "more findings are not annotated here" in line and "job summary" in line
        for line in result.stdout.splitlines()
    )


def test_report_files_belong_to_the_workspace_owner(
    server: FakeGitHub, workspace: Workspace
) -> None:
    if os.geteuid() != 0:
        return  # only root can give a file away; the container runs as root
    os.chown(workspace.path, 1001, 1001)
    add_pull(server, workspace)
    run_action(workspace.environ(server, sarif_file="out/tmcheck.sarif", comment="off"))
    for path in ("tmcheck-report.md", "out", "out/tmcheck.sarif"):
        assert (workspace.path / path).stat().st_uid == 1001, path


def test_paths_that_match_nothing_say_so(server: FakeGitHub, workspace: Workspace) -> None:
    """Checking nothing does not pass silently: the verdict says no threat model was found and
    the check run is neutral, not a success."""
    add_pull(server, workspace)
    result = run_action(workspace.environ(server, scope="all", paths="no/such/dir/**"))
    assert result.code == 0, result.stdout + result.stderr
    assert "no-threat-models" in result.stdout
    (run,) = server.check_runs.values()
    assert run.conclusion == "neutral"
    assert run.title == "No threat model found"
    summary = workspace.summary.read_text(encoding="utf-8")
    assert "found no threat model" in summary and "passes" not in summary


def test_dependabot_read_only_token_is_named(server: FakeGitHub, workspace: Workspace) -> None:
    add_pull(server, workspace)
    forbidden = "Resource not accessible by integration"
    server.fail("POST", f"/repos/{REPOSITORY}/check-runs", 403, message=forbidden, times=None)
    environ = workspace.environ(server, comment="off")
    environ["GITHUB_ACTOR"] = "dependabot[bot]"
    result = run_action(environ)
    assert result.code == 1
    assert (
        f"tmcheck: cannot create the check run (403 {forbidden}: a workflow that Dependabot"
        " triggers gets a read-only token; grant `pull-requests: write` and `checks: write` in"
        " the workflow's permissions); the annotations below carry the findings"
    ) in result.stdout.splitlines()
    assert "fork" not in result.stdout


def test_job_summary_is_cut_in_bytes(tmp_path: Path) -> None:
    from tmcheck.github.runner import STEP_SUMMARY_LIMIT, append_summary

    summary = tmp_path / "summary.md"
    append_summary(summary, "\u653b\u6483\n" * 200_000)  # 1.4 MB of UTF-8, 600,000 characters
    written = summary.read_bytes()
    assert len(written) <= STEP_SUMMARY_LIMIT
    assert written.decode("utf-8").endswith("(summary cut to fit the runner's limit)\n")


def test_app_token_keeps_one_comment_when_graphql_cannot_say(
    server: FakeGitHub, workspace: Workspace
) -> None:
    """Without GraphQL (a proxy, an old GitHub Enterprise), the check run's App names the
    token's bot; without a check run either, a bot comment that starts with the marker is ours,
    and a person's never is."""
    app_token = "ghs_appInstallationCanary0123456789"
    server.add_token(app_token, Identity("threat-bot[bot]", "Bot", 90001))
    server.fail("POST", "/graphql", 502, times=None)
    add_pull(server, workspace)
    server.add_comment(1, "<!-- tmcheck:report tmcheck -->\nforged", author=Identity("mallory"))
    for check_run in ("true", "true", "false", "false"):
        environ = workspace.environ(server, check_run=check_run)
        environ["INPUT_TOKEN"] = app_token
        assert run_action(environ).code == 1
    comments = server.comments_on(1)
    assert [c.author.login for c in comments] == ["mallory", "threat-bot[bot]"]
    assert not server.requests_to("GET", "/user")


def test_push_whose_before_is_not_in_the_clone_stays_quiet(
    server: FakeGitHub, workspace: Workspace
) -> None:
    """A shallow clone lacks `before`: with `gate: all` that is no reason for a warning."""
    _event(workspace, {"ref": "refs/heads/main", "before": "1" * 40, "after": workspace.head})
    environ = workspace.environ(server, "push")
    environ["GITHUB_SHA"] = workspace.head
    result = run_action(environ)
    assert result.code == 1 and "base-unreadable" not in result.stdout
    with_gate = run_action(workspace.environ(server, "push", gate="new"))
    assert "base-unreadable" in with_gate.stdout or "gate-without-base" in with_gate.stdout
