"""The GitHub REST API through PyGithub: the only module that imports it (lazily).

Every call either returns, or raises `Forbidden` (the token may not do this: a fork's read-only
token answers 403) or `Unavailable` (anything else, after retries with backoff on 5xx and rate
limits). Messages carry GitHub's reason, never the token or request headers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

ANNOTATIONS_PER_REQUEST = 50  # GitHub's limit for one check-run create or update
# GitHub's secondary rate limits ask for a pause between writes; a failed request is retried at
# once, then after 1 s, 2 s and 4 s (urllib3's backoff). `paced=False` turns both off, for a
# run against a local test server.
SECONDS_BETWEEN_WRITES = 0.5
BACKOFF_FACTOR = 0.5


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
    def __init__(self, api_url: str, token: str, repository: str, *, paced: bool = True) -> None:
        import logging

        from github import Auth, Github, GithubRetry
        from urllib3.util.retry import Retry

        # PyGithub logs each refused request ("failed with 403") when INFO is on: a degraded
        # run says so once, in its own words.
        logging.getLogger("github").setLevel(logging.WARNING)

        retry = GithubRetry(
            total=4,
            backoff_factor=BACKOFF_FACTOR if paced else 0.0,
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
            seconds_between_writes=SECONDS_BETWEEN_WRITES if paced else 0.0,
            user_agent="tmcheck",
        )
        self._repository_name = repository
        self._repository: Any = None
        self._identity: str | None = None
        self._identity_asked = False
        # The workflow token and App installation tokens start `ghs_`: `GET /user` refuses them.
        self._installation_token = token.startswith("ghs_")
        self._app_login: str | None = None  # `slug[bot]` of the App that ran the check run

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

    def identity(self) -> str | None:
        """The login this token's comments carry, when it can be known.

        GraphQL's `viewer` answers for every kind of token (REST `GET /user` is 403 for the
        workflow token and App installation tokens, and logs the refusal): `github-actions[bot]`,
        an App's `slug[bot]`, a person's login. When it cannot say, the App that created this
        run's check run does, and a personal token may still ask `GET /user`. None: a bot of
        some App (an installation token) whose name nothing told."""
        if not self._identity_asked:
            self._identity_asked = True
            login: Any = None
            try:
                _, data = self._call(
                    self._github.requester.graphql_query, "query { viewer { login } }", {}
                )
                login = data.get("data", {}).get("viewer", {}).get("login")
            except (Forbidden, Unavailable, AttributeError):
                login = None
            if not (isinstance(login, str) and login) and not self._installation_token:
                try:
                    login = self._call(lambda: self._github.get_user().login)
                except (Forbidden, Unavailable):
                    login = None
            self._identity = login if isinstance(login, str) and login else None
        return self._identity or self._app_login

    def _ours(self, comment: Any, marker: str) -> bool:
        """This step's comment: the body starts with its marker, and this token wrote it. A
        marker quoted in someone else's comment, or shown later in a body, does not count."""
        body = comment.body or ""
        if not (body == marker or body.startswith(marker + "\n")):
            return False
        user = comment.user
        if user is None:
            return False
        me = self.identity()
        if me is not None and user.login == me:
            return True
        if user.type != "Bot":
            return False  # a person's comment is never ours unless this is their token
        if me is None:
            return True  # an App's bot, this token's App unnamed: its marker starts the body
        # A bot's login is `slug[bot]`; GraphQL may name it without the suffix.
        app = getattr(comment, "performed_via_github_app", None)
        names = {user.login, user.login.removesuffix("[bot]")}
        if app is not None and getattr(app, "slug", None):
            names.add(f"{app.slug}[bot]")
        return me in names or me.removesuffix("[bot]") in names

    def find_comment(self, number: int, marker: str) -> tuple[Any, str] | None:
        """This step's earlier comment on the pull request, with its url, if there is one."""

        def find() -> tuple[Any, str] | None:
            pull = self._repo().get_pull(number)
            for comment in pull.get_issue_comments():
                if self._ours(comment, marker):
                    return comment, str(comment.html_url)
            return None

        found: tuple[Any, str] | None = self._call(find)
        return found

    def upsert_comment(
        self, number: int, marker: str, body: str, *, mode: str = "update", create: bool = True
    ) -> tuple[str, str | None]:
        """Edit (mode "update") or replace (mode "recreate") this step's comment carrying
        `marker`, or create one when `create`: (what was done, url)."""

        def upsert() -> tuple[str, str | None]:
            found = self.find_comment(number, marker)
            if found is not None and mode == "update":
                comment, url = found
                comment.edit(body)
                return "updated", url
            if found is None and not create:
                return "skipped", None
            if found is not None:
                found[0].delete()
            created = self._repo().get_pull(number).create_issue_comment(body)
            return ("recreated" if found is not None else "created"), str(created.html_url)

        result: tuple[str, str | None] = self._call(upsert)
        return result

    def file_at(self, path: str, ref: str, limit: int) -> bytes | None:
        """A regular file's content at commit `ref` through the API (None: no such file)."""
        from github import UnknownObjectException

        def read() -> bytes | None:
            try:
                content = self._repo().get_contents(path, ref=ref)
            except UnknownObjectException:
                return None
            if isinstance(content, list) or content.type != "file":
                raise Unavailable(f"{path} at {ref[:12]} is not a regular file")
            if content.size > limit:
                raise Unavailable(f"{path} at {ref[:12]} is larger than {limit} bytes")
            data: bytes = content.decoded_content
            return data

        result: bytes | None = self._call(read)
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
            slug = getattr(getattr(run, "app", None), "slug", None)
            if isinstance(slug, str) and slug:
                self._app_login = f"{slug}[bot]"
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
