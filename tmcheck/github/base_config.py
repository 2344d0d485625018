"""`config-from: base`: a pull request is checked with its base branch's configuration.

A pull request's own `.tmcheck.yaml` could otherwise turn its gate off (`rules:
{blocking-threat: off}`, a threshold of 25, an `exclude` of its own files). On change events the
config file is therefore read from the base commit: from git when the clone has that commit, else
through the API. A config the pull request changes, adds or removes applies once it is merged,
and the report says so.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from tmcheck import git
from tmcheck.config import CONFIG_NAMES, MAX_CONFIG_BYTES
from tmcheck.errors import UsageError
from tmcheck.github.context import ActionInputs, RunContext

if TYPE_CHECKING:
    from tmcheck.github.client import GitHubClient


@dataclass(frozen=True, slots=True)
class ConfigSource:
    """Where the settings come from: `path` (None: none) with `content` (None: the file on
    disk); `note` tells the reader when the pull request's own config is not the one used."""

    path: Path | None
    content: bytes | None = None
    note: str | None = None


def config_source(
    inputs: ActionInputs,
    context: RunContext,
    workspace: Path,
    client: GitHubClient | None,
    repository: git.Git | git.GitError,
) -> ConfigSource:
    given = Path(inputs.config) if inputs.config else None
    source = inputs.config_from or ("base" if context.is_change else "head")
    if source == "head" or context.base_sha is None:
        if given is None and not _first_existing(workspace, CONFIG_NAMES):
            return ConfigSource(None)
        return ConfigSource(given or workspace / _first_existing(workspace, CONFIG_NAMES)[0])
    base = context.base_sha
    names = [_relative(inputs.config)] if inputs.config else list(CONFIG_NAMES)
    for name in names:
        content = _read_at_base(workspace, base, name, client, repository)
        if content is None:
            continue
        path = workspace / name
        note = None
        if _head_content(path, workspace) != content:
            note = (
                f"This pull request changes `{name}`: it was checked with the base branch's"
                " version; the new configuration applies once the pull request is merged."
            )
        return ConfigSource(path, content, note)
    at_head = _first_existing(workspace, names)
    note = None
    if at_head:
        note = (
            f"This pull request adds `{at_head[0]}`: it was checked with the default settings;"
            " the new configuration applies once the pull request is merged."
        )
    return ConfigSource(None, None, note)


def _relative(name: str) -> str:
    path = PurePosixPath(name.replace(os.sep, "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise UsageError(f"input config: {name!r} must be a path inside the repository")
    return path.as_posix()


def _first_existing(workspace: Path, names: Sequence[str]) -> list[str]:
    return [name for name in names if os.path.lexists(workspace / name)]


def _head_content(path: Path, workspace: Path) -> bytes | None:
    from tmcheck.discover import ReadRefused, read_bounded

    try:
        return read_bounded(
            str(path), MAX_CONFIG_BYTES, setting="the limit for config files", within=workspace
        )
    except (ReadRefused, OSError):
        return None


def _read_at_base(
    workspace: Path,
    base: str,
    name: str,
    client: GitHubClient | None,
    repository: git.Git | git.GitError,
) -> bytes | None:
    """The config file at the base commit (None when it has none)."""
    where = f"{name} at the base commit {base[:12]}"
    present = isinstance(repository, git.Git)
    if isinstance(repository, git.Git):
        try:
            repository.resolve_commit(base)
        except git.GitError:
            present = False  # a shallow clone: ask the API
    if isinstance(repository, git.Git) and present:
        relative = os.path.relpath(workspace / name, repository.top)
        try:
            return repository.read_at(base, relative, MAX_CONFIG_BYTES)
        except git.GitError as error:
            raise UsageError(f"config-from base: cannot read {where}: {error}") from None
    if client is None:
        raise UsageError(
            f"config-from base: cannot read {where}: the clone lacks that commit and there is"
            " no token; check out with fetch-depth: 0, or set config-from: head"
        )
    from tmcheck.github.client import Forbidden, Unavailable

    try:
        return client.file_at(name, base, MAX_CONFIG_BYTES)
    except (Forbidden, Unavailable) as error:
        raise UsageError(
            f"config-from base: cannot read {where} ({error}); check out with fetch-depth: 0,"
            " or set config-from: head"
        ) from None
