"""git questions against a real temporary repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.gitrepo import git
from tmcheck.git import Change, Git, GitError


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "keep.yaml").write_text("a: 1\n")
    (tmp_path / "old-name.yaml").write_text("x: 1\n" * 20)
    (tmp_path / "gone.yaml").write_text("b: 2\n")
    os.symlink("/etc/hostname", tmp_path / "link.yaml")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def test_changes_between_commits_and_working_tree(repo: Path) -> None:
    found = Git.find(repo)
    base = found.resolve_commit("HEAD")
    (repo / "keep.yaml").write_text("a: 2\n")
    git(repo, "mv", "old-name.yaml", "new\nname.yaml")
    git(repo, "rm", "-q", "gone.yaml")
    git(repo, "commit", "-qam", "head")
    (repo / "untracked.yaml").write_text("c: 3\n")
    head = found.resolve_commit("HEAD")
    assert sorted(found.changes(base, head), key=lambda c: c.path) == [
        Change("D", "gone.yaml"),
        Change("M", "keep.yaml"),
        Change("R", "new\nname.yaml", "old-name.yaml"),
    ]
    assert Change("A", "untracked.yaml") in found.changes(base)


def test_read_at_revision(repo: Path) -> None:
    found = Git.find(repo)
    base = found.resolve_commit("HEAD")
    assert found.files_at(base) == {"keep.yaml", "old-name.yaml", "gone.yaml", "link.yaml"}
    (repo / "keep.yaml").write_text("a: 2\n")
    assert found.read_at(base, "keep.yaml", 1000) == b"a: 1\n"
    assert found.read_at(base, "missing.yaml", 1000) is None
    with pytest.raises(GitError, match="is not a regular file"):
        found.read_at(base, "link.yaml", 1000)
    with pytest.raises(GitError, match="larger than 10 bytes"):
        found.read_at(base, "old-name.yaml", 10)


def test_bad_revisions_and_directories(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    found = Git.find(repo)
    with pytest.raises(GitError):
        found.resolve_commit("no-such-branch")
    with pytest.raises(GitError, match="is not a revision"):
        found.resolve_commit("--output=/tmp/x")
    assert Git.find(repo / ".git" / "..").top == repo.resolve()
    with pytest.raises(GitError, match="not a git repository"):
        Git.find(tmp_path_factory.mktemp("not-a-repo"))
