"""`--changed-files` and `--base`: an architecture that changed without its threat model."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from tests.support.cli import RunCli
from tests.support.gitrepo import git
from tests.support.paths import REPO
from tmcheck.cli import main

QUIET = (
    "rules: {stride-coverage: off, blocking-threat: off, missing-owner: off,"
    " unknown-component: off, missing-ticket: off}\n"
)
STALE = (
    "docs/architecture.yaml:1:1: warning [stale-threat-model] architecture changed; threat model"
    " not reviewed: none of the threat models of its elements changed (docs/threat-model.md)"
)
SUMMARY = "tmcheck passed: 3 files, 5 threats (3 open, 2 blocking at threshold 12); 0 errors, {}"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in ("architecture.yaml", "threat-model.md"):
        shutil.copy(REPO / "fixtures" / "seed" / name, docs / name)
    (docs / "billing.yaml").write_text(
        "threats:\n  - {id: B1, component: Billing, threat: Spoofing, risk: LOW}\n",
        encoding="utf-8",
    )
    (tmp_path / ".tmcheck.yaml").write_text(QUIET + "exclude: ['**/*.txt']\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def _touch(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _lines(run_cli: RunCli, repo: Path, *args: str, cwd: Path | None = None) -> list[str]:
    result = run_cli("check", *args, cwd=cwd or repo)
    assert result.stderr == "" and result.code == 0, result.stdout + result.stderr
    # --base also reports the threat diff (tests/test_base_diff.py); these tests are about staleness
    diff = ("no threat changed since ", "changes since ", "  ")
    return [line for line in result.stdout.splitlines() if not line.startswith(diff)]


def test_architecture_changed_alone_is_stale(run_cli: RunCli, repo: Path) -> None:
    _touch(repo / "docs" / "architecture.yaml")
    assert _lines(run_cli, repo, "--base", "HEAD", "docs") == [STALE, SUMMARY.format("1 warning")]
    _touch(repo / "docs" / "billing.yaml")  # a model of other components does not count
    assert _lines(run_cli, repo, "--base", "HEAD", "docs") == [STALE, SUMMARY.format("1 warning")]


def test_architecture_changed_with_its_model_is_fine(run_cli: RunCli, repo: Path) -> None:
    _touch(repo / "docs" / "architecture.yaml")
    _touch(repo / "docs" / "threat-model.md")
    assert _lines(run_cli, repo, "--base", "HEAD", "docs") == [SUMMARY.format("0 warnings")]
    git(repo, "commit", "-qam", "head")  # committed: HEAD~1 is the base now
    assert _lines(run_cli, repo, "--base", "HEAD~1", "docs") == [SUMMARY.format("0 warnings")]
    assert _lines(run_cli, repo, "--base", "HEAD", "docs") == [SUMMARY.format("0 warnings")]


def test_git_paths_and_command_line_paths_compare_from_a_subdirectory(
    run_cli: RunCli, repo: Path
) -> None:
    _touch(repo / "docs" / "architecture.yaml")
    lines = _lines(run_cli, repo, "--base", "HEAD", ".", cwd=repo / "docs")
    assert lines[0] == STALE.replace("docs/", "")


def test_a_list_of_changed_files(run_cli: RunCli, repo: Path) -> None:
    (repo / "changed.txt").write_text("docs/architecture.yaml\nREADME.md\n", encoding="utf-8")
    assert _lines(run_cli, repo, "--changed-files", "changed.txt", "docs")[0] == STALE
    (repo / "changed.txt").write_bytes(b"docs/architecture.yaml\0docs/threat-model.md\0")
    assert _lines(run_cli, repo, "--changed-files", "changed.txt", "docs") == [
        SUMMARY.format("0 warnings")
    ]
    (repo / "changed.txt").write_text("docs/threat-model.md\n", encoding="utf-8")
    assert _lines(run_cli, repo, "--changed-files", "changed.txt", "docs") == [
        SUMMARY.format("0 warnings")
    ]


def test_changed_files_from_standard_input(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo)
    out = io.StringIO()
    stdin = io.StringIO(f"{repo}/docs/architecture.yaml\r\n")
    code = main(
        ["check", "--changed-files", "-", "docs"], stdout=out, stderr=io.StringIO(),
        environ={}, cwd=repo, stdin=stdin,
    )  # fmt: skip
    assert code == 0 and out.getvalue().splitlines()[0] == STALE


def test_an_architecture_named_alone_sees_the_models_under_the_root(
    run_cli: RunCli, repo: Path
) -> None:
    """Named alone, the architecture is checked with the other threat models as context: the
    one that covers its elements did not change."""
    _touch(repo / "docs" / "architecture.yaml")
    lines = _lines(run_cli, repo, "--base", "HEAD", "docs/architecture.yaml")
    assert lines[0] == (
        "docs/architecture.yaml:1:1: warning [stale-threat-model] architecture changed; threat"
        " model not reviewed: none of the threat models of its elements changed"
        " (docs/threat-model.md)"
    )


def test_without_a_change_list_nothing_is_stale(run_cli: RunCli, repo: Path) -> None:
    _touch(repo / "docs" / "architecture.yaml")
    assert _lines(run_cli, repo, "docs") == [SUMMARY.format("0 warnings")]


def test_a_missing_change_list_is_a_usage_error(run_cli: RunCli, repo: Path) -> None:
    result = run_cli("check", "--changed-files", "missing.txt", "docs", cwd=repo)
    assert (result.code, result.stdout) == (2, "")
    assert (
        result.stderr == "tmcheck: error: --changed-files missing.txt: No such file or directory\n"
    )


@pytest.mark.parametrize(
    ("base", "reason"),
    [("nope", "git rev-parse failed: bad revision 'nope'"), ("--output=x", "not a revision")],
)
def test_an_unreadable_base_is_a_usage_error(
    run_cli: RunCli, repo: Path, base: str, reason: str
) -> None:
    """On the command line a base git cannot resolve stops the run with git's reason."""
    result = run_cli("check", f"--base={base}", "docs", cwd=repo)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr == f"tmcheck: error: --base {base}: {reason}\n"
    assert not (repo / "x").exists()


def test_base_outside_a_repository(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("check", "--no-config", "--base", "HEAD", cwd=tmp_path)
    assert (result.code, result.stdout) == (2, "")
    assert result.stderr.startswith(
        "tmcheck: error: --base HEAD: git rev-parse failed: not a git repository"
    )
