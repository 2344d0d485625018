"""The real image: built from the Dockerfile with podman, run against the fake GitHub API.

`../shared/tools/container-base.sh` installs podman and a local stand-in for python:*-slim
(there is no registry here). On a clone without it the test is skipped; CI requires it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.fake_github import FakeGitHub, serve
from tests.support.gitrepo import git
from tests.support.paths import FIXTURES, REPO, SHARED, need
from tests.support.runner_emulation import input_environment

pytestmark = pytest.mark.slow  # builds the action's image with podman

IMAGE = "localhost/tmcheck:test"
TOKEN = "ghs_containerCanaryToken0123456789"
REPOSITORY = "octo-org/octo-repo"
RUNNER_UID = 1001  # the runner's user owns the workspace, the container runs as root


@pytest.fixture(scope="module")
def image() -> str:
    script = SHARED / "tools" / "container-base.sh"
    need(script.is_file(), f"{script} (installs podman and the base image) is not here")
    prepared = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=1200)
    assert prepared.returncode == 0, prepared.stdout + prepared.stderr
    built = subprocess.run(
        ["podman", "build", "-q", "-t", IMAGE, str(REPO)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    return IMAGE


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    yield from serve(REPOSITORY, token=TOKEN)


def test_image_comments_annotates_and_fails(image: str, server: FakeGitHub, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    (workspace / "docs" / "threat-model").mkdir(parents=True)
    (workspace / "README.md").write_text("# Shop\n")
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "add", ".")
    git(workspace, "commit", "-qm", "base")
    base = git(workspace, "rev-parse", "HEAD")
    for name in ("stride-worksheet.yaml", "threat-dragon-seed.json"):
        shutil.copy(FIXTURES / "seed" / name, workspace / "docs" / "threat-model" / name)
    git(workspace, "add", ".")
    git(workspace, "commit", "-qm", "threat model")
    head = git(workspace, "rev-parse", "HEAD")
    workflow, commands = tmp_path / "workflow", tmp_path / "file_commands"
    workflow.mkdir()
    commands.mkdir()
    (workflow / "event.json").write_text(json.dumps({
        "number": 7,
        "pull_request": {
            "number": 7,
            "base": {"sha": base, "repo": {"full_name": REPOSITORY}},
            "head": {"sha": head, "repo": {"full_name": REPOSITORY}},
        },
    }))  # fmt: skip
    for name in ("output", "summary"):
        (commands / name).write_text("")
    if os.geteuid() == 0:  # as on a runner: the workspace is not root's, git must still work
        for path in [workspace, *workspace.rglob("*")]:
            os.lchown(path, RUNNER_UID, RUNNER_UID)
    server.add_pull(
        7, head_sha=head, base_sha=base, files=["docs/threat-model/stride-worksheet.yaml"]
    )

    environment = {
        "GITHUB_API_URL": server.url,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": "/github/workflow/event.json",
        "GITHUB_SHA": "e" * 40,
        "GITHUB_WORKSPACE": "/github/workspace",
        "GITHUB_OUTPUT": "/github/file_commands/output",
        "GITHUB_STEP_SUMMARY": "/github/file_commands/summary",
        # every input of action.yml, as the runner passes them: defaults and `with:` values
        **input_environment({"sarif-file": "reports/tmcheck.sarif"}, github={"token": TOKEN}),
    }
    command = ["podman", "run", "--rm", "--network=host", "--workdir", "/github/workspace"]
    command += ["-v", f"{workspace}:/github/workspace", "-v", f"{workflow}:/github/workflow"]
    command += ["-v", f"{commands}:/github/file_commands"]
    for name, value in environment.items():
        command += ["-e", f"{name}={value}"]
    ran = subprocess.run([*command, image], capture_output=True, text=True, timeout=600)

    assert ran.returncode == 1, ran.stdout + ran.stderr
    (comment,) = server.comments_on(7)
    assert "### Blocking threats (4)" in comment.body
    assert "`T006`" not in comment.body and "T006" in comment.body  # the unresolved reference
    (run,) = server.check_runs.values()
    assert (run.head_sha, run.conclusion) == (head, "failure")
    failures = [a for a in run.annotations if a["annotation_level"] == "failure"]
    assert sorted((a["path"], a["start_line"]) for a in failures) == [
        ("docs/threat-model/stride-worksheet.yaml", line) for line in (9, 42, 58, 76)
    ] + [("docs/threat-model/threat-dragon-seed.json", 16)]
    output = (commands / "output").read_text()
    assert "blocking<<" in output and "\n4\n" in output
    assert "## \u274c tmcheck" in (commands / "summary").read_text()
    assert TOKEN not in ran.stdout + ran.stderr + output
    # written as root inside the container, owned by the workspace's user outside
    for name in ("tmcheck-report.md", "reports", "reports/tmcheck.sarif"):
        assert (workspace / name).stat().st_uid == (
            RUNNER_UID if os.geteuid() == 0 else os.getuid()
        )
    assert not any(request.token_leaked for request in server.requests)
