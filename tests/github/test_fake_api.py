"""The fake GitHub API speaks GitHub's REST shapes well enough for PyGithub.

Every test drives the real server through PyGithub (or plain urllib for raw HTTP details);
none uses tmcheck code. Each test also pins a PyGithub behaviour listed in NOTES.md.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from github import (
    Auth,
    BadCredentialsException,
    Github,
    GithubException,
    GithubRetry,
    RateLimitExceededException,
    UnknownObjectException,
)
from github.GithubException import RateLimitExceededExceedsMaxWait

from tests.support.action_workspace import REPOSITORY as REPO
from tests.support.action_workspace import TOKEN
from tests.support.fake_github import (
    GITHUB_ACTIONS_BOT,
    MAX_CHECK_TEXT_BYTES,
    MAX_COMMENT_CHARS,
    REDACTED,
    FakeGitHub,
    Identity,
)

COMMENTS = f"/repos/{REPO}/issues/1/comments"
CHECK_RUNS = f"/repos/{REPO}/check-runs"


def client(server: FakeGitHub, token: str | None = TOKEN, **kwargs: Any) -> Github:
    """PyGithub against the fake: a short retry, no throttling (see NOTES.md)."""
    kwargs.setdefault("retry", GithubRetry(total=3, backoff_factor=0))
    kwargs.setdefault("seconds_between_requests", 0)
    kwargs.setdefault("seconds_between_writes", 0)
    auth = Auth.Token(token) if token is not None else None
    return Github(base_url=server.url, auth=auth, **kwargs)


@pytest.fixture
def gh(server: FakeGitHub) -> Iterator[Github]:
    g = client(server)
    yield g
    g.close()


def raw_get(
    server: FakeGitHub, path: str, auth: str | None = f"token {TOKEN}"
) -> tuple[int, Any, Any]:
    """GET with urllib: (status, headers, parsed JSON body)."""
    req = urllib.request.Request(server.url + path)
    if auth is not None:
        req.add_header("Authorization", auth)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.headers, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, err.headers, json.loads(err.read())


def make_annotations(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "path": "threats/model.yaml",
            "start_line": i + 1,
            "end_line": i + 1,
            "annotation_level": "failure",
            "message": f"finding {i}",
            "title": "TM001",
        }
        for i in range(start, start + n)
    ]


# --- repository and pull requests ------------------------------------------------------


def test_repository_and_pull_request(server: FakeGitHub, gh: Github) -> None:
    server.add_pull(1, head_sha="a" * 40, base_sha="b" * 40, head_ref="tm", files=["x.yaml"])
    repo = gh.get_repo(REPO)
    assert (repo.full_name, repo.name, repo.owner.login) == (REPO, "octo-repo", "octo-org")
    assert repo.default_branch == "main"
    assert repo.url == f"{server.url}/repos/{REPO}"
    pr = repo.get_pull(1)
    assert pr.number == 1
    assert (pr.head.sha, pr.base.sha) == ("a" * 40, "b" * 40)
    assert (pr.head.ref, pr.base.ref) == ("tm", "main")
    assert pr.head.repo.full_name == pr.base.repo.full_name == REPO
    assert pr.head.repo.fork is False
    assert pr.user.login == "octocat"
    assert pr.changed_files == 1
    assert pr.issue_url == f"{server.url}/repos/{REPO}/issues/1"


def test_fork_and_deleted_fork_pull_requests(server: FakeGitHub, gh: Github) -> None:
    server.add_pull(2, head_repo="forker/octo-repo")
    server.add_pull(3, head_repo=None)
    repo = gh.get_repo(REPO)
    fork_pr = repo.get_pull(2)
    assert fork_pr.head.repo.full_name == "forker/octo-repo"
    assert fork_pr.head.repo.fork is True
    assert fork_pr.head.label == "forker:feature"
    assert fork_pr.base.repo.full_name == REPO
    assert repo.get_pull(3).head.repo is None


def test_missing_pull_request_and_other_repository_are_404(server: FakeGitHub, gh: Github) -> None:
    repo = gh.get_repo(REPO)
    with pytest.raises(UnknownObjectException) as info:
        repo.get_pull(99)
    assert info.value.status == 404
    with pytest.raises(UnknownObjectException):
        gh.get_repo("someone/else")


def test_pull_files_paginate_across_pages(server: FakeGitHub, gh: Github) -> None:
    names = [f"threats/m{i:03}.yaml" for i in range(250)]
    server.add_pull(1, files=names)
    pr = gh.get_repo(REPO).get_pull(1)
    server.clear_requests()
    files = list(pr.get_files())
    assert [f.filename for f in files] == names
    assert {f.status for f in files} == {"modified"}
    pages = server.requests_to("GET", f"/repos/{REPO}/pulls/1/files")
    assert len(pages) == 9  # 30 a page by default: PyGithub sends no per_page then
    assert pages[0].query == {}
    assert pages[1].query == {"page": ["2"]}

    g100 = client(server, per_page=100)
    server.clear_requests()
    assert len(list(g100.get_repo(REPO).get_pull(1).get_files())) == 250
    pages = server.requests_to("GET", f"/repos/{REPO}/pulls/1/files")
    assert [p.query for p in pages] == [
        {"per_page": ["100"]},
        {"page": ["2"], "per_page": ["100"]},
        {"page": ["3"], "per_page": ["100"]},
    ]


def test_pull_files_stop_at_3000_like_github(server: FakeGitHub) -> None:
    server.add_pull(1, files=[f"f{i:04}" for i in range(3500)])
    pr = client(server, per_page=100).get_repo(REPO).get_pull(1)
    files = list(pr.get_files())
    assert len(files) == 3000
    assert files[-1].filename == "f2999"
    assert pr.changed_files == 3500  # the PR still says how many changed: a way to spot the cap
    assert pr.get_files().totalCount == 3000


def test_link_header_is_rfc5988_with_absolute_urls(server: FakeGitHub) -> None:
    server.add_pull(1, files=[f"f{i}" for i in range(25)])
    status, headers, body = raw_get(server, f"/repos/{REPO}/pulls/1/files?per_page=10&page=2")
    assert status == 200
    assert [f["filename"] for f in body] == [f"f{i}" for i in range(10, 20)]
    base = f"{server.url}/repos/{REPO}/pulls/1/files"
    assert headers["Link"] == (
        f'<{base}?per_page=10&page=1>; rel="prev", '
        f'<{base}?per_page=10&page=3>; rel="next", '
        f'<{base}?per_page=10&page=3>; rel="last", '
        f'<{base}?per_page=10&page=1>; rel="first"'
    )
    _, headers, body = raw_get(server, f"/repos/{REPO}/pulls/1/files?per_page=500")
    assert len(body) == 25  # per_page is capped at 100
    assert headers["Link"] is None
    _, _, body = raw_get(server, f"/repos/{REPO}/pulls/1/files?per_page=10&page=9")
    assert body == []


def test_absolute_urls_must_match_base_url(server: FakeGitHub, gh: Github) -> None:
    """PyGithub asserts that absolute URLs it follows share the base_url's host and port."""
    server.add_pull(1, files=["a", "b"])
    pr = gh.get_repo(REPO).get_pull(1)
    port = server.url.rsplit(":", 1)[1]
    for other in (f"http://localhost:{port}", "http://127.0.0.1:1"):
        server.fail(
            "GET",
            f"/repos/{REPO}/pulls/1/files",
            200,
            body=[{"filename": "a", "sha": "0" * 40, "status": "added"}],
            headers={"Link": f'<{other}/repos/{REPO}/pulls/1/files?page=2>; rel="next"'},
        )
        with pytest.raises(AssertionError):
            list(pr.get_files())


# --- issue comments --------------------------------------------------------------------


def test_comment_create_list_edit(server: FakeGitHub, gh: Github) -> None:
    server.add_pull(1)
    human = server.add_comment(1, "LGTM", author=Identity("alice"))
    pr = gh.get_repo(REPO).get_pull(1)

    created = pr.create_issue_comment("<!-- tmcheck -->\nfirst")
    assert created.user.login == "github-actions[bot]"
    assert created.user.type == "Bot"
    assert created.url == f"{server.url}/repos/{REPO}/issues/comments/{created.id}"
    post = server.requests_to("POST", COMMENTS)[-1]
    assert (post.status, post.body) == (201, {"body": "<!-- tmcheck -->\nfirst"})

    listed = list(pr.get_issue_comments())
    assert [(c.id, c.user.login, c.user.type) for c in listed] == [
        (human.id, "alice", "User"),
        (created.id, "github-actions[bot]", "Bot"),
    ]

    mine = next(c for c in listed if c.user.type == "Bot" and "<!-- tmcheck -->" in c.body)
    mine.edit("<!-- tmcheck -->\nsecond")
    assert mine.body == "<!-- tmcheck -->\nsecond"
    patch = server.requests_to("PATCH")[-1]
    assert patch.path == f"/repos/{REPO}/issues/comments/{created.id}"
    assert pr.get_issue_comment(created.id).body == "<!-- tmcheck -->\nsecond"
    assert [c.body for c in server.comments_on(1)] == ["LGTM", "<!-- tmcheck -->\nsecond"]


def test_comments_paginate(server: FakeGitHub, gh: Github) -> None:
    server.add_pull(1)
    for i in range(45):
        server.add_comment(1, f"c{i}")
    pr = gh.get_repo(REPO).get_pull(1)
    assert [c.body for c in pr.get_issue_comments()] == [f"c{i}" for i in range(45)]
    assert len(server.requests_to("GET", COMMENTS)) == 2


def test_comment_identity_per_token(server: FakeGitHub) -> None:
    server.add_pull(1)
    server.add_token("ghp_personal", Identity("tm-maintainer"))
    g = client(server, token="ghp_personal")
    comment = g.get_repo(REPO).get_pull(1).create_issue_comment("hi")
    assert (comment.user.login, comment.user.type) == ("tm-maintainer", "User")
    assert g.get_user().login == "tm-maintainer"
    # A GitHub Actions token cannot read /user: 403, not retried.
    with pytest.raises(GithubException) as info:
        client(server).get_user().login  # noqa: B018 - the attribute access sends the request
    assert info.value.status == 403
    assert info.value.data["message"] == "Resource not accessible by integration"
    assert GITHUB_ACTIONS_BOT.login == "github-actions[bot]"


def test_comment_body_limit(server: FakeGitHub, gh: Github) -> None:
    server.add_pull(1)
    pr = gh.get_repo(REPO).get_pull(1)
    ok = pr.create_issue_comment("x" * MAX_COMMENT_CHARS)
    with pytest.raises(GithubException) as info:
        pr.create_issue_comment("x" * (MAX_COMMENT_CHARS + 1))
    assert info.value.status == 422
    assert info.value.data["message"] == "Validation Failed"
    assert (
        info.value.data["errors"][0]["message"] == "Body is too long (maximum is 65536 characters)"
    )
    with pytest.raises(GithubException) as info:
        ok.edit("y" * (MAX_COMMENT_CHARS + 1))
    assert info.value.status == 422
    assert len(server.comments_on(1)) == 1
    assert server.comments_on(1)[0].body == "x" * MAX_COMMENT_CHARS


# --- check runs ------------------------------------------------------------------------


def test_check_run_annotations_accumulate(server: FakeGitHub, gh: Github) -> None:
    pr_state = server.add_pull(1)
    server.add_pull(2, head_sha=pr_state.head_sha, head_repo="forker/octo-repo")
    repo = gh.get_repo(REPO)
    run = repo.create_check_run(
        "tmcheck",
        pr_state.head_sha,
        status="in_progress",
        output={"title": "t1", "summary": "s1", "annotations": make_annotations(50)},
    )
    assert run.status == "in_progress"
    assert run.output.annotations_count == 50
    assert [p.number for p in run.pull_requests] == [1]  # forks are not listed, like GitHub

    run.edit(
        conclusion="failure",
        output={
            "title": "t2",
            "summary": "s2",
            "text": "details",
            "annotations": make_annotations(50, 50),
        },
    )
    assert (run.status, run.conclusion) == ("completed", "failure")
    assert run.completed_at is not None

    state = server.check_runs[run.id]
    assert len(state.annotations) == 100
    assert [a["message"] for a in state.annotations] == [f"finding {i}" for i in range(100)]
    fetched = repo.get_check_run(run.id)
    assert fetched.output.annotations_count == 100
    assert (fetched.output.title, fetched.output.summary, fetched.output.text) == (
        "t2",
        "s2",
        "details",
    )
    listed = list(fetched.get_annotations())
    assert len(listed) == 100
    assert listed[0].annotation_level == "failure"
    assert listed[0].path == "threats/model.yaml"


def test_check_run_rejects_51_annotations(server: FakeGitHub, gh: Github) -> None:
    pr = server.add_pull(1)
    repo = gh.get_repo(REPO)
    with pytest.raises(GithubException) as info:
        repo.create_check_run(
            "tmcheck",
            pr.head_sha,
            output={"title": "t", "summary": "s", "annotations": make_annotations(51)},
        )
    assert info.value.status == 422
    assert "No more than 50 items are allowed; 51 were supplied." in info.value.data["message"]
    assert server.check_runs == {}
    assert len(server.requests_to("POST", CHECK_RUNS)) == 1  # 422 is never retried

    run = repo.create_check_run("tmcheck", pr.head_sha, output={"title": "t", "summary": "s"})
    with pytest.raises(GithubException) as info:
        run.edit(output={"title": "t", "summary": "s", "annotations": make_annotations(51)})
    assert info.value.status == 422
    assert server.check_runs[run.id].annotations == []


def test_check_run_text_limits(server: FakeGitHub, gh: Github) -> None:
    pr = server.add_pull(1)
    repo = gh.get_repo(REPO)
    repo.create_check_run(
        "ok", pr.head_sha, output={"title": "t", "summary": "s" * 65535, "text": "t" * 65535}
    )
    for field, value in (
        ("summary", "s" * 65536),
        ("text", "t" * 65536),
        # GitHub counts bytes: 40,000 two-byte characters are 80,000 bytes.
        ("summary", "é" * 40_000),
    ):
        output: dict[str, Any] = {"title": "t", "summary": "s", field: value}
        with pytest.raises(GithubException) as info:
            repo.create_check_run("too-long", pr.head_sha, output=output)
        assert info.value.status == 422
        error = info.value.data["errors"][0]
        assert (error["field"], error["message"]) == (
            field,
            f"{field} exceeds a maximum bytesize of {MAX_CHECK_TEXT_BYTES}",
        )
    assert [r.name for r in server.check_runs.values()] == ["ok"]


def test_check_run_validation(server: FakeGitHub, gh: Github) -> None:
    pr = server.add_pull(1)
    repo = gh.get_repo(REPO)
    with pytest.raises(GithubException) as info:
        repo.create_check_run("x", pr.head_sha, status="completed")
    assert info.value.status == 422
    assert '"conclusion" wasn\'t supplied.' in info.value.data["message"]
    bad = make_annotations(1)
    bad[0]["annotation_level"] = "error"
    with pytest.raises(GithubException):
        repo.create_check_run(
            "x", pr.head_sha, output={"title": "t", "summary": "s", "annotations": bad}
        )
    run = repo.create_check_run("x", pr.head_sha)
    assert run.status == "queued"
    assert run.conclusion is None
    assert run.output.annotations_count == 0
    assert run.app.slug == "github-actions"


# --- faults, retries and exceptions ----------------------------------------------------


def test_403_on_comment_create_is_not_retried(server: FakeGitHub, gh: Github) -> None:
    server.add_pull(1)
    pr = gh.get_repo(REPO).get_pull(1)
    fault = server.fail("POST", COMMENTS, 403, "Resource not accessible by integration")
    with pytest.raises(GithubException) as info:
        pr.create_issue_comment("hello")
    assert type(info.value) is GithubException
    assert info.value.status == 403
    assert info.value.data["message"] == "Resource not accessible by integration"
    assert len(server.requests_to("POST", COMMENTS)) == 1
    assert fault.hits == 1
    assert server.comments_on(1) == []
    pr.create_issue_comment("hello")  # the fault answered once only
    assert len(server.comments_on(1)) == 1


def test_500_once_is_retried_then_succeeds(server: FakeGitHub, gh: Github) -> None:
    pr = server.add_pull(1)
    repo = gh.get_repo(REPO)
    fault = server.fail("POST", CHECK_RUNS, 500, times=2)
    run = repo.create_check_run("tmcheck", pr.head_sha)
    assert fault.hits == 2
    assert [r.status for r in server.requests_to("POST", CHECK_RUNS)] == [500, 500, 201]
    assert list(server.check_runs) == [run.id]


def test_persistent_5xx_raises_retry_error_unless_raise_on_status_false(
    server: FakeGitHub,
) -> None:
    server.add_pull(1)
    server.fail("POST", COMMENTS, 502, times=None)
    pr = client(server).get_repo(REPO).get_pull(1)
    with pytest.raises(requests.exceptions.RetryError):
        pr.create_issue_comment("x")
    assert len(server.requests_to("POST", COMMENTS)) == 4  # 1 + total=3

    retry = GithubRetry(total=3, backoff_factor=0, raise_on_status=False)
    pr = client(server, retry=retry).get_repo(REPO).get_pull(1)
    server.clear_requests()
    with pytest.raises(GithubException) as info:
        pr.create_issue_comment("x")
    assert info.value.status == 502
    assert len(server.requests_to("POST", COMMENTS)) == 4


def test_patch_is_never_retried(server: FakeGitHub, gh: Github) -> None:
    server.add_pull(1)
    comment = gh.get_repo(REPO).get_pull(1).create_issue_comment("x")
    path = f"/repos/{REPO}/issues/comments/{comment.id}"
    server.fail("PATCH", path, 500)
    with pytest.raises(GithubException) as info:
        comment.edit("y")
    assert info.value.status == 500
    assert len(server.requests_to("PATCH", path)) == 1


def test_retry_none_or_int_does_not_retry_status_codes(server: FakeGitHub) -> None:
    server.add_pull(1)
    for retry in (None, 3):
        server.clear_requests()
        server.fail("GET", f"/repos/{REPO}/pulls/1", 502)
        with pytest.raises(GithubException) as info:
            client(server, retry=retry).get_repo(REPO).get_pull(1)
        assert info.value.status == 502
        assert len(server.requests_to("GET", f"/repos/{REPO}/pulls/1")) == 1


def test_rate_limits(server: FakeGitHub) -> None:
    server.add_pull(1)
    pr = client(server).get_repo(REPO).get_pull(1)
    posts = re.compile(re.escape(COMMENTS))

    # Primary limit whose reset has passed: GithubRetry waits until the reset, then retries.
    server.rate_limit("POST", posts, reset_in=-5)
    pr.create_issue_comment("a")
    # Secondary limit with retry-after: 0: retried at once.
    server.rate_limit("POST", posts, secondary=True, retry_after=0)
    pr.create_issue_comment("b")
    # 429 with retry-after: retried (urllib3 honours Retry-After on 413/429/503).
    server.rate_limit("POST", posts, status=429, secondary=True, retry_after=0)
    pr.create_issue_comment("c")
    assert [r.status for r in server.requests_to("POST", COMMENTS)] == [
        403,
        201,
        403,
        201,
        429,
        201,
    ]

    # Secondary limit without retry-after: GithubRetry waits secondary_rate_wait (default 60 s).
    no_wait = client(server, retry=GithubRetry(total=3, backoff_factor=0, secondary_rate_wait=0))
    server.rate_limit("POST", posts, secondary=True)
    no_wait.get_repo(REPO).get_pull(1).create_issue_comment("s")
    # Any 403 that carries retry-after is retried, whatever its message.
    server.fail(
        "POST", posts, 403, "Resource not accessible by integration", headers={"retry-after": "0"}
    )
    pr.create_issue_comment("r")
    assert [r.status for r in server.requests_to("POST", COMMENTS)][6:] == [403, 201, 403, 201]

    # 429 without retry-after: not retried, and a plain GithubException.
    server.rate_limit("POST", posts, status=429, secondary=True)
    with pytest.raises(GithubException) as info:
        pr.create_issue_comment("d")
    assert type(info.value) is GithubException
    assert info.value.status == 429

    # Reset an hour away and max_rate_limit_wait: raises instead of sleeping.
    waiting = client(server, retry=GithubRetry(total=3, backoff_factor=0, max_rate_limit_wait=5))
    server.rate_limit("POST", posts, reset_in=3600)
    with pytest.raises(RateLimitExceededExceedsMaxWait):
        waiting.get_repo(REPO).get_pull(1).create_issue_comment("e")

    # Without retries, 403 rate limits surface as RateLimitExceededException.
    server.rate_limit("POST", posts)
    with pytest.raises(RateLimitExceededException) as rl:
        client(server, retry=None).get_repo(REPO).get_pull(1).create_issue_comment("f")
    assert rl.value.status == 403
    assert rl.value.headers is not None
    assert rl.value.headers["x-ratelimit-remaining"] == "0"
    assert [c.body for c in server.comments_on(1)] == ["a", "b", "c", "s", "r"]


def test_fault_regex_any_method_and_unlimited(server: FakeGitHub, gh: Github) -> None:
    server.add_pull(1)
    repo = gh.get_repo(REPO)
    fault = server.fail(
        "*", re.compile(r"/repos/[^/]+/[^/]+/pulls/\d+"), 404, "Not Found", times=None
    )
    for _ in range(3):
        with pytest.raises(UnknownObjectException):
            repo.get_pull(1)
    assert fault.hits == 3
    server.clear_faults()
    assert repo.get_pull(1).number == 1


# --- authentication, routing, recording ------------------------------------------------


def test_authentication(server: FakeGitHub) -> None:
    with pytest.raises(BadCredentialsException) as info:
        client(server, token="ghs_wrong").get_repo(REPO)
    assert info.value.status == 401
    assert info.value.data["message"] == "Bad credentials"
    with pytest.raises(GithubException) as anonymous:
        client(server, token=None).get_repo(REPO)
    assert anonymous.value.status == 401
    assert anonymous.value.data["message"] == "Requires authentication"

    assert raw_get(server, f"/repos/{REPO}", auth=f"Bearer {TOKEN}")[0] == 200
    assert raw_get(server, f"/repos/{REPO}", auth=f"token {TOKEN}")[0] == 200
    assert raw_get(server, f"/repos/{REPO}", auth=f"Basic {TOKEN}")[0] == 401
    assert [r.authenticated for r in server.requests[-3:]] == [True, True, False]
    assert [r.auth_scheme for r in server.requests[-3:]] == ["Bearer", "token", "Basic"]


def test_unknown_route_is_github_404(server: FakeGitHub) -> None:
    status, headers, body = raw_get(server, "/nope/nothing")
    assert status == 404
    assert body["message"] == "Not Found"
    assert body["documentation_url"].startswith("https://docs.github.com/")
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert raw_get(server, f"/repos/{REPO}/pulls/1/nonsense")[0] == 404


def test_recorded_requests_never_contain_the_token(server: FakeGitHub, gh: Github) -> None:
    pr_state = server.add_pull(1, files=["a.yaml"])
    pr = gh.get_repo(REPO).get_pull(1)
    list(pr.get_files())
    pr.create_issue_comment("hello").edit("bye")
    gh.get_repo(REPO).create_check_run("tmcheck", pr_state.head_sha)
    with pytest.raises(BadCredentialsException):
        client(server, token="ghs_wrongSecret987").get_repo(REPO)

    recorded = server.requests
    assert len(recorded) >= 7
    dump = repr(recorded) + json.dumps([r.__dict__ for r in recorded], default=str)
    assert TOKEN not in dump
    assert "ghs_wrongSecret987" not in dump
    for req in recorded:
        assert req.headers["Authorization"] == REDACTED
        assert req.auth_scheme == "token"
        assert req.token_leaked is False
    assert [r.authenticated for r in recorded[-1:]] == [False]


def test_token_in_a_request_body_is_redacted_and_flagged(server: FakeGitHub, gh: Github) -> None:
    server.add_pull(1)
    gh.get_repo(REPO).get_pull(1).create_issue_comment(f"oops {TOKEN}")
    post = server.requests_to("POST", COMMENTS)[-1]
    assert post.token_leaked is True
    assert post.body == {"body": f"oops {REDACTED}"}
    assert TOKEN not in repr(server.requests)


def test_default_client_throttles_writes(server: FakeGitHub) -> None:
    """Github()'s defaults wait 0.25 s between requests and 1 s between writes."""
    server.add_pull(1)
    g = Github(base_url=server.url, auth=Auth.Token(TOKEN))
    pr = g.get_repo(REPO).get_pull(1)
    start = time.monotonic()
    pr.create_issue_comment("a")
    pr.create_issue_comment("b")
    assert time.monotonic() - start >= 0.9


def test_context_manager_stops_the_server() -> None:
    with FakeGitHub(REPO, token=TOKEN) as fake:
        url = fake.url
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        assert raw_get(fake, f"/repos/{REPO}")[0] == 200
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + f"/repos/{REPO}", timeout=2)


def test_short_tokens_are_not_scrubbed_from_paths() -> None:
    with FakeGitHub(REPO, token="t") as fake:
        assert raw_get(fake, f"/repos/{REPO}", auth="token t")[0] == 200
        assert fake.requests[0].path == f"/repos/{REPO}"
        assert fake.requests[0].headers["Authorization"] == REDACTED
