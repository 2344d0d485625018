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


def _choice(environ: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    text = _input(environ, name, choices[0]).lower()
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
    comment: bool = True
    check_run: bool = True
    fail: bool = True
    sarif_file: str | None = None
    template: str | None = None
    report_file: str = "tmcheck-report.md"
    check_name: str = "tmcheck"
    issues: str = "off"  # "sync": one issue per open threat to track (never on pull requests)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> ActionInputs:
        threshold_text = _input(environ, "threshold")
        try:
            threshold = int(threshold_text) if threshold_text else None
        except ValueError:
            raise UsageError(f"input threshold: {threshold_text!r} is not an integer") from None
        paths = _input(environ, "paths").replace(",", "\n").splitlines()
        return cls(
            token=_input(environ, "token") or environ.get("GITHUB_TOKEN", ""),
            paths=tuple(path.strip() for path in paths if path.strip()),
            config=_input(environ, "config") or None,
            threshold=threshold,
            gate=_input(environ, "gate") or None,
            scope=_choice(environ, "scope", ("changed", "all")),
            comment=_flag(environ, "comment", True),
            check_run=_flag(environ, "check-run", True),
            fail=_flag(environ, "fail", True),
            sarif_file=_input(environ, "sarif-file") or None,
            template=_input(environ, "template") or None,
            report_file=_input(environ, "report-file", "tmcheck-report.md"),
            check_name=_input(environ, "check-name", "tmcheck"),
            issues=_choice(environ, "issues", ("off", "sync")),
        )


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
    base_sha: str | None = None
    head_sha: str | None = None
    head_repository: str | None = None
    ref: str = ""  # GITHUB_REF: refs/heads/main on a push to main
    default_branch: str | None = None  # the repository's, from the event payload

    @property
    def on_default_branch(self) -> bool:
        return self.default_branch is not None and self.ref == f"refs/heads/{self.default_branch}"

    @property
    def is_pull_request(self) -> bool:
        return self.pull_number is not None

    @property
    def commit(self) -> str:
        """The commit reviewers see: the PR head, not the temporary merge commit."""
        return self.head_sha or self.sha

    @property
    def from_fork(self) -> bool:
        return self.head_repository is not None and self.head_repository != self.repository

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
        pull = event.get("pull_request") if event_name in PULL_REQUEST_EVENTS else None
        pull = pull if isinstance(pull, dict) else {}
        number = pull.get("number", event.get("number"))
        base, head = _mapping(pull.get("base")), _mapping(pull.get("head"))
        head_repo = _mapping(head.get("repo")).get("full_name")
        return cls(
            event_name=event_name,
            repository=repository,
            sha=environ.get("GITHUB_SHA", ""),
            workspace=workspace,
            api_url=environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/"),
            server_url=environ.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/"),
            output_file=path("GITHUB_OUTPUT"),
            summary_file=path("GITHUB_STEP_SUMMARY"),
            pull_number=number if pull and isinstance(number, int) else None,
            base_sha=_sha(base.get("sha")),
            head_sha=_sha(head.get("sha")),
            head_repository=head_repo if isinstance(head_repo, str) else None,
            ref=environ.get("GITHUB_REF", ""),
            default_branch=_text(_mapping(event.get("repository")).get("default_branch")),
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
