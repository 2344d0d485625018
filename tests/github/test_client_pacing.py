"""tmcheck's GitHub client paces itself as GitHub asks (a pause between writes, a backoff before
retrying a failed request), and `paced=False` (TMCHECK_GITHUB_PACING=off, for a local test API)
drops both: through PyGithub against the fake API on 127.0.0.1."""

from __future__ import annotations

import time

from tests.support.fake_github import FakeGitHub
from tmcheck.github.client import BACKOFF_FACTOR, SECONDS_BETWEEN_WRITES, GitHubClient
from tmcheck.github.context import RunContext

REPOSITORY = "octo-org/octo-repo"
TOKEN = "ghs_pacingCanaryToken0123456789"


def _three_writes_and_two_retries(paced: bool) -> float:
    with FakeGitHub(REPOSITORY, token=TOKEN) as server:
        client = GitHubClient(server.url, TOKEN, REPOSITORY, paced=paced)
        server.fail("POST", f"/repos/{REPOSITORY}/issues", 502, times=2)
        started = time.monotonic()
        for title in ("a", "b", "c"):
            client.create_issue(title, "body", [], [])
        elapsed = time.monotonic() - started
        assert [issue.title for issue in server.issues.values()] == ["a", "b", "c"]
        return elapsed


def test_writes_are_paced_and_retries_back_off_by_default() -> None:
    # two pauses between three writes; the first write's second retry waits (urllib3 retries
    # at once the first time, then waits BACKOFF_FACTOR * 2 ** 1)
    paced = _three_writes_and_two_retries(paced=True)
    assert paced >= 2 * SECONDS_BETWEEN_WRITES + 2 * BACKOFF_FACTOR


def test_pacing_off_neither_pauses_nor_backs_off() -> None:
    # five local requests; paced, the same take at least 2 s (a busy machine: a margin)
    assert _three_writes_and_two_retries(paced=False) < 2 * SECONDS_BETWEEN_WRITES


def test_only_the_word_off_turns_pacing_off() -> None:
    environ = {"GITHUB_REPOSITORY": REPOSITORY}
    assert RunContext.from_environ(environ).paced
    assert not RunContext.from_environ({**environ, "TMCHECK_GITHUB_PACING": "off"}).paced
    assert RunContext.from_environ({**environ, "TMCHECK_GITHUB_PACING": "0"}).paced
