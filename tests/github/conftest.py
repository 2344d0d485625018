"""Fixtures of the action's tests: the fake GitHub API of the test repository, and a workspace
whose pull request adds a threat model."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.action_workspace import REPOSITORY, TOKEN, Workspace, make_workspace
from tests.support.fake_github import FakeGitHub, serve


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    yield from serve(REPOSITORY, token=TOKEN)


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    monkeypatch.chdir(tmp_path)  # the action moves into the workspace; this restores it
    return make_workspace(tmp_path)
