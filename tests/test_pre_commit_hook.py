"""The hook, run the way users run it: `pre-commit run` in a fresh git repository.

The hook's environment (a virtualenv with tmcheck and its dependencies) is what costs: it is
installed once for the module, from a commit of the working tree, and both runs use it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.gitrepo import git
from tests.support.paths import FIXTURES, REPO, need

pytestmark = pytest.mark.slow  # the hook's environment: pip installs tmcheck into a virtualenv


@dataclass(frozen=True)
class HookSource:
    repository: Path  # the working tree as one commit: what a user's `rev:` would name
    commit: str
    home: Path  # PRE_COMMIT_HOME: where the hook's environment is installed, once


@pytest.fixture(scope="module")
def hook_source(tmp_path_factory: pytest.TempPathFactory) -> HookSource:
    source = tmp_path_factory.mktemp("hook-source")
    listed = git(REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    git(source, "init", "-q")
    git(source, "add", ".")
    git(source, "commit", "-q", "-m", "the working tree")
    return HookSource(source, git(source, "rev-parse", "HEAD"), tmp_path_factory.mktemp("home"))


def _run_hook(hook: HookSource, repo: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """`pre-commit run` with a config that names the hook's repository at its commit, as a
    user's does (`try-repo` would install the environment afresh every time)."""
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook.repository}\n    rev: {hook.commit}\n    hooks: [{{id: tmcheck}}]\n",
        encoding="utf-8",
    )
    git(repo, "add", ".pre-commit-config.yaml")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "run", "--files", *files],
        cwd=repo, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PRE_COMMIT_COLOR": "never", "PRE_COMMIT_HOME": str(hook.home)},
    )  # fmt: skip


def test_hook_blocks_a_worksheet_with_open_high_threats(
    hook_source: HookSource, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    models = repo / "docs" / "threat-model"
    models.mkdir(parents=True)
    shutil.copy(FIXTURES / "seed" / "stride-worksheet.yaml", models / "gateway.yaml")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    result = _run_hook(hook_source, repo, "docs/threat-model/gateway.yaml")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "tmcheck (threat models)" in output and "Failed" in output
    assert (
        "docs/threat-model/gateway.yaml:42:5: error [blocking-threat] open threat T003 (Open)"
        " scores 4 x 3 = 12 (high), at or above the threshold 12"
    ) in output


def test_hook_passes_a_clean_model(hook_source: HookSource, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    models = repo / "threats"
    models.mkdir(parents=True)
    (models / "library.yaml").write_text(
        (FIXTURES / "seed" / "threat-library.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    git(repo, "init", "-q")
    git(repo, "add", ".")
    result = _run_hook(hook_source, repo, "threats/library.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_hook_passes_a_prose_architecture_document(hook_source: HookSource, tmp_path: Path) -> None:
    """The hook's `files:` takes `architecture` files: prose Markdown among them is no threat
    model, and does not fail the commit."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "ARCHITECTURE.md").write_text(
        "# Architecture\n\n| Part | Language |\n|---|---|\n| API | Go |\n\n## Threats\n\nLater.\n",
        encoding="utf-8",
    )
    git(repo, "init", "-q")
    git(repo, "add", ".")
    result = _run_hook(hook_source, repo, "ARCHITECTURE.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_hook_reads_the_tools_files(hook_source: HookSource, tmp_path: Path) -> None:
    """A .tm7 (XML, no pre-commit type) and a threagile.yaml are the hook's files too."""
    corpus = Path(os.environ.get("TMCHECK_SHARED", REPO.parent / "shared")).resolve() / "corpus"
    need((corpus / "tm7").is_dir(), f"the shared corpus is not at {corpus}")
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    shutil.copy(corpus / "tm7" / "autocert-threat-model.tm7", repo / "docs" / "threat-model.tm7")
    shutil.copy(corpus / "threagile" / "example-threagile.yaml", repo / "threagile.yaml")
    (repo / "docs" / "threat-icon.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    result = _run_hook(
        hook_source, repo, "docs/threat-model.tm7", "threagile.yaml", "docs/threat-icon.png"
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert (
        "threagile.yaml:1275:7: error [blocking-threat] open threat"
        " something-strange@contract-file-server (open) scores 5 x 5 = 25 (critical)"
    ) in output
    assert "tmcheck passed" not in output and "2 files, 18 threats" in output
    assert "threat-icon.png" not in output
