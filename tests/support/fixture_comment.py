"""The PR comment of the fixture pull request (`fixture_pr.py`), rendered as the action does.

Shared by the tests and by `docs/make_screenshot.py`, so that `docs/comment.md` and the
screenshot are what the code renders today (a test compares them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.fixture_pr import PULL_REQUEST, REPOSITORY
from tmcheck.check import run_check
from tmcheck.config import load_settings
from tmcheck.reporters.markdown import COMMENT_LIMIT, Links, render_report
from tmcheck.results import RunResult

TODAY = "2025-03-04"


@contextmanager
def inside(directory: Path) -> Iterator[None]:
    """Run in `directory`: tmcheck prints paths relative to where it runs, as in the action."""
    previous = Path.cwd()
    os.chdir(directory)
    try:
        yield
    finally:
        os.chdir(previous)


def check_pull_request(root: Path, base: str, gate: str | None = None) -> RunResult:
    """Check the changed threat models against the base commit, as the action does."""
    with inside(root):
        overrides = {"gate": gate} if gate else {}
        # The fixture's commits are dated 2025-03-01 and 03-02: SLA clocks are judged two days
        # later, whatever the date the tests run on.
        settings = load_settings(
            cwd=root, environment={"TMCHECK_TODAY": TODAY}, overrides=overrides
        )
        paths = sorted(str(p.relative_to(root)) for p in (root / "threat-model").iterdir())
        return run_check(paths, settings, workspace=root, explicit=False, base=base)


def render_comment(root: Path, base: str, head: str, budget: int = COMMENT_LIMIT) -> str:
    result = check_pull_request(root, base)
    links = Links("https://github.com", REPOSITORY, head)
    return render_report(result, links=links, pull_request=PULL_REQUEST, budget=budget)
