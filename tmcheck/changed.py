"""Which files a change touched: from a list (`--changed-files`) or from git (`--base REF`).

Both give real paths (`os.path.realpath`), so a path from git (relative to the repository's top
level) and a path given on the command line (relative to the current directory) compare equal
when they name the same file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO, TYPE_CHECKING

from tmcheck.errors import UsageError

if TYPE_CHECKING:
    from tmcheck.git import Git, GitError

MAX_LIST_BYTES = 16 * 1024 * 1024


def parse_changed_list(text: str, cwd: Path) -> frozenset[str]:
    """Paths one per line, or NUL-separated (as `git diff --name-only -z` writes them)."""
    names = text.split("\0") if "\0" in text else text.splitlines()
    return frozenset(os.path.realpath(cwd / name) for name in names if name)


def read_changed_list(source: str, cwd: Path, stdin: IO[str]) -> frozenset[str]:
    """The changed files listed in the file `source`, or on standard input when it is `-`."""
    if source == "-":
        text = stdin.read(MAX_LIST_BYTES + 1)
    else:
        try:
            with open(cwd / source, "rb") as stream:
                text = stream.read(MAX_LIST_BYTES + 1).decode("utf-8", "surrogateescape")
        except OSError as error:
            raise UsageError(f"--changed-files {source}: {error.strerror}") from None
    if len(text) > MAX_LIST_BYTES:
        raise UsageError(f"--changed-files {source}: longer than {MAX_LIST_BYTES} bytes")
    return parse_changed_list(text, cwd)


def changed_since(base: str, repository: Git | GitError) -> frozenset[str]:
    """Files that differ between `base` and the working tree (untracked files included).

    None are known when git cannot say: the comparison with the base reports that once, as a
    `base-unreadable` warning, and a base that cannot be read is no reason to stop the run."""
    from tmcheck.git import GitError

    if isinstance(repository, GitError):
        return frozenset()
    try:
        commit = repository.resolve_commit(base)  # also refuses a "revision" that is an option
        found = repository.changes(commit)
    except GitError:
        return frozenset()
    paths: set[str] = set()
    for change in found:
        paths.add(os.path.realpath(repository.top / change.path))
        if change.old_path:
            paths.add(os.path.realpath(repository.top / change.old_path))
    return frozenset(paths)
