"""The cases of `publishing/cases.json` through `tmcheck action` against the fake GitHub API.

Each case is a pull request (real git commits: its threat model, directories planted where the
outputs go, links out of the workspace) with the comments already on it, run as one or more steps
with the inputs given; then the comments, check runs, outputs and SARIF are compared with what
the case expects.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.fake_github import FakeGitHub, Identity
from tests.support.gitrepo import git
from tests.support.hostile_harness import TOKEN  # the token of the `server` fixture (conftest)
from tests.support.runner_emulation import step_environment
from tmcheck.cli import main

HERE = Path(__file__).parent / "publishing"
SPEC = json.loads((HERE / "cases.json").read_text(encoding="utf-8"))
CASES = SPEC["cases"]
REPOSITORY = "octo-org/octo-repo"
CANARY = "tmcheck-publishing-canary-5d1e"


def _pull_request(tmp_path: Path, case: dict[str, Any]) -> tuple[Path, Path, str, str]:
    workspace, outside = tmp_path / "workspace", tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text(
        f"component: {{name: {CANARY}, owner: x}}\nthreats:\n"
        f"  - {{id: {CANARY}, category: Spoofing, likelihood: 5, impact: 5, status: Open}}\n"
    )
    (workspace / "threatmodels").mkdir(parents=True)
    (workspace / "README.md").write_text("# Shop\n")
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "add", ".")
    git(workspace, "commit", "-qm", "base")
    base = git(workspace, "rev-parse", "HEAD")
    shutil.copy(HERE / case["file"], workspace / "threatmodels" / case["file"])
    for name, content in case.get("plant", {}).items():
        (workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace / name).write_text(content)
    for name, target in case.get("links", {}).items():
        os.symlink(target.replace("{outside}", str(outside)), workspace / name)
    git(workspace, "add", ".")
    git(workspace, "commit", "-qm", "the pull request")
    return workspace, outside, base, git(workspace, "rev-parse", "HEAD")


def _environ(
    server: FakeGitHub, tmp_path: Path, workspace: Path, inputs: dict[str, str]
) -> dict[str, str]:
    return step_environment(
        server.url, REPOSITORY, workspace, "pull_request", tmp_path / "event.json", token=TOKEN,
        output=tmp_path / "output", summary=tmp_path / "summary.md", inputs=inputs,
    )  # fmt: skip


def _outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT's `name<<DELIMITER` blocks, read line by line as the runner does."""
    outputs, lines = {}, iter(text.split("\n"))
    for line in lines:
        if "<<" not in line:
            continue
        name, delimiter = line.split("<<", 1)
        value = []
        for item in lines:
            if item == delimiter:
                break
            value.append(item)
        outputs[name] = "\n".join(value)
    return outputs


def _plain(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_publishing_case(
    case: dict[str, Any], tmp_path: Path, server: FakeGitHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace, outside, base, head = _pull_request(tmp_path, case)
    (tmp_path / "event.json").write_text(json.dumps({
        "number": 1,
        "pull_request": {
            "number": 1,
            "base": {"sha": base, "repo": {"full_name": REPOSITORY}},
            "head": {"sha": head, "repo": {"full_name": REPOSITORY}},
        },
    }))  # fmt: skip
    server.add_pull(1, head_sha=head, base_sha=base, files=[f"threatmodels/{case['file']}"])
    for comment in case.get("existing", []):
        server.add_comment(1, comment["body"], author=Identity(comment["author"], comment["type"]))
    monkeypatch.chdir(tmp_path)
    everything = ""
    for inputs in case["steps"]:
        (tmp_path / "output").write_text("")
        out, err = io.StringIO(), io.StringIO()
        code = main(["action"], stdout=out, stderr=err, environ=_environ(
            server, tmp_path, workspace, inputs
        ))  # fmt: skip
        assert code == case["exit"], out.getvalue() + err.getvalue()
        everything += out.getvalue() + err.getvalue()

    comments = server.comments_on(1)
    expected_comments = case.get("comments", [])
    if "comments" in case:
        assert len(comments) == len(expected_comments), [c.body[:80] for c in comments]
    for comment, expected in zip(comments, expected_comments, strict=False):
        assert comment.author.login == expected["author"]
        if "equals" in expected:
            assert comment.body == expected["equals"]
        if "starts_with" in expected:
            assert comment.body.startswith(expected["starts_with"])
        if "contains" in expected:
            assert expected["contains"] in _plain(comment.body)
    if "check_runs" in case:
        assert [run.conclusion for run in server.check_runs.values()] == case["check_runs"]
    outputs = _outputs((tmp_path / "output").read_text())
    for name, value in case.get("outputs", {}).items():
        assert outputs[name] == value, name
    everything += "".join(comment.body for comment in comments)
    everything += "".join((run.summary or "") for run in server.check_runs.values())
    for inputs in case["steps"]:
        if "sarif-file" in inputs and (workspace / inputs["sarif-file"]).is_file():
            sarif = (workspace / inputs["sarif-file"]).read_text(encoding="utf-8")
            everything += sarif
            for run in json.loads(sarif)["runs"]:
                for result in run["results"]:
                    location = result["locations"][0]["physicalLocation"]
                    uri = location["artifactLocation"]["uri"]
                    assert uri.startswith(tuple(case.get("sarif_uris_within", [""]))), uri
    for text in [CANARY, TOKEN, *case.get("forbidden", [])]:
        assert text.replace("{outside}", str(outside)) not in everything
