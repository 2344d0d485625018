"""What the action is asked to do: its inputs (`INPUT_*`) and the run's `GITHUB_*` context."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tmcheck.errors import UsageError

MAX_EVENT_BYTES = 25 * 1024 * 1024
PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
# Events that propose a change to a base: the pull request's scope and gate apply to them.
CHANGE_EVENTS = (*PULL_REQUEST_EVENTS, "merge_group")
NO_COMMIT = "0" * 40  # push's `before` for a new branch: there is no base
COMMENT_MODES = ("update", "recreate", "off")
_TRUE, _FALSE = ("true", "yes", "1", "on"), ("false", "no", "0", "off")


def _input(environ: Mapping[str, str], name: str, default: str = "") -> str:
    # The runner passes input `foo-bar` as INPUT_FOO-BAR (hyphen kept, upper case).
    return environ.get(f"INPUT_{name.upper()}", default).strip() or default


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    text = _input(environ, name).lower()
    if not text:
        return default
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise UsageError(f"input {name}: {text!r} is not true or false")


def _choice(
    environ: Mapping[str, str], name: str, choices: tuple[str, ...], default: str | None = None
) -> str:
    text = _input(environ, name, default or choices[0]).lower()
    if text not in choices:
        raise UsageError(f"input {name}: {text!r} is not one of {', '.join(choices)}")
    return text


@dataclass(frozen=True)
class ActionInputs:
    """The `with:` inputs of the workflow step. The token never shows in `repr`."""

    token: str = field(repr=False)
    paths: tuple[str, ...] = ()
    config: str | None = None
    threshold: int | None = None
    gate: str | None = None
    scope: str = "changed"
    comment: str = "update"  # one of COMMENT_MODES
    check_run: bool = True
    fail: bool = True
    sarif_file: str | None = None
    template: str | None = None
    report_file: str = "tmcheck-report.md"
    check_name: str = "tmcheck"
    issues: str = "off"  # "sync": one issue per open threat to track (never on pull requests)
    config_from: str | None = None  # "base" or "head"; None: base on change events

    @property
    def comments(self) -> bool:
        return self.comment != "off"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ActionInputs:
        threshold_text = _input(environ, "threshold")
        try:
            threshold = int(threshold_text) if threshold_text else None
        except ValueError:
            raise UsageError(f"input threshold: {threshold_text!r} is not an integer") from None
        paths = _input(environ, "paths").replace(",", "\n").splitlines()
        check_name = _input(environ, "check-name", "tmcheck")
        return cls(
            token=_input(environ, "token") or environ.get("GITHUB_TOKEN", ""),
            paths=tuple(path.strip() for path in paths if path.strip()),
            config=_input(environ, "config") or None,
            threshold=threshold,
            gate=_input(environ, "gate") or None,
            scope=_choice(environ, "scope", ("changed", "all")),
            comment=_comment_mode(environ),
            check_run=_flag(environ, "check-run", True),
            fail=_flag(environ, "fail", True),
            sarif_file=_input(environ, "sarif-file") or None,
            template=_input(environ, "template") or None,
            report_file=_input(environ, "report-file") or default_report_file(check_name),
            check_name=check_name,
            config_from=_input(environ, "config-from").lower() or None,
            issues=_choice(environ, "issues", ("off", "sync")),
        ).checked()

    def checked(self) -> ActionInputs:
        if self.config_from not in (None, "base", "head"):
            raise UsageError(f"input config-from: {self.config_from!r} is not one of base, head")
        return self


def default_report_file(check_name: str) -> str:
    """`<check-name>-report.md`: two steps with different check names keep their reports."""
    safe = "".join(char if char.isalnum() or char in "._-" else "-" for char in check_name)
    return f"{safe.strip('.-') or 'tmcheck'}-report.md"


def _comment_mode(environ: Mapping[str, str]) -> str:
    # "true"/"false" still mean update/off, as before the modes.
    text = _input(environ, "comment").lower()
    if text in _TRUE:
        return "update"
    if text in _FALSE:
        return "off"
    return _choice(environ, "comment", COMMENT_MODES)


@dataclass(frozen=True)
class RunContext:
    """The `GITHUB_*` variables and the event payload that matter here."""

    event_name: str
    repository: str
    sha: str
    workspace: Path
    api_url: str = "https://api.github.com"
    server_url: str = "https://github.com"
    output_file: Path | None = None
    summary_file: Path | None = None
    pull_number: int | None = None
    base_sha: str | None = None  # what the run compares with: the PR's base, push's `before`
    head_sha: str | None = None  # what is checked: the PR's head, the merge group's, push's after
    head_repository: str | None = None
    ref: str = ""  # GITHUB_REF: refs/heads/main on a push to main
    default_branch: str | None = None  # the repository's, from the event payload
    # TMCHECK_GITHUB_PACING=off: no pause between writes and no backoff before a retry, for
    # tests against a GitHub API on 127.0.0.1 (GitHub itself asks for both)
    paced: bool = True

    @property
    def on_default_branch(self) -> bool:
        return self.default_branch is not None and self.ref == f"refs/heads/{self.default_branch}"

    actor: str = ""

    @property
    def is_pull_request(self) -> bool:
        return self.pull_number is not None

    @property
    def is_change(self) -> bool:
        """A pull request or a merge-queue entry: a change proposed to a base."""
        return self.event_name in CHANGE_EVENTS and self.base_sha is not None

    @property
    def commit(self) -> str:
        """The commit reviewers see: the PR head, not the temporary merge commit."""
        return self.head_sha or self.sha

    @property
    def from_fork(self) -> bool:
        return self.head_repository is not None and self.head_repository != self.repository

    @property
    def from_dependabot(self) -> bool:
        return self.actor == "dependabot[bot]"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> RunContext:
        def path(name: str) -> Path | None:
            return Path(environ[name]) if environ.get(name) else None

        workspace = path("GITHUB_WORKSPACE") or Path.cwd()
        repository = environ.get("GITHUB_REPOSITORY", "")
        if repository.count("/") != 1:
            raise UsageError(
                "GITHUB_REPOSITORY is not set to owner/name: run tmcheck action in GitHub Actions"
            )
        event_name = environ.get("GITHUB_EVENT_NAME", "")
        event = _read_event(path("GITHUB_EVENT_PATH"))
        sha = environ.get("GITHUB_SHA", "")
        number, base_sha, head_sha, head_repo = None, None, None, None
        if event_name in PULL_REQUEST_EVENTS:
            pull = _mapping(event.get("pull_request"))
            number = pull.get("number", event.get("number"))
            base, head = _mapping(pull.get("base")), _mapping(pull.get("head"))
            base_sha, head_sha = _sha(base.get("sha")), _sha(head.get("sha"))
            head_repo = _mapping(head.get("repo")).get("full_name")
            number = number if pull and isinstance(number, int) else None
        elif event_name == "merge_group":
            group = _mapping(event.get("merge_group"))
            base_sha, head_sha = _sha(group.get("base_sha")), _sha(group.get("head_sha"))
        elif event_name == "push":
            before = _sha(event.get("before"))
            base_sha = None if before == NO_COMMIT else before  # a new branch: no base
            head_sha = _sha(event.get("after")) or _sha(sha)
        return cls(
            event_name=event_name,
            repository=repository,
            sha=sha,
            workspace=workspace,
            api_url=environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/"),
            server_url=environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/"),
            output_file=path("GITHUB_OUTPUT"),
            summary_file=path("GITHUB_STEP_SUMMARY"),
            pull_number=number,
            base_sha=base_sha,
            head_sha=head_sha,
            head_repository=head_repo if isinstance(head_repo, str) else None,
            ref=environ.get("GITHUB_REF", ""),
            default_branch=_text(_mapping(event.get("repository")).get("default_branch")),
            actor=environ.get("GITHUB_ACTOR", ""),
            paced=environ.get("TMCHECK_GITHUB_PACING", "").strip().lower() != "off",
        )


def _read_event(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_EVENT_BYTES + 1)
        if len(raw) > MAX_EVENT_BYTES:
            raise UsageError(
                f"GITHUB_EVENT_PATH: the event file is larger than {MAX_EVENT_BYTES} bytes"
            )
        event = json.loads(raw)
    except (OSError, ValueError) as error:
        raise UsageError(
            f"GITHUB_EVENT_PATH: cannot read the event file ({type(error).__name__})"
        ) from None
    return event if isinstance(event, dict) else {}


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _sha(value: Any) -> str | None:
    return value if isinstance(value, str) and value.isalnum() and len(value) >= 7 else None
