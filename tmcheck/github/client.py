"""The GitHub REST API through PyGithub: the only module that imports it (lazily).

Every call either returns, or raises `Forbidden` (the token may not do this: a fork's read-only
token answers 403) or `Unavailable` (anything else, after retries with backoff on 5xx and rate
limits). Messages carry GitHub's reason, never the token or request headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

GITHUB_ACTIONS_BOT = "github-actions[bot]"
ANNOTATIONS_PER_REQUEST = 50  # GitHub's limit for one check-run create or update


class Forbidden(Exception):
    """The token may not do this (401/403 that is not a rate limit)."""


class Unavailable(Exception):
    """GitHub failed or could not be reached, after retries."""


@dataclass(frozen=True, slots=True)
class IssueInfo:
    """An issue as the sync sees it: plain data, no PyGithub object."""

    number: int
    title: str
    body: str
    state: str  # "open" or "closed"
    labels: tuple[str, ...]
    url: str


@dataclass(frozen=True, slots=True)
class PullFiles:
    paths: tuple[str, ...]  # added, modified and renamed-to paths (removed files left out)
    total: int  # as GitHub counts them; more than listed when the list stops at 3,000


class GitHubClient:
    def __init__(self, api_url: str, token: str, repository: str) -> None:
        from github import Auth, Github, GithubRetry
        from urllib3.util.retry import Retry

        retry = GithubRetry(
            total=4,
            backoff_factor=0.5,
            max_rate_limit_wait=300,
            raise_on_status=False,
            # Edits are idempotent, so a failed PATCH is retried too (PyGithub's default is not).
            allowed_methods=Retry.DEFAULT_ALLOWED_METHODS | {"GET", "POST", "PATCH"},
        )
        self._github = Github(
            auth=Auth.Token(token),
            base_url=api_url,
            retry=retry,
            timeout=30,
            per_page=100,
            seconds_between_requests=0,
            seconds_between_writes=0.5,
            user_agent="tmcheck",
        )
        self._repository_name = repository
        self._repository: Any = None

    def _repo(self) -> Any:
        if self._repository is None:
            self._repository = self._call(self._github.get_repo, self._repository_name)
        return self._repository

    def _call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        from github import GithubException, RateLimitExceededException
        from requests.exceptions import RequestException

        try:
            return function(*args, **kwargs)
        except RateLimitExceededException as error:
            raise Unavailable(f"rate limit exceeded ({error.status})") from None
        except GithubException as error:
            reason = _reason(error.data)
            if error.status in (401, 403):
                raise Forbidden(f"{error.status} {reason}") from None
            raise Unavailable(f"{error.status} {reason}") from None
        except RequestException as error:
            raise Unavailable(f"cannot reach the API ({type(error).__name__})") from None

    def pull_files(self, number: int) -> PullFiles:
        def listing() -> PullFiles:
            pull = self._repo().get_pull(number)
            paths = tuple(f.filename for f in pull.get_files() if f.status != "removed")
            return PullFiles(paths, max(pull.changed_files, len(paths)))

        result: PullFiles = self._call(listing)
        return result

    def identity(self) -> str:
        """The login comments by this token carry (a workflow token cannot ask: it is the bot)."""
        try:
            login: str = self._call(lambda: self._github.get_user().login)
        except (Forbidden, Unavailable):
            return GITHUB_ACTIONS_BOT
        return login

    def upsert_comment(self, number: int, marker: str, body: str) -> tuple[str, str]:
        """Edit this token's comment carrying `marker`, or create one: (what was done, url)."""
        author = self.identity()

        def upsert() -> tuple[str, str]:
            pull = self._repo().get_pull(number)
            for comment in pull.get_issue_comments():
                # A marker copied into someone else's comment must not be adopted.
                if (
                    comment.user is not None
                    and comment.user.login == author
                    and marker in (comment.body or "")
                ):
                    comment.edit(body)
                    return "updated", str(comment.html_url)
            created = pull.create_issue_comment(body)
            return "created", str(created.html_url)

        result: tuple[str, str] = self._call(upsert)
        return result

    def create_check_run(
        self,
        *,
        name: str,
        head_sha: str,
        conclusion: str,
        title: str,
        summary: str,
        annotations: Sequence[dict[str, Any]],
    ) -> str:
        """A completed check run; annotations beyond the first 50 are added 50 at a time."""
        batches = [
            list(annotations[start : start + ANNOTATIONS_PER_REQUEST])
            for start in range(0, len(annotations), ANNOTATIONS_PER_REQUEST)
        ] or [[]]
        output = {"title": title, "summary": summary, "annotations": batches[0]}

        def create() -> str:
            run = self._repo().create_check_run(
                name=name,
                head_sha=head_sha,
                status="completed",
                conclusion=conclusion,
                output=output,
            )
            for batch in batches[1:]:
                run.edit(output={"title": title, "summary": summary, "annotations": batch})
            return str(run.html_url)

        result: str = self._call(create)
        return result

    # --- issues (the threat tracker) ----------------------------------------------------

    def issues_by(self, author: str) -> list[IssueInfo]:
        """Every issue (open and closed, pull requests left out) that `author` opened."""

        def listing() -> list[IssueInfo]:
            creator = self._github.get_user(author)
            found = []
            for issue in self._repo().get_issues(state="all", creator=creator):
                mine = issue.user is not None and issue.user.login == author
                if issue.pull_request is None and mine:
                    found.append(_issue_info(issue))
            return found

        result: list[IssueInfo] = self._call(listing)
        return result

    def create_issue(
        self, title: str, body: str, labels: Sequence[str], assignees: Sequence[str]
    ) -> IssueInfo:
        def create() -> IssueInfo:
            issue = self._repo().create_issue(
                title=title, body=body, labels=list(labels), assignees=list(assignees)
            )
            return _issue_info(issue)

        result: IssueInfo = self._call(create)
        return result

    def edit_issue(self, number: int, **fields: Any) -> None:
        """Change `title`, `body`, `state`, `state_reason` or `labels` of issue `number`."""
        self._call(lambda: self._repo().get_issue(number).edit(**fields))

    def comment_on_issue(self, number: int, body: str) -> None:
        self._call(lambda: self._repo().get_issue(number).create_comment(body))

    def ensure_labels(self, colors: dict[str, str]) -> list[str]:
        """Create the labels of `colors` (name -> hex colour) that the repository lacks."""

        def ensure() -> list[str]:
            have = {label.name.casefold() for label in self._repo().get_labels()}
            created = []
            for name, color in colors.items():
                if name.casefold() not in have:
                    self._repo().create_label(name=name, color=color)
                    created.append(name)
            return created

        result: list[str] = self._call(ensure)
        return result


def _issue_info(issue: Any) -> IssueInfo:
    return IssueInfo(
        number=int(issue.number),
        title=str(issue.title or ""),
        body=str(issue.body or ""),
        state=str(issue.state),
        labels=tuple(str(label.name) for label in issue.labels),
        url=str(issue.html_url),
    )


def _reason(data: Any) -> str:
    message = data.get("message") if isinstance(data, dict) else None
    return message[:200] if isinstance(message, str) else "no reason given"
