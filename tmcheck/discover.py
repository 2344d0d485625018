"""Which files a run reads, and the file gate every read goes through.

Only regular files are read: a symlink (or a path through a symlinked directory) is reported
and never opened, walks never descend into symlinked directories, and every read is bounded.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tmcheck.findings import Finding
from tmcheck.git import Git, GitError
from tmcheck.globs import GlobSet

_NOT_UTF8 = "the file name is not valid UTF-8; tmcheck reads only files with UTF-8 names"


class GateError(Exception):
    """A file the gate refuses to read; the message says why, never what is inside."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A file to check: `path` as it will be printed, `explicit` when it was named directly."""

    path: str
    explicit: bool


@dataclass(frozen=True, slots=True)
class Discovery:
    candidates: tuple[Candidate, ...]
    findings: tuple[Finding, ...]


def discover(
    paths: Sequence[str],
    *,
    root: Path,
    include: Sequence[str],
    exclude: Sequence[str],
    max_files: int,
    workspace: Path | None = None,
    explicit: bool = True,
    repository: Callable[[], Git | None] | None = None,
) -> Discovery:
    """Expand `paths` (files and directories; the root when empty) into files to check.

    Files named in `paths` are `explicit` (a file in no known format is then an error) unless
    told otherwise: the action names the files a pull request changed, which may be anything,
    but not a directory (git names a submodule, a directory once checked out, as a file).

    A directory inside the work tree of `repository` (asked for only when a directory is walked)
    is walked the way git sees it: the files it tracks and the untracked ones it does not
    ignore. Elsewhere, or when git cannot list them, every file below the directory."""
    included, excluded = GlobSet(include), GlobSet(exclude)
    candidates: dict[str, Candidate] = {}
    findings: list[Finding] = []

    def relative(path: str) -> str | None:
        try:
            return Path(os.path.abspath(path)).relative_to(root).as_posix()
        except ValueError:
            return None

    for given in paths or [os.path.relpath(root)]:
        problem = _path_problem(given, workspace)
        if problem:
            findings.append(Finding(printable(given), 1, 1, "read-error", "error", problem))
            continue
        if stat.S_ISDIR(os.lstat(given).st_mode):
            if paths and not explicit:
                refused = "is not a regular file (a submodule?)"
                findings.append(Finding(given, 1, 1, "read-error", "error", refused))
                continue
            listed = _git_files(repository() if repository else None, given)
            for path, refusal in _walk(given, relative, included, excluded, listed):
                if refusal:
                    findings.append(Finding(path, 1, 1, "read-error", "error", refusal))
                else:
                    candidates.setdefault(path, Candidate(path, explicit=False))
            continue
        rel = relative(given)
        if excluded and excluded.matches(rel if rel is not None else given):
            continue
        candidates[given] = Candidate(given, explicit=explicit)

    ordered = sorted(candidates.values(), key=lambda candidate: candidate.path)
    if len(ordered) > max_files:
        skipped = len(ordered) - max_files
        findings.append(
            Finding(
                ordered[max_files].path, 1, 1, "too-many-files", "error",
                f"{skipped} files not checked: a run checks at most {max_files} (max_files);"
                f" the first not checked is this one",
            )
        )  # fmt: skip
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
    relative: Callable[[str], str | None],
    included: GlobSet,
    excluded: GlobSet,
    listed: frozenset[str] | None = None,
) -> list[tuple[str, str | None]]:
    """(path, refusal) for files below `top` that the globs select, without following links;
    with `listed` (what git sees), only those files."""
    found: list[tuple[str, str | None]] = []
    real_top = os.path.realpath(top)
    listed_directories: set[str] = set()
    for name in listed or ():
        parent = os.path.dirname(name)
        while parent not in listed_directories and len(parent) > len(real_top):
            listed_directories.add(parent)
            parent = os.path.dirname(parent)

    def real(path: str) -> str:
        return os.path.normpath(os.path.join(real_top, os.path.relpath(path, top)))

    pending = [top]
    while pending:
        directory = pending.pop()
        try:
            entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
        except OSError as error:
            found.append((directory, f"cannot list the directory: {error.strerror}"))
            continue
        for entry in entries:
            path = entry.path if directory != "." else entry.name
            rel = relative(path)
            key = rel if rel is not None else path
            if entry.is_dir(follow_symlinks=False):
                if listed is not None and real(path) not in listed_directories:
                    continue  # git sees no file below it: ignored, or empty
                if not excluded.matches_directory(key):
                    pending.append(path)
                continue
            if excluded.matches(key) or not included.matches(key):
                continue
            if listed is not None and real(path) not in listed:
                continue  # git ignores it (a build output, a dependency)
            if printable(path) != path:
                found.append((printable(path), _NOT_UTF8))
            elif entry.is_symlink():
                found.append((path, "is a symbolic link; tmcheck does not follow links"))
            elif not entry.is_file(follow_symlinks=False):
                found.append((path, "is not a regular file"))
            else:
                found.append((path, None))
    return found


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


def read_bounded(path: str, limit: int, setting: str = "max_file_bytes") -> bytes:
    """Read a regular file without following a final symlink and without reading past `limit`
    (the `setting` that says so is named when the file is larger)."""
    too_large = f"is larger than {limit} bytes ({setting}); not read"
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise GateError("is a symbolic link; tmcheck does not follow links") from None
        raise GateError(f"cannot read: {error.strerror}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise GateError("is not a regular file")
        if info.st_size > limit:
            raise GateError(too_large)
        chunks: list[bytes] = []
        remaining = limit + 1
        while remaining > 0:
            chunk = os.read(descriptor, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
        if len(data) > limit:
            raise GateError(too_large)
        return data
    except OSError as error:
        raise GateError(f"cannot read: {error.strerror}") from None
    finally:
        os.close(descriptor)
