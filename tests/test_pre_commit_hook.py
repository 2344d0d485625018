"""The hook, run the way users run it: `pre-commit try-repo` in a fresh git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import FIXTURES, REPO, need
from tests.gitrepo import git


def _try_repo(repo: Path, *files: str) -> subprocess.CompletedProcess[str]:
    pre_commit = shutil.which("pre-commit")
    need(pre_commit is not None, "pre-commit is not installed (pip install -e '.[test]')")
    assert pre_commit is not None
    return subprocess.run(
        [pre_commit, "try-repo", str(REPO), "tmcheck", "--files", *files],
        cwd=repo, capture_output=True, text=True, timeout=600,
        env={**os.environ, "PRE_COMMIT_COLOR": "never"},
    )  # fmt: skip


def test_hook_blocks_a_worksheet_with_open_high_threats(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    models = repo / "docs" / "threat-model"
    models.mkdir(parents=True)
    shutil.copy(FIXTURES / "seed" / "stride-worksheet.yaml", models / "gateway.yaml")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    result = _try_repo(repo, "docs/threat-model/gateway.yaml")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "tmcheck (threat models)" in output and "Failed" in output
    assert (
        "docs/threat-model/gateway.yaml:42:5: error [blocking-threat] open threat T003 (Open)"
        " scores 4 x 3 = 12 (high), at or above the threshold 12"
    ) in output


def test_hook_passes_a_clean_model(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    models = repo / "threats"
    models.mkdir(parents=True)
    (models / "library.yaml").write_text(
        (FIXTURES / "seed" / "threat-library.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    git(repo, "init", "-q")
    git(repo, "add", ".")
    result = _try_repo(repo, "threats/library.yaml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout


def test_hook_passes_a_prose_architecture_document(tmp_path: Path) -> None:
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
    result = _try_repo(repo, "ARCHITECTURE.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Passed" in result.stdout
