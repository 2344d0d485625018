"""git on hostile repositories (git/repositories.json), through `tmcheck check --base` and
`tmcheck action`: a canary file that any command of theirs would write stays absent, and the
comparison with the base is made on the repository tmcheck was pointed at, or refused as git
refuses it."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.fake_github import FakeGitHub
from tests.support.gitrepo import git
from tests.support.hostile_checks import assert_commands_inert
from tests.support.hostile_harness import HOSTILE, REPOSITORY, Places, PullRequest, collect
from tests.support.paths import need
from tmcheck.cli import main

DATA = json.loads((HOSTILE / "git" / "repositories.json").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = DATA["cases"]
MODEL: str = DATA["model"]


@dataclass
class Planted:
    """A workspace whose pull request (base..head) brings a case's files."""

    workspace: Path
    canary: Path
    base: str
    head: str
    pull: PullRequest

    def fill(self, text: str) -> str:
        return (
            text.replace("{workspace}", str(self.workspace))
            .replace("{canary}", str(self.canary))
            .replace("{base}", self.base)
        )


@pytest.fixture
def world_readable() -> Iterator[Path]:
    """A directory every user may enter (pytest's tmp_path is root's alone), with a canary
    folder every user may write."""
    top = Path(tempfile.mkdtemp(prefix="tmcheck-git-"))
    top.chmod(0o755)
    (top / "canary").mkdir()
    (top / "canary").chmod(0o777)
    yield top
    shutil.rmtree(top, ignore_errors=True)


def plant(case: dict[str, Any], top: Path) -> Planted:
    workspace = top / "workspace"
    workspace.mkdir()
    config_dir = workspace / case["config_dir"]
    config_dir.mkdir(parents=True, exist_ok=True)
    git(workspace, "init", "-q", "-b", "main")
    (workspace / "README.txt").write_text("base\n")
    (config_dir / ".tmcheck.yaml").write_text("threshold: 12\n")
    (config_dir / "model.yaml").write_text(MODEL.replace("LIKELIHOOD", "2"))
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "base")
    base = git(workspace, "rev-parse", "HEAD")
    planted = Planted(workspace, top / "canary" / "ran", base, "", None)  # type: ignore[arg-type]
    (config_dir / "model.yaml").write_text(MODEL.replace("LIKELIHOOD", "4"))
    for name, text in case.get("plant", {}).items():
        path = workspace / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(planted.fill(text))
        if "/hooks/" in f"/{name}":
            path.chmod(0o755)
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "head")
    planted.head = git(workspace, "rev-parse", "HEAD")
    if "repository_config" in case:
        with (workspace / ".git" / "config").open("a") as config:
            config.write(planted.fill(case["repository_config"]))
    if case.get("touch_work_tree"):  # stale stat data: git re-reads (and would filter) files
        for path in (config_dir / "model.yaml", workspace / "README.txt"):
            os.utime(path, (1_000_000_000, 1_000_000_000))
    if "owner" in case:
        subprocess.run(["chown", "-R", str(case["owner"]), str(workspace)], check=True)
    event = top / "event.json"
    pull = {
        "number": 1,
        "base": {"sha": base, "ref": "main", "repo": {"full_name": REPOSITORY}},
        "head": {"sha": planted.head, "ref": "feature", "repo": {"full_name": "forker/repo"}},
    }
    event.write_text(json.dumps({"action": "opened", "number": 1, "pull_request": pull}))
    planted.pull = PullRequest(
        Places(workspace, top), base, planted.head, event, top / "output", top / "summary.md"
    )
    return planted


def _environment(case: dict[str, Any], planted: Planted, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in case.get("environment", {}).items():
        monkeypatch.setenv(name, planted.fill(value))


def _assert_compared(text: str, planted: Planted) -> None:
    assert "[base-unreadable]" not in text, text[-3000:]
    assert f"({planted.base[:12]})" in text, text[-3000:]


@pytest.mark.parametrize("case", [c for c in CASES if "cli" in c], ids=lambda c: c["id"])
def test_check(case: dict[str, Any], world_readable: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    planted = plant(case, world_readable)
    expected = case["cli"]
    cwd = planted.workspace / expected["cwd"]
    args = ["check", *(planted.fill(arg) for arg in expected["args"])]
    if "run_as" in case:
        code, stdout, stderr = _run_as(case["run_as"], args, cwd)
    else:
        _environment(case, planted, monkeypatch)
        monkeypatch.chdir(cwd)
        out, err = io.StringIO(), io.StringIO()
        code = main(args, stdout=out, stderr=err, environ={}, cwd=cwd)
        stdout, stderr = out.getvalue(), err.getvalue()
    assert not planted.canary.exists(), "a command of the repository ran"
    assert code == expected["exit"], stdout[-3000:] + stderr
    if "stderr" in expected:
        assert stdout == ""
        assert stderr.startswith(planted.fill(expected["stderr"])), stderr
        assert stderr.count("tmcheck: error:") == 1
    if expected.get("compared"):
        _assert_compared(stdout, planted)


@pytest.mark.parametrize("case", [c for c in CASES if "action" in c], ids=lambda c: c["id"])
def test_action(
    case: dict[str, Any],
    world_readable: Path,
    server: FakeGitHub,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    planted = plant(case, world_readable)
    server.add_pull(1, head_sha=planted.head, base_sha=planted.base, head_repo="forker/repo")
    _environment(case, planted, monkeypatch)
    inputs = {name: planted.fill(value) for name, value in case["action"]["inputs"].items()}
    environ = planted.pull.environ(server, **inputs)
    monkeypatch.chdir(world_readable)  # the action changes into the workspace: come back after
    out, err = io.StringIO(), io.StringIO()
    code = main(["action"], stdout=out, stderr=err, environ=environ)
    outcome = collect(planted.pull, server, code, out.getvalue(), err.getvalue())
    assert not planted.canary.exists(), "a command of the repository ran"
    assert outcome.code == case["action"]["exit"], outcome.stdout[-3000:] + outcome.stderr
    assert_commands_inert(outcome.stdout)
    if case["action"].get("compared"):
        _assert_compared(outcome.stdout, planted)


def _run_as(user: str, args: list[str], cwd: Path) -> tuple[int, str, str]:
    """`python -m tmcheck ARGS` as `user`, with this checkout and its dependencies."""
    runuser = shutil.which("runuser")
    need(os.geteuid() == 0 and runuser is not None, "another user's run needs root and runuser")
    assert runuser is not None
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    interpreter = next(
        (
            candidate
            for candidate in (sys.executable, shutil.which(version, path="/usr/bin:/usr/local/bin"))
            if candidate and subprocess.run([runuser, "-u", user, "--", "test", "-x", candidate],
                                            check=False).returncode == 0
        ),
        None,
    )  # fmt: skip
    need(interpreter is not None, f"no {version} that {user} may run")
    assert interpreter is not None
    path = os.pathsep.join([str(HOSTILE.parent.parent), sysconfig.get_paths()["purelib"]])
    completed = subprocess.run(
        [runuser, "-u", user, "--", interpreter, "-m", "tmcheck", *args],
        cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
        env={"PATH": os.environ["PATH"], "HOME": "/nonexistent", "PYTHONPATH": path},
    )  # fmt: skip
    return completed.returncode, completed.stdout, completed.stderr
