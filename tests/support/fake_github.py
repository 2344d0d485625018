"""A fake GitHub REST API server for tests (standard library only).

It serves one repository with pull requests, issue comments and check runs in the JSON
shapes of GitHub's REST API (the fields PyGithub reads), records every request with the
Authorization header redacted, and can be scripted to fail::

    with FakeGitHub("octo-org/octo-repo", token="t0k3n") as gh:
        gh.add_pull(1, files=["threats/model.yaml"])
        gh.fail("POST", "/repos/octo-org/octo-repo/issues/1/comments", 403)
        ...  # Github(base_url=gh.url, auth=Auth.Token("t0k3n"), ...)
        assert gh.requests[-1].status == 403

As a pytest fixture::

    @pytest.fixture
    def gh() -> Iterator[FakeGitHub]:
        yield from serve("octo-org/octo-repo")
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import threading
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

JSON = dict[str, Any]

DOCS_URL = "https://docs.github.com/rest"
DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 100
MAX_PR_FILES = 3000
MAX_ANNOTATIONS_PER_REQUEST = 50
MAX_CHECK_TEXT_BYTES = 65535
MAX_COMMENT_CHARS = 65536
REDACTED = "<redacted>"
MIN_SCRUBBED_TOKEN = 8
SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie"})
ANNOTATION_LEVELS = frozenset({"notice", "warning", "failure"})
CHECK_STATUSES = frozenset({"queued", "in_progress", "completed"})
CHECK_CONCLUSIONS = frozenset(
    {
        "action_required",
        "cancelled",
        "failure",
        "neutral",
        "success",
        "skipped",
        "stale",
        "timed_out",
    }
)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()  # a fake git object id


def _node_id(kind: str, number: int) -> str:
    return f"{kind}_kwFake{number}"


@dataclass(frozen=True)
class Identity:
    """Who a token authenticates as, or who wrote a comment."""

    login: str
    type: str = "User"  # "User", "Bot" or "Organization"
    id: int = 0  # 0: derived from the login

    @property
    def user_id(self) -> int:
        """The numeric id GitHub would show."""
        return self.id or zlib.crc32(self.login.encode("utf-8")) % 90_000_000 + 10_000_000


GITHUB_ACTIONS_BOT = Identity("github-actions[bot]", "Bot", 41898282)
"""The identity of a GitHub Actions ``GITHUB_TOKEN``."""


@dataclass
class PullRequest:
    """State of one pull request."""

    number: int
    head_sha: str
    base_sha: str
    head_ref: str = "feature"
    base_ref: str = "main"
    head_repo: str | None = ""
    """``""``: the base repository itself; ``"owner/name"``: a fork; ``None``: a deleted fork."""
    files: list[JSON] = field(default_factory=list)
    title: str = "Update threat model"
    body: str | None = None
    state: str = "open"
    draft: bool = False
    author: Identity = Identity("octocat")
    id: int = 0


@dataclass
class Comment:
    """State of one issue (or pull request conversation) comment."""

    id: int
    issue_number: int
    body: str
    author: Identity
    created_at: str
    updated_at: str


@dataclass
class Issue:
    """State of one issue (pull requests are kept apart, in ``pulls``; numbers are shared)."""

    number: int
    title: str
    body: str | None
    author: Identity
    id: int
    state: str = "open"
    state_reason: str | None = None
    labels: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    created_at: str = ""
    updated_at: str = ""
    closed_at: str | None = None


@dataclass
class Label:
    """A repository label."""

    id: int
    name: str
    color: str = "ededed"
    description: str | None = None


@dataclass
class CheckRun:
    """State of one check run; ``annotations`` accumulate across create and updates."""

    id: int
    name: str
    head_sha: str
    status: str = "queued"
    conclusion: str | None = None
    started_at: str | None = None
    completed_at: str | None = None
    details_url: str | None = None
    external_id: str | None = None
    title: str | None = None
    summary: str | None = None
    text: str | None = None
    annotations: list[JSON] = field(default_factory=list)
    actions: list[JSON] = field(default_factory=list)
    app: Identity = GITHUB_ACTIONS_BOT
    """The bot of the App whose token created it."""


@dataclass
class RecordedRequest:
    """One request as the server saw it. Credentials are never stored."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    """The parsed JSON body, the raw text if it was not JSON, or None."""
    headers: dict[str, str]
    """All request headers; Authorization, Proxy-Authorization and Cookie read ``<redacted>``."""
    auth_scheme: str | None
    """The scheme as sent (``"token"``, ``"Bearer"``, ...); None without an Authorization header."""
    authenticated: bool
    """Whether the credentials matched a configured token."""
    token_leaked: bool = False
    """A configured token (8+ chars) appeared outside the Authorization header; redacted here."""
    status: int = 0
    """The status the server answered with."""


@dataclass
class Fault:
    """A scripted answer for requests matching ``method`` and ``path``."""

    method: str
    path: str | re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    times: int | None = 1
    """How many more requests it answers; None: every one."""
    hits: int = 0
    """How many requests it has answered."""

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault (still) answers ``method path``."""
        if self.times is not None and self.times <= 0:
            return False
        if self.method not in ("*", method):
            return False
        if isinstance(self.path, re.Pattern):
            return self.path.fullmatch(path) is not None
        return self.path == path


@dataclass
class _Response:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


class _ApiError(Exception):
    def __init__(self, status: int, body: JSON, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(status)
        self.response = _Response(status, body, dict(headers or {}))


def error_body(status: int, message: str, documentation_url: str = DOCS_URL, **extra: Any) -> JSON:
    """A GitHub-style error body: message, documentation_url, status (a string, as GitHub)."""
    body: JSON = {"message": message}
    body.update(extra)
    body["documentation_url"] = documentation_url
    body["status"] = str(status)
    return body


def _invalid(message: str, doc: str) -> _ApiError:
    return _ApiError(422, error_body(422, f"Invalid request.\n\n{message}", doc))


def _validation_failed(resource: str, fld: str, code: str, message: str, doc: str) -> _ApiError:
    errors = [{"resource": resource, "code": code, "field": fld, "message": message}]
    return _ApiError(422, error_body(422, "Validation Failed", doc, errors=errors))


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeGitHub


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: avoid 40 ms stalls
    server: _HTTPServer

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        headers = dict(self.headers.items())
        resp = self.server.fake._handle(self.command, self.path, headers, raw)
        payload = b"" if resp.body is None else json.dumps(resp.body).encode("utf-8")
        self.send_response(resp.status)
        for key, value in resp.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet; requests are recorded instead."""


class FakeGitHub:
    """A fake GitHub REST API for one repository, served on 127.0.0.1 at an OS-chosen port."""

    def __init__(
        self,
        repo: str = "octo-org/octo-repo",
        *,
        token: str = "test-token",
        identity: Identity = GITHUB_ACTIONS_BOT,
        default_branch: str = "main",
        private: bool = False,
        html_base: str = "https://github.com",
    ) -> None:
        """``token`` authenticates as ``identity`` (by default the GitHub Actions bot)."""
        owner, _, name = repo.partition("/")
        if not owner or not name or "/" in name:
            raise ValueError(f"repo must be 'owner/name', not {repo!r}")
        self.owner, self.name = owner, name
        self.default_branch = default_branch
        self.private = private
        self.html_base = html_base.rstrip("/")
        self.repo_id = zlib.crc32(repo.encode("utf-8")) % 900_000_000 + 100_000_000
        self.pulls: dict[int, PullRequest] = {}
        self.comments: list[Comment] = []
        self.check_runs: dict[int, CheckRun] = {}
        self.issues: dict[int, Issue] = {}
        self.labels: dict[str, Label] = {}  # by lower-cased name
        self.assignable: set[str] = {owner.lower()}  # logins that may be assigned (lower case)
        self.contents: dict[tuple[str, str], bytes] = {}
        """Files served by ``GET /repos/.../contents/{path}?ref=``: (ref, path) -> bytes."""
        self.faults: list[Fault] = []
        self._tokens: dict[str, Identity] = {token: identity}
        self._users: dict[str, Identity] = {identity.login.lower(): identity}
        self._requests: list[RecordedRequest] = []
        self._ids = itertools.count(1_000_001)
        self._lock = threading.RLock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # --- lifecycle -------------------------------------------------------------------

    def start(self) -> Self:
        """Bind 127.0.0.1 on a free port and serve in a background thread."""
        if self._httpd is not None:
            return self
        httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        httpd.fake = self
        self._httpd = httpd
        self.url = f"http://127.0.0.1:{httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # --- state setup -----------------------------------------------------------------

    @property
    def full_name(self) -> str:
        """``owner/name`` of the served repository."""
        return f"{self.owner}/{self.name}"

    @property
    def repo_url(self) -> str:
        """The API URL of the served repository."""
        return f"{self.url}/repos/{self.full_name}"

    def add_token(self, token: str, identity: Identity) -> None:
        """Accept another token, authenticating as ``identity``."""
        with self._lock:
            self._tokens[token] = identity
            self._users[identity.login.lower()] = identity

    def add_pull(
        self,
        number: int = 1,
        *,
        head_sha: str | None = None,
        base_sha: str | None = None,
        head_ref: str = "feature",
        base_ref: str | None = None,
        head_repo: str | None = "",
        files: Iterable[str | Mapping[str, Any]] = (),
        **extra: Any,
    ) -> PullRequest:
        """Add a pull request; ``files`` are filenames or GitHub file dicts (defaults filled).

        ``head_repo``: ``""`` same repository, ``"owner/name"`` a fork, ``None`` a deleted fork.
        ``extra`` sets other :class:`PullRequest` fields (title, body, state, draft, author).
        """
        with self._lock:
            pr = PullRequest(
                number=number,
                head_sha=head_sha or _sha(f"head-{number}"),
                base_sha=base_sha or _sha(f"base-{number}"),
                head_ref=head_ref,
                base_ref=base_ref or self.default_branch,
                head_repo=head_repo,
                id=next(self._ids),
                **extra,
            )
            self._users.setdefault(pr.author.login.lower(), pr.author)
            self.pulls[number] = pr
            self.set_files(number, files)
            return pr

    def set_files(self, number: int, files: Iterable[str | Mapping[str, Any]]) -> None:
        """Replace the changed files of pull request ``number``."""
        with self._lock:
            pr = self.pulls[number]
            pr.files = [self._file_entry(pr, f) for f in files]

    def add_comment(
        self, number: int, body: str, author: Identity | str = Identity("octocat")
    ) -> Comment:
        """Add an existing comment to pull request ``number``'s conversation."""
        ident = Identity(author) if isinstance(author, str) else author
        with self._lock:
            if number not in self.pulls:
                raise KeyError(f"no pull request {number}; add_pull() first")
            now = _now()
            comment = Comment(next(self._ids), number, body, ident, now, now)
            self._users.setdefault(ident.login.lower(), ident)
            self.comments.append(comment)
            return comment

    def set_content(self, ref: str, path: str, content: bytes) -> None:
        """Serve ``path`` at commit ``ref`` through the contents API."""
        with self._lock:
            self.contents[(ref, path)] = content

    def comments_on(self, number: int) -> list[Comment]:
        """The comments on pull request ``number``, oldest first."""
        with self._lock:
            return [c for c in self.comments if c.issue_number == number]

    def add_issue(
        self,
        title: str,
        body: str | None = None,
        author: Identity | str = Identity("octocat"),
        **extra: Any,
    ) -> Issue:
        """Add an existing issue (``extra``: state, labels, assignees, ...)."""
        ident = Identity(author) if isinstance(author, str) else author
        with self._lock:
            now = _now()
            issue = Issue(
                number=self._next_number(), title=title, body=body, author=ident,
                id=next(self._ids), created_at=now, updated_at=now, **extra,
            )  # fmt: skip
            self._users.setdefault(ident.login.lower(), ident)
            for name in issue.labels:
                self._label(name, create=True)
            self.issues[issue.number] = issue
            return issue

    def add_collaborator(self, login: str) -> None:
        """Let ``login`` be assigned to issues."""
        with self._lock:
            self.assignable.add(login.lower())
            self._users.setdefault(login.lower(), Identity(login))

    def issue_comments(self, number: int) -> list[Comment]:
        """The comments on issue ``number``, oldest first."""
        return self.comments_on(number)

    def _next_number(self) -> int:
        return max([0, *self.pulls, *self.issues]) + 1

    # --- fault injection -------------------------------------------------------------

    def fail(
        self,
        method: str,
        path: str | re.Pattern[str],
        status: int = 500,
        message: str | None = None,
        *,
        times: int | None = 1,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Fault:
        """Answer the next ``times`` (None: all) ``method path`` requests with ``status``.

        ``path`` is an exact path (no query) or a compiled regex matched in full; ``method``
        may be ``"*"``. The body is GitHub's error shape with ``message`` unless ``body``
        is given. Faults are consulted in the order added, before authentication and routing.
        """
        if body is None:
            body = error_body(status, message or _default_message(status))
        fault = Fault(method.upper(), path, status, body, dict(headers or {}), times)
        with self._lock:
            self.faults.append(fault)
        return fault

    def rate_limit(
        self,
        method: str,
        path: str | re.Pattern[str],
        *,
        times: int | None = 1,
        status: int = 403,
        secondary: bool = False,
        retry_after: int | None = None,
        reset_in: float = 60.0,
    ) -> Fault:
        """Answer like GitHub's rate limits (``status`` 403 or 429).

        Primary (default): ``x-ratelimit-remaining: 0`` and ``x-ratelimit-reset`` ``reset_in``
        seconds from now, message "API rate limit exceeded ...". ``secondary=True``: the
        secondary-limit message. ``retry_after`` adds a ``retry-after`` header (seconds).
        """
        if secondary:
            message = (
                "You have exceeded a secondary rate limit. Please wait a few minutes before "
                "you try again. If you reach out to GitHub Support for help, please include "
                "the request ID FAKE:0000."
            )
            doc = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
        else:
            message = (
                "API rate limit exceeded for installation ID 1. If you reach out to GitHub "
                "Support for help, please include the request ID FAKE:0000."
            )
            doc = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
        reset = int(time.time() + reset_in)
        headers = {
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": "0" if not secondary else "4999",
            "x-ratelimit-used": "5000" if not secondary else "1",
            "x-ratelimit-reset": str(reset),
            "x-ratelimit-resource": "core",
        }
        if retry_after is not None:
            headers["retry-after"] = str(retry_after)
        return self.fail(
            method,
            path,
            status,
            body=error_body(status, message, doc),
            times=times,
            headers=headers,
        )

    def clear_faults(self) -> None:
        """Drop every scripted fault."""
        with self._lock:
            self.faults.clear()

    # --- request inspection ----------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """A copy of every request received so far, oldest first."""
        with self._lock:
            return list(self._requests)

    def requests_to(
        self, method: str | None = None, path: str | re.Pattern[str] | None = None
    ) -> list[RecordedRequest]:
        """Recorded requests filtered by method and by exact path or full-match regex."""
        out = []
        for req in self.requests:
            if method is not None and req.method != method.upper():
                continue
            if isinstance(path, re.Pattern):
                if path.fullmatch(req.path) is None:
                    continue
            elif path is not None and req.path != path:
                continue
            out.append(req)
        return out

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        with self._lock:
            self._requests.clear()

    # --- request handling ------------------------------------------------------------

    def _handle(self, method: str, raw_path: str, headers: dict[str, str], raw: bytes) -> _Response:
        parts = urlsplit(raw_path)
        path = unquote(parts.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        text = raw.decode("utf-8", errors="replace")
        body: Any = None
        bad_json = False
        if text:
            try:
                body = json.loads(text)
            except ValueError:
                body, bad_json = text, True
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        scheme, _, credential = (auth or "").strip().partition(" ")
        with self._lock:
            identity = (
                self._tokens.get(credential.strip())
                if scheme.lower() in ("token", "bearer")
                else None
            )
            record = RecordedRequest(
                method=method,
                path=path,
                query=query,
                body=body,
                headers={
                    k: (REDACTED if k.lower() in SENSITIVE_HEADERS else v)
                    for k, v in headers.items()
                },
                auth_scheme=scheme or None,
                authenticated=identity is not None,
            )
            self._scrub(record)
            self._requests.append(record)
            try:
                resp = self._respond(method, path, query, body, bad_json, auth, identity)
            except _ApiError as exc:
                resp = exc.response
            record.status = resp.status
            base = {
                "Content-Type": "application/json; charset=utf-8",
                "X-GitHub-Media-Type": "github.v3; format=json",
                "X-GitHub-Request-Id": f"FAKE:{len(self._requests):06d}",
                "x-ratelimit-limit": "5000",
                "x-ratelimit-remaining": str(max(0, 5000 - len(self._requests))),
                "x-ratelimit-used": str(min(5000, len(self._requests))),
                "x-ratelimit-reset": str(int(time.time()) + 3600),
                "x-ratelimit-resource": "core",
            }
            lower = {k.lower() for k in resp.headers}
            base = {k: v for k, v in base.items() if k.lower() not in lower}
            resp.headers = {**base, **resp.headers}
            return resp

    def _scrub(self, record: RecordedRequest) -> None:
        """Replace any configured token found in the record, and flag the leak.

        Tokens shorter than 8 characters are not searched for (they would match anywhere);
        the Authorization header is redacted whatever its length.
        """
        tokens = [t for t in self._tokens if len(t) >= MIN_SCRUBBED_TOKEN]

        def clean(value: Any) -> Any:
            if isinstance(value, str):
                for token in tokens:
                    if token in value:
                        record.token_leaked = True
                        value = value.replace(token, REDACTED)
                return value
            if isinstance(value, list):
                return [clean(v) for v in value]
            if isinstance(value, dict):
                return {clean(k): clean(v) for k, v in value.items()}
            return value

        record.path = clean(record.path)
        record.query = clean(record.query)
        record.body = clean(record.body)
        record.headers = clean(record.headers)

    def _respond(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        bad_json: bool,
        auth: str | None,
        identity: Identity | None,
    ) -> _Response:
        for fault in self.faults:
            if fault.matches(method, path):
                fault.hits += 1
                if fault.times is not None:
                    fault.times -= 1
                return _Response(fault.status, fault.body, dict(fault.headers))
        if identity is None:
            message = "Requires authentication" if auth is None else "Bad credentials"
            raise _ApiError(401, error_body(401, message))
        if bad_json:
            raise _ApiError(400, error_body(400, "Problems parsing JSON"))
        if path in ("/user", "/user/"):
            return self._get_user_self(method, identity)
        if path == "/graphql" and method == "POST":
            return self._graphql(body, identity)
        m = re.fullmatch(r"/users/([^/]+)", path)
        if m and method == "GET":
            user = self._users.get(m.group(1).lower())
            if user is None:
                raise _not_found()
            return _Response(200, self._user_json(user))
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", path)
        if not m or (m.group(1).lower(), m.group(2).lower()) != (
            self.owner.lower(),
            self.name.lower(),
        ):
            raise _not_found()
        return self._repo_route(method, m.group(3) or "", query, body, identity)

    def _get_user_self(self, method: str, identity: Identity) -> _Response:
        if method != "GET":
            raise _not_found()
        if identity.type == "Bot":
            raise _ApiError(
                403,
                error_body(
                    403,
                    "Resource not accessible by integration",
                    "https://docs.github.com/rest/users/users#get-the-authenticated-user",
                ),
            )
        return _Response(200, self._user_json(identity))

    def _graphql(self, body: Any, identity: Identity) -> _Response:
        """The one GraphQL query the fake knows: ``viewer { login }``, which GitHub answers for
        every kind of token (installation tokens included, unlike ``GET /user``)."""
        query = body.get("query") if isinstance(body, dict) else None
        if not isinstance(query, str) or "viewer" not in query:
            return _Response(200, {"errors": [{"message": "the fake knows only viewer"}]})
        return _Response(200, {"data": {"viewer": {"login": identity.login}}})

    def _repo_route(
        self, method: str, rest: str, query: dict[str, list[str]], body: Any, identity: Identity
    ) -> _Response:
        if rest in ("", "/") and method == "GET":
            return _Response(200, self._repo_json())
        if m := re.fullmatch(r"/pulls/(\d+)", rest):
            if method == "GET":
                return _Response(200, self._pull_json(self._pull(int(m.group(1)))))
        elif m := re.fullmatch(r"/pulls/(\d+)/files", rest):
            if method == "GET":
                pr = self._pull(int(m.group(1)))
                return self._page(pr.files[:MAX_PR_FILES], query, rest)
        elif rest == "/issues":
            if method == "GET":
                return self._list_issues(query, rest)
            if method == "POST":
                return self._create_issue(body, identity)
        elif m := re.fullmatch(r"/issues/(\d+)", rest):
            number = int(m.group(1))
            if number in self.pulls and method == "GET":
                return _Response(200, self._pull_as_issue_json(self.pulls[number]))
            issue = self._issue(number)
            if method == "GET":
                return _Response(200, self._issue_json(issue))
            if method == "PATCH":
                return self._edit_issue(issue, body)
        elif rest == "/labels":
            if method == "GET":
                labels = sorted(self.labels.values(), key=lambda label: label.id)
                return self._page([self._label_json(label) for label in labels], query, rest)
            if method == "POST":
                return self._create_label(body)
        elif m := re.fullmatch(r"/labels/([^/]+)", rest):
            label = self.labels.get(m.group(1).lower())
            if label is None:
                raise _not_found()
            if method == "GET":
                return _Response(200, self._label_json(label))
        elif m := re.fullmatch(r"/issues/(\d+)/comments", rest):
            number = int(m.group(1))
            if number not in self.issues:
                self._pull(number)
            if method == "GET":
                items = [self._comment_json(c) for c in self.comments if c.issue_number == number]
                return self._page(items, query, rest)
            if method == "POST":
                return self._create_comment(number, body, identity)
        elif m := re.fullmatch(r"/issues/comments/(\d+)", rest):
            comment = self._comment(int(m.group(1)))
            if method == "GET":
                return _Response(200, self._comment_json(comment))
            if method == "PATCH":
                return self._edit_comment(comment, body)
            if method == "DELETE":
                self.comments.remove(comment)
                return _Response(204, None)
        elif m := re.fullmatch(r"/contents/(.+)", rest):
            if method == "GET":
                return self._content(m.group(1), query)
        elif rest == "/check-runs":
            if method == "POST":
                return self._create_check_run(body, identity)
        elif m := re.fullmatch(r"/check-runs/(\d+)", rest):
            run = self._check_run(int(m.group(1)))
            if method == "GET":
                return _Response(200, self._check_run_json(run))
            if method == "PATCH":
                return self._update_check_run(run, body)
        elif m := re.fullmatch(r"/check-runs/(\d+)/annotations", rest):
            run = self._check_run(int(m.group(1)))
            if method == "GET":
                return self._page(list(run.annotations), query, rest)
        raise _not_found()

    def _content(self, path: str, query: dict[str, list[str]]) -> _Response:
        ref = query.get("ref", [self.default_branch])[-1]
        content = self.contents.get((ref, path))
        if content is None:
            raise _not_found()
        url = f"{self.repo_url}/contents/{quote(path)}?ref={ref}"
        return _Response(
            200,
            {
                "type": "file",
                "encoding": "base64",
                "size": len(content),
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "content": base64.encodebytes(content).decode("ascii"),
                "sha": _sha(f"{ref}:{path}"),
                "url": url,
                "git_url": f"{self.repo_url}/git/blobs/{_sha(f'{ref}:{path}')}",
                "html_url": f"{self.html_base}/{self.full_name}/blob/{ref}/{quote(path)}",
                "download_url": None,
                "_links": {"self": url},
            },
        )

    def _pull(self, number: int) -> PullRequest:
        pr = self.pulls.get(number)
        if pr is None:
            raise _not_found()
        return pr

    def _issue(self, number: int) -> Issue:
        issue = self.issues.get(number)
        if issue is None:
            raise _not_found()
        return issue

    def _comment(self, comment_id: int) -> Comment:
        for c in self.comments:
            if c.id == comment_id:
                return c
        raise _not_found()

    def _check_run(self, run_id: int) -> CheckRun:
        run = self.check_runs.get(run_id)
        if run is None:
            raise _not_found()
        return run

    # --- pagination ------------------------------------------------------------------

    def _page(self, items: list[Any], query: dict[str, list[str]], rest: str) -> _Response:
        per_page = _int_param(query, "per_page", DEFAULT_PER_PAGE)
        per_page = DEFAULT_PER_PAGE if per_page < 1 else min(per_page, MAX_PER_PAGE)
        page = max(1, _int_param(query, "page", 1))
        last = max(1, -(-len(items) // per_page))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers: dict[str, str] = {}
        if last > 1:
            base = f"{self.repo_url}{rest}"
            params = {k: v[-1] for k, v in query.items()}

            def link(p: int, rel: str) -> str:
                return f'<{base}?{urlencode({**params, "page": p})}>; rel="{rel}"'

            links = []
            if page > 1:
                links.append(link(min(page - 1, last), "prev"))
            if page < last:
                links.append(link(page + 1, "next"))
                links.append(link(last, "last"))
            if page > 1:
                links.append(link(1, "first"))
            headers["Link"] = ", ".join(links)
        return _Response(200, chunk, headers)

    # --- writes ----------------------------------------------------------------------

    def _list_issues(self, query: dict[str, list[str]], rest: str) -> _Response:
        """GET /repos/{owner}/{repo}/issues: issues and pull requests, newest first."""
        doc = "https://docs.github.com/rest/issues/issues#list-repository-issues"
        state = query.get("state", ["open"])[-1]
        if state not in ("open", "closed", "all"):
            raise _validation_failed("Issue", "state", "invalid", "state is not valid", doc)
        creator = query.get("creator", [None])[-1]
        wanted_labels = [
            name.strip().lower()
            for name in query.get("labels", [""])[-1].split(",")
            if name.strip()
        ]
        items: list[tuple[int, JSON]] = []
        for issue in self.issues.values():
            if state != "all" and issue.state != state:
                continue
            if creator is not None and issue.author.login.lower() != creator.lower():
                continue
            have = {name.lower() for name in issue.labels}
            if any(name not in have for name in wanted_labels):
                continue
            items.append((issue.number, self._issue_json(issue)))
        for pr in self.pulls.values():  # GitHub lists pull requests among issues
            if (
                (state in ("all", pr.state))
                and not wanted_labels
                and (creator is None or pr.author.login.lower() == creator.lower())
            ):
                items.append((pr.number, self._pull_as_issue_json(pr)))
        direction = query.get("direction", ["desc"])[-1]
        items.sort(key=lambda item: item[0], reverse=direction != "asc")
        return self._page([item for _, item in items], query, rest)

    def _create_issue(self, body: Any, identity: Identity) -> _Response:
        doc = "https://docs.github.com/rest/issues/issues#create-an-issue"
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("title"), str)
            or not body["title"]
        ):
            raise _invalid('"title" wasn\'t supplied.', doc)
        fields = self._issue_fields(body, doc)
        now = _now()
        issue = Issue(
            number=self._next_number(), title=body["title"], body=fields.get("body"),
            author=identity, id=next(self._ids), created_at=now, updated_at=now,
            labels=fields.get("labels", []), assignees=fields.get("assignees", []),
        )  # fmt: skip
        self.issues[issue.number] = issue
        return _Response(201, self._issue_json(issue), {"Location": self._issue_url(issue)})

    def _edit_issue(self, issue: Issue, body: Any) -> _Response:
        doc = "https://docs.github.com/rest/issues/issues#update-an-issue"
        if not isinstance(body, dict):
            raise _invalid("Body must be a JSON object.", doc)
        fields = self._issue_fields(body, doc)
        if "title" in body:
            if not isinstance(body["title"], str) or not body["title"]:
                raise _invalid("For 'properties/title', value is not a string.", doc)
            issue.title = body["title"]
        state = body.get("state")
        if state is not None and state not in ("open", "closed"):
            raise _invalid(
                f"For 'properties/state', {json.dumps(state)} is not a valid value.", doc
            )
        reason = body.get("state_reason")
        if reason is not None and reason not in ("completed", "not_planned", "reopened"):
            raise _invalid(
                f"For 'properties/state_reason', {json.dumps(reason)} is not a valid value.", doc
            )
        for key in ("body", "labels", "assignees"):
            if key in fields:
                setattr(issue, key, fields[key])
        if state == "closed" and issue.state != "closed":
            issue.state, issue.closed_at = "closed", _now()
            issue.state_reason = reason or "completed"
        elif state == "open" and issue.state != "open":
            issue.state, issue.closed_at, issue.state_reason = "open", None, "reopened"
        issue.updated_at = _now()
        return _Response(200, self._issue_json(issue))

    def _issue_fields(self, body: JSON, doc: str) -> JSON:
        """Check body, labels and assignees of an issue write; unknown labels are created, as
        GitHub does; a login that may not be assigned is refused, as GitHub does."""
        fields: JSON = {}
        if "body" in body:
            text = body["body"]
            if text is not None and not isinstance(text, str):
                raise _invalid("For 'properties/body', value is not a string or null.", doc)
            if isinstance(text, str) and len(text) > MAX_COMMENT_CHARS:
                raise _validation_failed(
                    "Issue", "body", "custom",
                    f"body is too long (maximum is {MAX_COMMENT_CHARS} characters)", doc,
                )  # fmt: skip
            fields["body"] = text
        if "labels" in body:
            labels = body["labels"]
            if not isinstance(labels, list) or not all(isinstance(n, str) for n in labels):
                raise _invalid("For 'properties/labels', value is not an array.", doc)
            fields["labels"] = [self._label(name, create=True).name for name in labels]
        if "assignees" in body:
            assignees = body["assignees"]
            if not isinstance(assignees, list) or not all(isinstance(n, str) for n in assignees):
                raise _invalid("For 'properties/assignees', value is not an array.", doc)
            for login in assignees:
                if login.lower() not in self.assignable:
                    raise _validation_failed("Issue", "assignees", "invalid", login, doc)
            fields["assignees"] = list(assignees)
        return fields

    def _label(self, name: str, *, create: bool = False) -> Label:
        label = self.labels.get(name.lower())
        if label is None:
            if not create:
                raise _not_found()
            label = Label(next(self._ids), name)
            self.labels[name.lower()] = label
        return label

    def _create_label(self, body: Any) -> _Response:
        doc = "https://docs.github.com/rest/issues/labels#create-a-label"
        if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"]:
            raise _invalid('"name" wasn\'t supplied.', doc)
        color = body.get("color", "ededed")
        if not isinstance(color, str) or not re.fullmatch(r"[0-9a-fA-F]{6}", color):
            raise _validation_failed("Label", "color", "invalid", "color is invalid", doc)
        if body["name"].lower() in self.labels:
            raise _validation_failed("Label", "name", "already_exists", "already_exists", doc)
        label = Label(next(self._ids), body["name"], color.lower(), body.get("description"))
        self.labels[label.name.lower()] = label
        return _Response(201, self._label_json(label))

    def _create_comment(self, number: int, body: Any, identity: Identity) -> _Response:
        doc = "https://docs.github.com/rest/issues/comments#create-an-issue-comment"
        text = self._comment_body(body, doc)
        now = _now()
        comment = Comment(next(self._ids), number, text, identity, now, now)
        self.comments.append(comment)
        return _Response(201, self._comment_json(comment), {"Location": self._comment_url(comment)})

    def _edit_comment(self, comment: Comment, body: Any) -> _Response:
        doc = "https://docs.github.com/rest/issues/comments#update-an-issue-comment"
        comment.body = self._comment_body(body, doc)
        comment.updated_at = _now()
        return _Response(200, self._comment_json(comment))

    @staticmethod
    def _comment_body(body: Any, doc: str) -> str:
        if not isinstance(body, dict) or "body" not in body:
            raise _invalid('"body" wasn\'t supplied.', doc)
        text = body["body"]
        if not isinstance(text, str):
            raise _invalid(f"For 'properties/body', {json.dumps(text)} is not a string.", doc)
        if len(text) > MAX_COMMENT_CHARS:
            raise _validation_failed(
                "IssueComment",
                "data",
                "unprocessable",
                f"Body is too long (maximum is {MAX_COMMENT_CHARS} characters)",
                doc,
            )
        return text

    def _create_check_run(self, body: Any, identity: Identity) -> _Response:
        doc = "https://docs.github.com/rest/checks/runs#create-a-check-run"
        if identity.type != "Bot":
            # Only GitHub Apps (the workflow token included) may create check runs.
            raise _ApiError(403, error_body(403, "You must authenticate via a GitHub App.", doc))
        if not isinstance(body, dict):
            raise _invalid('"name" wasn\'t supplied.', doc)
        for key in ("name", "head_sha"):
            if not isinstance(body.get(key), str) or not body[key]:
                raise _invalid(f'"{key}" wasn\'t supplied.', doc)
        run = CheckRun(
            id=next(self._ids), name=body["name"], head_sha=body["head_sha"], app=identity
        )
        self._apply_check_run(run, body, doc, creating=True)
        self.check_runs[run.id] = run
        return _Response(201, self._check_run_json(run))

    def _update_check_run(self, run: CheckRun, body: Any) -> _Response:
        doc = "https://docs.github.com/rest/checks/runs#update-a-check-run"
        if not isinstance(body, dict):
            raise _invalid("Body must be a JSON object.", doc)
        self._apply_check_run(run, body, doc, creating=False)
        return _Response(200, self._check_run_json(run))

    def _apply_check_run(self, run: CheckRun, body: JSON, doc: str, *, creating: bool) -> None:
        """Validate everything first, then apply, so a rejected request changes nothing."""
        status = body.get("status")
        conclusion = body.get("conclusion")
        if status is not None and status not in CHECK_STATUSES:
            raise _invalid(
                f"For 'properties/status', {json.dumps(status)} is not a valid value.", doc
            )
        if conclusion is not None and conclusion not in CHECK_CONCLUSIONS:
            raise _invalid(
                f"For 'properties/conclusion', {json.dumps(conclusion)} is not a valid value.", doc
            )
        if status == "completed" and conclusion is None and run.conclusion is None:
            raise _invalid('"conclusion" wasn\'t supplied.', doc)
        output = body.get("output")
        annotations: list[JSON] = []
        if output is not None:
            if not isinstance(output, dict):
                raise _invalid("For 'properties/output', value is not an object.", doc)
            for key in ("title", "summary"):
                if not isinstance(output.get(key), str):
                    raise _invalid(f'"{key}" wasn\'t supplied.', doc)
            for key in ("summary", "text"):
                value = output.get(key)
                if isinstance(value, str) and len(value.encode("utf-8")) > MAX_CHECK_TEXT_BYTES:
                    raise _validation_failed(
                        "CheckRun",
                        key,
                        "custom",
                        f"{key} exceeds a maximum bytesize of {MAX_CHECK_TEXT_BYTES}",
                        doc,
                    )
            raw = output.get("annotations") or []
            if not isinstance(raw, list):
                raise _invalid("For 'properties/annotations', value is not an array.", doc)
            if len(raw) > MAX_ANNOTATIONS_PER_REQUEST:
                raise _invalid(
                    f"No more than {MAX_ANNOTATIONS_PER_REQUEST} items are allowed; "
                    f"{len(raw)} were supplied.",
                    doc,
                )
            annotations = [self._annotation(a, run, doc) for a in raw]
        # apply
        for key in ("name", "head_sha", "details_url", "external_id", "started_at", "completed_at"):
            if key in body and not (creating and key in ("name", "head_sha")):
                setattr(run, key, body[key])
        if creating and run.started_at is None:
            run.started_at = _now()
        if status is not None:
            run.status = status
        if conclusion is not None:
            run.conclusion = conclusion
            run.status = "completed"
        if run.status == "completed" and run.completed_at is None:
            run.completed_at = _now()
        if isinstance(body.get("actions"), list):
            run.actions = body["actions"]
        if output is not None:
            run.title = output["title"]
            run.summary = output["summary"]
            if "text" in output:
                run.text = output["text"]
            run.annotations.extend(annotations)

    def _annotation(self, raw: Any, run: CheckRun, doc: str) -> JSON:
        if not isinstance(raw, dict):
            raise _invalid("For 'items', value is not an object.", doc)
        for key in ("path", "start_line", "end_line", "annotation_level", "message"):
            if key not in raw:
                raise _invalid(f'"{key}" wasn\'t supplied.', doc)
        if raw["annotation_level"] not in ANNOTATION_LEVELS:
            raise _invalid(
                f"For 'properties/annotation_level', {json.dumps(raw['annotation_level'])} "
                "is not a valid value.",
                doc,
            )
        return {
            "path": raw["path"],
            "blob_href": f"{self.html_base}/{self.full_name}/blob/{run.head_sha}/{raw['path']}",
            "start_line": raw["start_line"],
            "start_column": raw.get("start_column"),
            "end_line": raw["end_line"],
            "end_column": raw.get("end_column"),
            "annotation_level": raw["annotation_level"],
            "title": raw.get("title"),
            "message": raw["message"],
            "raw_details": raw.get("raw_details"),
        }

    # --- JSON shapes -----------------------------------------------------------------

    def _user_json(self, ident: Identity) -> JSON:
        api = f"{self.url}/users/{quote(ident.login, safe='')}"
        if ident.type == "Bot":
            html = f"{self.html_base}/apps/{ident.login.removesuffix('[bot]')}"
        else:
            html = f"{self.html_base}/{ident.login}"
        return {
            "login": ident.login,
            "id": ident.user_id,
            "node_id": _node_id("U" if ident.type != "Bot" else "BOT", ident.user_id),
            "avatar_url": f"https://avatars.githubusercontent.com/u/{ident.user_id}?v=4",
            "gravatar_id": "",
            "url": api,
            "html_url": html,
            "followers_url": f"{api}/followers",
            "following_url": f"{api}/following{{/other_user}}",
            "gists_url": f"{api}/gists{{/gist_id}}",
            "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
            "subscriptions_url": f"{api}/subscriptions",
            "organizations_url": f"{api}/orgs",
            "repos_url": f"{api}/repos",
            "events_url": f"{api}/events{{/privacy}}",
            "received_events_url": f"{api}/received_events",
            "type": ident.type,
            "user_view_type": "public",
            "site_admin": False,
        }

    def _repo_json(self, full_name: str | None = None) -> JSON:
        full_name = full_name or self.full_name
        owner, _, name = full_name.partition("/")
        is_base = full_name == self.full_name
        repo_id = self.repo_id if is_base else zlib.crc32(full_name.encode()) % 900_000_000 + 1
        api = f"{self.url}/repos/{full_name}"
        html = f"{self.html_base}/{full_name}"
        owner_ident = Identity(owner, "Organization" if is_base else "User")
        return {
            "id": repo_id,
            "node_id": _node_id("R", repo_id),
            "name": name,
            "full_name": full_name,
            "private": self.private,
            "owner": self._user_json(owner_ident),
            "html_url": html,
            "description": None,
            "fork": not is_base,
            "url": api,
            "archive_url": f"{api}/{{archive_format}}{{/ref}}",
            "branches_url": f"{api}/branches{{/branch}}",
            "comments_url": f"{api}/comments{{/number}}",
            "commits_url": f"{api}/commits{{/sha}}",
            "compare_url": f"{api}/compare/{{base}}...{{head}}",
            "contents_url": f"{api}/contents/{{+path}}",
            "issue_comment_url": f"{api}/issues/comments{{/number}}",
            "issues_url": f"{api}/issues{{/number}}",
            "pulls_url": f"{api}/pulls{{/number}}",
            "statuses_url": f"{api}/statuses/{{sha}}",
            "created_at": "2024-01-01T00:00:00Z",
            "updated_at": "2024-01-02T00:00:00Z",
            "pushed_at": "2024-01-03T00:00:00Z",
            "git_url": f"git://github.com/{full_name}.git",
            "ssh_url": f"git@github.com:{full_name}.git",
            "clone_url": f"{html}.git",
            "svn_url": html,
            "homepage": None,
            "size": 100,
            "stargazers_count": 0,
            "watchers_count": 0,
            "language": "Python",
            "has_issues": True,
            "has_projects": True,
            "has_downloads": True,
            "has_wiki": False,
            "has_pages": False,
            "has_discussions": False,
            "forks_count": 0,
            "archived": False,
            "disabled": False,
            "open_issues_count": self._open_issues() if is_base else 0,
            "license": None,
            "allow_forking": True,
            "is_template": False,
            "web_commit_signoff_required": False,
            "topics": [],
            "visibility": "private" if self.private else "public",
            "forks": 0,
            "open_issues": self._open_issues() if is_base else 0,
            "watchers": 0,
            "default_branch": self.default_branch,
            "permissions": {
                "admin": False,
                "maintain": False,
                "push": is_base,
                "triage": is_base,
                "pull": True,
            },
        }

    def _open_issues(self) -> int:
        open_issues = sum(1 for issue in self.issues.values() if issue.state == "open")
        return open_issues + sum(1 for pr in self.pulls.values() if pr.state == "open")

    def _file_entry(self, pr: PullRequest, spec: str | Mapping[str, Any]) -> JSON:
        entry: JSON = {"filename": spec} if isinstance(spec, str) else dict(spec)
        filename = str(entry["filename"])
        path = quote(filename)
        entry.setdefault("sha", _sha(f"{pr.head_sha}:{filename}"))
        entry.setdefault("status", "modified")
        entry.setdefault("additions", 1)
        entry.setdefault("deletions", 0)
        entry.setdefault("changes", entry["additions"] + entry["deletions"])
        entry["blob_url"] = (
            entry.get("blob_url") or f"{self.html_base}/{self.full_name}/blob/{pr.head_sha}/{path}"
        )
        entry["raw_url"] = (
            entry.get("raw_url") or f"{self.html_base}/{self.full_name}/raw/{pr.head_sha}/{path}"
        )
        entry["contents_url"] = (
            entry.get("contents_url") or f"{self.repo_url}/contents/{path}?ref={pr.head_sha}"
        )
        entry.setdefault("patch", "@@ -0,0 +1 @@\n+changed")
        return entry

    def _pr_part(self, pr: PullRequest, head: bool) -> JSON:
        ref, sha = (pr.head_ref, pr.head_sha) if head else (pr.base_ref, pr.base_sha)
        repo: str | None = self.full_name
        if head:
            repo = pr.head_repo if pr.head_repo != "" else self.full_name
        owner = (repo or self.full_name).partition("/")[0]
        return {
            "label": f"{owner}:{ref}",
            "ref": ref,
            "sha": sha,
            "user": self._user_json(
                Identity(owner, "Organization" if repo == self.full_name else "User")
            ),
            "repo": self._repo_json(repo) if repo is not None else None,
        }

    def _pull_json(self, pr: PullRequest) -> JSON:
        api = f"{self.repo_url}/pulls/{pr.number}"
        issue = f"{self.repo_url}/issues/{pr.number}"
        html = f"{self.html_base}/{self.full_name}/pull/{pr.number}"
        files = pr.files
        return {
            "url": api,
            "id": pr.id,
            "node_id": _node_id("PR", pr.id),
            "html_url": html,
            "diff_url": f"{html}.diff",
            "patch_url": f"{html}.patch",
            "issue_url": issue,
            "number": pr.number,
            "state": pr.state,
            "locked": False,
            "title": pr.title,
            "user": self._user_json(pr.author),
            "body": pr.body,
            "created_at": "2024-01-04T00:00:00Z",
            "updated_at": "2024-01-05T00:00:00Z",
            "closed_at": None,
            "merged_at": None,
            "merge_commit_sha": None,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "labels": [],
            "milestone": None,
            "draft": pr.draft,
            "commits_url": f"{api}/commits",
            "review_comments_url": f"{api}/comments",
            "review_comment_url": f"{self.repo_url}/pulls/comments{{/number}}",
            "comments_url": f"{issue}/comments",
            "statuses_url": f"{self.repo_url}/statuses/{pr.head_sha}",
            "head": self._pr_part(pr, head=True),
            "base": self._pr_part(pr, head=False),
            "_links": {
                "self": {"href": api},
                "html": {"href": html},
                "issue": {"href": issue},
                "comments": {"href": f"{issue}/comments"},
                "review_comments": {"href": f"{api}/comments"},
                "review_comment": {"href": f"{self.repo_url}/pulls/comments{{/number}}"},
                "commits": {"href": f"{api}/commits"},
                "statuses": {"href": f"{self.repo_url}/statuses/{pr.head_sha}"},
            },
            "author_association": "CONTRIBUTOR",
            "auto_merge": None,
            "active_lock_reason": None,
            "merged": False,
            "mergeable": True,
            "rebaseable": True,
            "mergeable_state": "clean",
            "merged_by": None,
            "comments": sum(1 for c in self.comments if c.issue_number == pr.number),
            "review_comments": 0,
            "maintainer_can_modify": pr.head_repo not in ("", None),
            "commits": 1,
            "additions": sum(int(f.get("additions", 0)) for f in files),
            "deletions": sum(int(f.get("deletions", 0)) for f in files),
            "changed_files": len(files),
        }

    def _issue_url(self, issue: Issue) -> str:
        return f"{self.repo_url}/issues/{issue.number}"

    def _label_json(self, label: Label) -> JSON:
        return {
            "id": label.id,
            "node_id": _node_id("LA", label.id),
            "url": f"{self.repo_url}/labels/{quote(label.name, safe='')}",
            "name": label.name,
            "description": label.description,
            "color": label.color,
            "default": False,
        }

    def _issue_json(self, issue: Issue) -> JSON:
        api = self._issue_url(issue)
        users = [self._users.get(login.lower(), Identity(login)) for login in issue.assignees]
        return {
            "id": issue.id,
            "node_id": _node_id("I", issue.id),
            "url": api,
            "repository_url": self.repo_url,
            "labels_url": f"{api}/labels{{/name}}",
            "comments_url": f"{api}/comments",
            "events_url": f"{api}/events",
            "html_url": f"{self.html_base}/{self.full_name}/issues/{issue.number}",
            "number": issue.number,
            "state": issue.state,
            "state_reason": issue.state_reason,
            "title": issue.title,
            "body": issue.body,
            "user": self._user_json(issue.author),
            "labels": [self._label_json(self._label(name, create=True)) for name in issue.labels],
            "assignee": self._user_json(users[0]) if users else None,
            "assignees": [self._user_json(user) for user in users],
            "milestone": None,
            "locked": False,
            "active_lock_reason": None,
            "comments": sum(1 for c in self.comments if c.issue_number == issue.number),
            "closed_at": issue.closed_at,
            "created_at": issue.created_at,
            "updated_at": issue.updated_at,
            "closed_by": None,
            "author_association": "NONE" if issue.author.type == "Bot" else "CONTRIBUTOR",
            "performed_via_github_app": None,
            "reactions": {"url": f"{api}/reactions", "total_count": 0},
            "timeline_url": f"{api}/timeline",
        }

    def _pull_as_issue_json(self, pr: PullRequest) -> JSON:
        api = f"{self.repo_url}/issues/{pr.number}"
        html = f"{self.html_base}/{self.full_name}/pull/{pr.number}"
        return {
            "id": pr.id,
            "node_id": _node_id("PR", pr.id),
            "url": api,
            "repository_url": self.repo_url,
            "html_url": html,
            "number": pr.number,
            "state": pr.state,
            "title": pr.title,
            "body": pr.body,
            "user": self._user_json(pr.author),
            "labels": [],
            "assignee": None,
            "assignees": [],
            "comments": sum(1 for c in self.comments if c.issue_number == pr.number),
            "created_at": "2024-01-04T00:00:00Z",
            "updated_at": "2024-01-05T00:00:00Z",
            "closed_at": None,
            "pull_request": {
                "url": f"{self.repo_url}/pulls/{pr.number}",
                "html_url": html,
                "diff_url": f"{html}.diff",
                "patch_url": f"{html}.patch",
            },
        }

    def _comment_url(self, comment: Comment) -> str:
        return f"{self.repo_url}/issues/comments/{comment.id}"

    def _comment_json(self, comment: Comment) -> JSON:
        return {
            "id": comment.id,
            "node_id": _node_id("IC", comment.id),
            "url": self._comment_url(comment),
            "html_url": (
                f"{self.html_base}/{self.full_name}/"
                f"{'issues' if comment.issue_number in self.issues else 'pull'}/"
                f"{comment.issue_number}#issuecomment-{comment.id}"
            ),
            "body": comment.body,
            "user": self._user_json(comment.author),
            "created_at": comment.created_at,
            "updated_at": comment.updated_at,
            "issue_url": f"{self.repo_url}/issues/{comment.issue_number}",
            "author_association": "NONE" if comment.author.type == "Bot" else "CONTRIBUTOR",
            # A comment an App's token wrote names the App (its bot is the author).
            "performed_via_github_app": (
                self._app_json(comment.author) if comment.author.type == "Bot" else None
            ),
            "reactions": {
                "url": f"{self._comment_url(comment)}/reactions",
                "total_count": 0,
                "+1": 0,
                "-1": 0,
                "laugh": 0,
                "hooray": 0,
                "confused": 0,
                "heart": 0,
                "rocket": 0,
                "eyes": 0,
            },
        }

    def _app_json(self, bot: Identity) -> JSON:
        """The GitHub App whose bot is ``bot`` (``slug[bot]``)."""
        slug = bot.login.removesuffix("[bot]")
        if slug == "github-actions":
            app_id, name, node = 15368, "GitHub Actions", "MDM6QXBwMTUzNjg="
            owner = Identity("github", "Organization", 9919)
        else:
            app_id, name, node = bot.user_id % 1_000_000, slug, _node_id("A", bot.user_id)
            owner = Identity(self.owner, "Organization")
        return {
            "id": app_id,
            "slug": slug,
            "node_id": node,
            "owner": self._user_json(owner),
            "name": name,
            "description": "",
            "external_url": f"{self.html_base}/apps/{slug}",
            "html_url": f"{self.html_base}/apps/{slug}",
            "created_at": "2018-07-30T09:30:17Z",
            "updated_at": "2024-04-10T20:33:16Z",
            "permissions": {"checks": "write", "issues": "write", "pull_requests": "write"},
            "events": [],
        }

    def _check_run_json(self, run: CheckRun) -> JSON:
        api = f"{self.repo_url}/check-runs/{run.id}"
        html = f"{self.html_base}/{self.full_name}/runs/{run.id}"
        pulls = [
            {
                "url": f"{self.repo_url}/pulls/{pr.number}",
                "id": pr.id,
                "number": pr.number,
                "head": {
                    "ref": pr.head_ref,
                    "sha": pr.head_sha,
                    "repo": {"id": self.repo_id, "url": self.repo_url, "name": self.name},
                },
                "base": {
                    "ref": pr.base_ref,
                    "sha": pr.base_sha,
                    "repo": {"id": self.repo_id, "url": self.repo_url, "name": self.name},
                },
            }
            # GitHub lists only pull requests whose head is in this repository, not forks.
            for pr in self.pulls.values()
            if pr.head_sha == run.head_sha and pr.head_repo == ""
        ]
        return {
            "id": run.id,
            "name": run.name,
            "node_id": _node_id("CR", run.id),
            "head_sha": run.head_sha,
            "external_id": run.external_id or "",
            "url": api,
            "html_url": html,
            "details_url": run.details_url or html,
            "status": run.status,
            "conclusion": run.conclusion,
            "started_at": run.started_at,
            "completed_at": run.completed_at,
            "output": {
                "title": run.title,
                "summary": run.summary,
                "text": run.text,
                "annotations_count": len(run.annotations),
                "annotations_url": f"{api}/annotations",
            },
            "check_suite": {"id": run.id + 7_000_000},
            "app": self._app_json(run.app),
            "pull_requests": pulls,
        }


def _int_param(query: dict[str, list[str]], name: str, default: int) -> int:
    try:
        return int(query[name][-1])
    except (KeyError, IndexError, ValueError):
        return default


def _not_found() -> _ApiError:
    return _ApiError(404, error_body(404, "Not Found"))


def _default_message(status: int) -> str:
    return {
        400: "Bad Request",
        401: "Bad credentials",
        403: "Resource not accessible by integration",
        404: "Not Found",
        409: "Conflict",
        422: "Validation Failed",
        500: "Server Error",
        502: "Server Error",
        503: "Service Unavailable",
    }.get(status, "Error")


def serve(repo: str = "octo-org/octo-repo", **kwargs: Any) -> Iterator[FakeGitHub]:
    """Fixture helper: ``yield from serve(...)`` starts a server and stops it afterwards."""
    with FakeGitHub(repo, **kwargs) as server:
        yield server
