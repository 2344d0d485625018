"""Which files a run reads, and the confined reads every one goes through.

Only regular files are read: a symlink (or a path through a symlinked directory) is reported
and never opened, walks never descend into symlinked directories, and every read is bounded.
The checks here give the clear message; the opens themselves (`confined`) are what hold, one
component at a time, when a directory is swapped for a link after the check.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tmcheck.confined import (
    ReadRefused,
    open_directory_at,
    open_directory_beneath,
    read_bounded,
)
from tmcheck.file_checks import file_finding
from tmcheck.findings import Finding
from tmcheck.git import Git, GitError
from tmcheck.selection import FileSelection

if TYPE_CHECKING:
    from tmcheck.config import Settings

__all__ = ["Candidate", "Discovery", "ReadRefused", "discover", "printable", "read_bounded"]

_NOT_UTF8 = "the file name is not valid UTF-8; tmcheck reads only files with UTF-8 names"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to check: `path` as it will be printed, `explicit` when it was named directly,
    `within` the workspace it must be read inside (None: no link on the path as written)."""

    path: str
    explicit: bool
    within: str | None = None


@dataclass(frozen=True, slots=True)
class Discovery:
    candidates: tuple[Candidate, ...]
    findings: tuple[Finding, ...]


def discover(
    paths: Sequence[str],
    settings: Settings,
    *,
    workspace: Path | None = None,
    explicit: bool = True,
    repository: Callable[[], Git | None] | None = None,
) -> Discovery:
    """Expand `paths` (files and directories; the root when empty) into the files to check:
    those the settings' include/exclude select, at most `max_files`.

    Files named in `paths` are `explicit` (a file in no known format is then an error) unless
    told otherwise: the action names the files a pull request changed, which may be anything,
    but not a directory (git names a submodule, a directory once checked out, as a file).

    A directory inside the work tree of `repository` (asked for only when a directory is walked)
    is walked the way git sees it: the files it tracks and the untracked ones it does not
    ignore. Elsewhere, or when git cannot list them, every file below the directory."""
    selection = FileSelection.of(settings)
    within = os.fspath(workspace) if workspace is not None else None
    candidates: dict[str, Candidate] = {}
    findings: list[Finding] = []

    for given in paths or [os.path.relpath(settings.root)]:
        problem = _path_problem(given, workspace)
        if problem:
            findings.append(file_finding(printable(given), "read-error", problem))
            continue
        if stat.S_ISDIR(os.lstat(given).st_mode):
            if paths and not explicit:
                refused = "is not a regular file (a submodule?)"
                findings.append(file_finding(given, "read-error", refused))
                continue
            listed = _git_files(repository() if repository else None, given)
            for path, refusal in _walk(given, selection, within, listed):
                if refusal:
                    findings.append(file_finding(path, "read-error", refusal))
                else:
                    candidates.setdefault(path, Candidate(path, False, within))
            continue
        if selection.excludes(given):
            continue
        candidates[given] = Candidate(given, explicit, within)

    max_files = settings.max_files
    ordered = sorted(candidates.values(), key=lambda candidate: candidate.path)
    if len(ordered) > max_files:
        skipped = len(ordered) - max_files
        findings.append(
            file_finding(
                ordered[max_files].path,
                "too-many-files",
                f"{skipped} files not checked: a run checks at most {max_files} (max_files);"
                " the first not checked is this one",
            )
        )
        ordered = ordered[:max_files]
    return Discovery(tuple(ordered), tuple(findings))


def _git_files(repository: Git | None, directory: str) -> frozenset[str] | None:
    """The real paths of the files git sees below `directory` (tracked, or untracked and not
    ignored), or None when `directory` is outside the repository or git cannot list them."""
    if repository is None:
        return None
    top = os.path.realpath(repository.top)
    absolute = os.path.realpath(directory)
    if absolute != top and not absolute.startswith(os.path.join(top, "")):
        return None
    spec = os.path.relpath(absolute, top)
    try:
        output = repository.run(
            "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", spec,
            limit=64 * 1024 * 1024,
        )  # fmt: skip
    except GitError:
        return None
    names = output.decode("utf-8", "surrogateescape").split("\0")
    return frozenset(os.path.join(top, name) for name in names if name)


def _walk(
    top: str,
    selection: FileSelection,
    within: str | None,
    listed: frozenset[str] | None = None,
) -> list[tuple[str, str | None]]:
    """(path, refusal) for files below `top` that the selection selects, without following
    links; with `listed` (the files git sees), only those.

    Each directory is opened from its parent's descriptor (`O_NOFOLLOW`), never by its path: a
    directory swapped for a link meanwhile is refused, no name outside is ever listed. The globs
    advance one name at a time from the parent's state. So a tree 1,900 levels deep costs one
    open and one glob step per directory, not one per level per directory; a parent stays open
    only while it has directories left to enter."""
    found: list[tuple[str, str | None]] = []
    included, excluded = selection.included, selection.excluded
    real_top = os.path.realpath(top)
    listed_directories: set[str] = set()
    for listed_name in listed or ():
        parent = os.path.dirname(listed_name)
        while parent not in listed_directories and len(parent) > len(real_top):
            listed_directories.add(parent)
            parent = os.path.dirname(parent)

    def real(path: str) -> str:
        return os.path.normpath(os.path.join(real_top, os.path.relpath(path, top)))

    top_key = selection.key(top)
    Frame = tuple[str, int, list[tuple[str, int, int]]]  # path, descriptor, directories to enter

    def visit(path: str, descriptor: int, inside: int, outside: int) -> list[tuple[str, int, int]]:
        """Record the files of one directory; return its subdirectories to enter, sorted, with
        the include and exclude states below them."""
        try:
            entries = _list(descriptor)
        except OSError as error:
            found.append((path, f"cannot list the directory: {error.strerror}"))
            return []
        subdirectories = []
        for name, kind in entries:
            child = os.path.join(path, name) if path != "." else name
            if listed is not None and real(child) not in (
                listed_directories if kind == "directory" else listed
            ):
                continue  # git ignores it (a build output, a dependency), or it is empty
            excluding = excluded.advance(outside, name)
            if kind == "directory":
                if not excluded.accepts_directory(excluding):
                    subdirectories.append((name, included.advance(inside, name), excluding))
            elif excluded.accepts(excluding) or not included.accepts(
                included.advance(inside, name)
            ):
                continue
            elif printable(child) != child:
                found.append((printable(child), _NOT_UTF8))
            elif kind == "link":
                found.append((child, "is a symbolic link; tmcheck does not follow links"))
            elif kind != "file":
                found.append((child, "is not a regular file"))
            else:
                found.append((child, None))
        return subdirectories

    try:
        with open_directory_beneath(top, within) as opened:
            descriptor = os.dup(opened)
    except (ReadRefused, OSError) as error:
        reason = error.strerror if isinstance(error, OSError) else str(error)
        found.append(
            (top, f"cannot list the directory: {str(reason).removeprefix('cannot read: ')}")
        )
        return found
    stack: list[Frame] = [(top, descriptor, [])]
    try:
        inside = included.advance(included.start(), top_key)
        outside = excluded.advance(excluded.start(), top_key)
        stack[-1][2].extend(visit(top, descriptor, inside, outside))
        while stack:
            path, descriptor, pending = stack[-1]
            if not pending:
                os.close(stack.pop()[1])
                continue
            name, inside, outside = pending.pop(0)
            child = os.path.join(path, name) if path != "." else name
            try:
                inner = open_directory_at(name, descriptor)
            except ReadRefused as error:
                reason = str(error).removeprefix("cannot read: ")
                found.append((child, f"cannot list the directory: {reason}"))
                continue
            if not pending:  # its last directory: the parent is done, and need not stay open
                os.close(stack.pop()[1])
            stack.append((child, inner, []))
            stack[-1][2].extend(visit(child, inner, inside, outside))
    finally:  # only when a budget or a bug stops the walk
        for _, left_open, _ in stack:
            os.close(left_open)
    return found


def _list(descriptor: int) -> list[tuple[str, str]]:
    """(name, kind) of each entry of an open directory, sorted; kind is directory, link, file
    or other."""
    listed = []
    with os.scandir(descriptor) as it:
        for entry in it:
            if entry.is_symlink():
                kind = "link"
            elif entry.is_dir(follow_symlinks=False):
                kind = "directory"
            elif entry.is_file(follow_symlinks=False):
                kind = "file"
            else:
                kind = "other"
            listed.append((entry.name, kind))
    return sorted(listed)


def printable(path: str) -> str:
    """`path` as text: bytes of a name that is not UTF-8 (kept by Python as lone surrogates,
    which no report can encode) shown as `\\xNN`."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _path_problem(path: str, workspace: Path | None) -> str | None:
    """Why `path` may not be read, or None. Checks every component for symlinks."""
    if printable(path) != path:
        return _NOT_UTF8
    if workspace is not None:
        absolute, top = os.path.abspath(path), os.fspath(workspace)
        if absolute != top and not absolute.startswith(os.path.join(top, "")):
            return "is outside the workspace; tmcheck reads only files inside it"
        shown = _components(os.path.relpath(absolute, top))
        on_disk = [os.path.join(top, component) for component in shown]
    else:
        shown = on_disk = _components(path)
    for index, component in enumerate(on_disk):
        try:
            info = os.lstat(component)
        except FileNotFoundError:
            return "no such file or directory"
        except OSError as error:
            return f"cannot read: {error.strerror}"
        if stat.S_ISLNK(info.st_mode):
            if index == len(on_disk) - 1:
                return "is a symbolic link; tmcheck does not follow links"
            return f"lies under a symbolic link ({shown[index]}); tmcheck does not follow links"
    info = os.lstat(path)
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        return "is not a regular file"
    return None


def _components(path: str) -> list[str]:
    """Each directory on the way to `path`, then `path` itself, as written (`a`, `a/b`,
    `a/b/c.yaml`); plain strings, because runs check thousands of paths."""
    components: list[str] = []
    current = os.sep if path.startswith(os.sep) else ""
    for part in path.split(os.sep):
        if part in ("", "."):
            continue
        current = os.path.join(current, part)
        if part != "..":
            components.append(current)
    return components
