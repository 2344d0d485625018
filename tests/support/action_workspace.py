"""A workspace as the runner prepares it for `tmcheck action` on a pull request: a git
repository whose pull request adds the seed worksheet, its event file, and the files the runner
reads back; and the action run in-process against the fake GitHub API."""

from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.support.cli import Run
from tests.support.fake_github import FakeGitHub
from tests.support.gitrepo import git
from tests.support.paths import FIXTURES
from tests.support.runner_emulation import step_environment
from tmcheck.cli import main

TOKEN = "ghs_tmcheckCanaryToken0123456789"
REPOSITORY = "octo-org/octo-repo"


@dataclass
class Workspace:
    path: Path
    base: str
    head: str
    event: Path
    output: Path
    summary: Path

    def environ(
        self, server: FakeGitHub, event_name: str = "pull_request", **inputs: str
    ) -> dict[str, str]:
        return step_environment(
            server.url, REPOSITORY, self.path, event_name, self.event, token=TOKEN,
            output=self.output, summary=self.summary, inputs=inputs,
        )  # fmt: skip

    def retarget(self, base: str | None = None) -> None:
        """Point the event at the current HEAD (and at `base` as its base, when given)."""
        self.head = git(self.path, "rev-parse", "HEAD")
        if base is not None:
            self.base = base
        event = json.loads(self.event.read_text())
        event["pull_request"]["base"]["sha"] = self.base
        event["pull_request"]["head"]["sha"] = self.head
        self.event.write_text(json.dumps(event))

    def outputs(self) -> dict[str, str]:
        """GITHUB_OUTPUT read the way the runner reads it: `name<<DELIMITER` blocks."""
        blocks = re.findall(r"^([\w-]+)<<(\w+)\n(.*?)\n\2$", self.output.read_text(), re.M | re.S)
        return {name: value for name, _, value in blocks}


def make_workspace(tmp_path: Path) -> Workspace:
    """A repository whose pull request adds the seed worksheet and a diagram naming its ids."""
    repo = tmp_path / "workspace"
    (repo / "docs" / "threat-model").mkdir(parents=True)
    (repo / "README.md").write_text("# Shop\n")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD")
    shutil.copy(
        FIXTURES / "seed" / "stride-worksheet.yaml", repo / "docs" / "threat-model" / "gateway.yaml"
    )
    (repo / "src.py").write_text("print('hi')\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "head")
    head = git(repo, "rev-parse", "HEAD")
    event = tmp_path / "event.json"
    event.write_text(json.dumps({
        "action": "synchronize",
        "number": 1,
        "pull_request": {
            "number": 1,
            "base": {"sha": base, "ref": "main", "repo": {"full_name": REPOSITORY}},
            "head": {"sha": head, "ref": "feature", "repo": {"full_name": REPOSITORY}},
        },
        "repository": {"full_name": REPOSITORY},
    }))  # fmt: skip
    return Workspace(repo, base, head, event, tmp_path / "output", tmp_path / "summary.md")


def run_action(environ: dict[str, str]) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(["action"], stdout=out, stderr=err, environ=environ)
    return Run(code, out.getvalue(), err.getvalue())


def add_pull(server: FakeGitHub, workspace: Workspace, **kwargs: object) -> None:
    """The workspace's pull request, as the API lists it."""
    server.add_pull(
        1, head_sha=workspace.head, base_sha=workspace.base,
        files=["docs/threat-model/gateway.yaml", "src.py"], **kwargs,
    )  # fmt: skip
