"""What the event changed, and which of those files the configuration selects.

Changed paths are relative to the repository (the workspace); the config's globs are relative
to the config file's directory (a monorepo's `services/a/.tmcheck.yaml` says `include:
[threats/**]`), so each path is matched relative to that directory. The `paths` input is
relative to the repository, as documented: with it, globs are matched from the repository's top.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tmcheck import git
from tmcheck.config import DEFAULT_EXCLUDE, Settings
from tmcheck.errors import TmcheckError, UsageError
from tmcheck.github.context import RunContext
from tmcheck.selection import FileSelection

if TYPE_CHECKING:
    from tmcheck.github.client import GitHubClient


def changed_files(
    context: RunContext,
    client: GitHubClient | None,
    notes: list[str],
    repository: git.Git | git.GitError,
) -> list[str] | None:
    """The files the pull request, merge-queue entry or push changed (removed ones left out),
    relative to the repository; None when that cannot be known (no base)."""
    if context.base_sha is None:
        return None
    head = context.head_sha or context.sha or "HEAD"
    try:
        if isinstance(repository, git.GitError):
            raise repository
        # A pull request: what it changed since it left its base, not what the base did since.
        found = repository.changes(context.base_sha, head, since_fork=context.is_pull_request)
        return [
            os.path.relpath(repository.top / change.path, context.workspace)
            for change in found
            if change.status != "D"
        ]
    except git.GitError:
        pass  # the commits are not in the clone: ask the API (pull requests only)
    if client is None or context.pull_number is None:
        return None
    from tmcheck.github.client import Unavailable

    try:
        listed = client.pull_files(context.pull_number)
    except Unavailable as error:
        raise TmcheckError(f"cannot list the pull request's files: {error}") from None
    if listed.total > len(listed.paths):
        notes.append(
            f"GitHub lists at most 3,000 files of a pull request:"
            f" {listed.total - len(listed.paths)} changed files were not seen."
            " Check out both commits (fetch-depth: 0) to see them all."
        )
    return list(listed.paths)


def selected_files(changed: Sequence[str], settings: Settings, workspace: Path) -> list[str]:
    """The changed files that the include/exclude globs (relative to `settings.root`) select."""
    root = Path(os.path.realpath(settings.root))
    top = Path(os.path.realpath(workspace))
    selection = FileSelection.of(settings)
    selected = []
    for path in changed:
        if "\0" in path:
            continue  # no file has such a name
        if os.path.isabs(path) or ".." in path.split("/"):
            # A name from the API that leads outside: checked, so that the confined read refuses
            # it with a finding (never read).
            relative = path
        else:
            try:
                relative = (top / path).relative_to(root).as_posix()
            except ValueError:
                continue  # outside the config's directory: another part of the monorepo
        if selection.selects_relative(relative) and os.path.lexists(top / path):
            selected.append(path)
    return sorted(selected)


def with_repository_paths(settings: Settings, paths: Sequence[str], workspace: Path) -> Settings:
    """`settings` whose globs are the `paths` input, relative to the repository: the config's
    own `exclude` and `formats` globs move from its directory to the repository's top."""
    top = Path(os.path.realpath(workspace))
    prefix = os.path.relpath(os.path.realpath(settings.root), top).replace(os.sep, "/")
    if prefix.startswith(".."):
        raise UsageError(f"the config file's directory {settings.root} is outside the workspace")

    def moved(pattern: str) -> str:
        if prefix == "." or pattern in DEFAULT_EXCLUDE:
            return pattern
        bare = pattern.strip()
        while bare.startswith("./"):
            bare = bare[2:]
        # A pattern without `/` matches at any depth below its root.
        return f"{prefix}/{bare}" if "/" in bare.rstrip("/") else f"{prefix}/**/{bare}"

    return dataclasses.replace(
        settings,
        root=top,
        include=tuple(paths),
        exclude=tuple(moved(pattern) for pattern in settings.exclude),
        formats={moved(pattern): name for pattern, name in settings.formats.items()},
    )


def require_head_checkout(context: RunContext, repository: git.Git | git.GitError) -> None:
    """On `pull_request_target` the default checkout is the base branch: checking it would
    pass a pull request on files it never changed. Go on only when the workspace holds the pull
    request's head (or GitHub's merge of it); otherwise refuse, saying what to do."""
    head = context.head_sha
    at: list[str] = []
    if isinstance(repository, git.Git):
        try:
            at = repository.run("rev-parse", "HEAD").decode().split()
            at += repository.run("rev-parse", "HEAD^@").decode().split()
        except git.GitError:
            pass  # a shallow clone has no parents to show
    if head is not None and head in at:
        return
    raise UsageError(
        "pull_request_target checks out the base branch, not the pull request: checking it"
        " would pass the pull request on files it never changed. Run tmcheck on `pull_request`"
        " (a fork's pull request then gets a read-only token: the report goes to the job summary"
        " and annotations), or check out the head first (actions/checkout with"
        " `ref: ${{ github.event.pull_request.head.sha }}`; tmcheck runs nothing it checks out)"
    )
