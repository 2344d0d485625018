"""Fixtures of the hostile tests: the fake GitHub API of the test repository, with its token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.fake_github import FakeGitHub, serve
from tests.support.hostile_harness import REPOSITORY, TOKEN


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    yield from serve(REPOSITORY, token=TOKEN)
