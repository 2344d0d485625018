"""Opening a file without leaving where it should be: one component at a time, never a link.

Checking a path (`lstat` of each component) and then opening it leaves a window in which a
directory can be swapped for a symlink, and the open then reads outside. So the check is the
open itself: every directory on the way is opened relative to the one before it
(`os.open(name, O_NOFOLLOW | O_DIRECTORY, dir_fd=parent)`), the file last with `O_NOFOLLOW`,
and what was opened is checked by its descriptor (`fstat`). A link anywhere on the way fails the
open, whenever it was planted.
"""

from __future__ import annotations

import ctypes
import errno
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager

_DIRECTORY = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | getattr(os, "O_NONBLOCK", 0)
LINK = "is a symbolic link; tmcheck does not follow links"
OUTSIDE = "is outside the workspace; tmcheck reads only files inside it"


# openat2(2) (Linux 5.6+): the kernel walks the whole path at once, refusing any link
# (RESOLVE_NO_SYMLINKS) and any step out of the start (RESOLVE_BENEATH); one call instead of
# one per component. Where it is missing or filtered (seccomp), the walk below does the same.
_SYS_OPENAT2 = 437  # the same number on every architecture (new syscalls are unified)
_RESOLVE = 0x02 | 0x04 | 0x08  # NO_MAGICLINKS | NO_SYMLINKS | BENEATH
_openat2_works = sys.platform == "linux"


class _OpenHow(ctypes.Structure):
    _fields_ = [("flags", ctypes.c_uint64), ("mode", ctypes.c_uint64), ("resolve", ctypes.c_uint64)]


class ReadRefused(Exception):
    """A file a confined read refuses; the message says why, never what is inside."""


def split_beneath(path: str, within: str | os.PathLike[str] | None) -> tuple[str, list[str]]:
    """(the directory to start from, the components below it) for `path`.

    With `within` (the workspace), `path` must lie inside it and the walk starts there;
    otherwise at the current directory for a relative path, at `/` for an absolute one (a path
    the user named: no component of it, as written, may be a link)."""
    if within is not None:
        absolute = os.path.abspath(path)
        # the workspace as named, or as the current directory shows it (links resolved)
        for top in dict.fromkeys((os.path.abspath(within), os.path.realpath(within))):
            relative = os.path.relpath(absolute, top)
            if relative != os.pardir and not relative.startswith(os.pardir + os.sep):
                return top, [part for part in relative.split(os.sep) if part not in ("", ".")]
        raise ReadRefused(OUTSIDE)
    if os.path.isabs(path):
        start, relative = os.sep, path
    else:
        start, relative = os.curdir, path
    return start, [part for part in relative.split(os.sep) if part not in ("", os.curdir)]


def open_beneath(path: str, within: str | os.PathLike[str] | None = None) -> int:
    """A descriptor of the regular file at `path`, opened without following any link."""
    start, parts = split_beneath(path, within)
    if not parts:
        raise ReadRefused("is not a regular file")
    descriptor = _openat2(start, parts, _FILE)
    if descriptor is None:  # a link on the way, or no openat2: the walk says which
        with _directory(start, parts[:-1]) as directory:
            try:
                descriptor = os.open(parts[-1], _FILE, dir_fd=directory)
            except OSError as error:
                raise ReadRefused(_why(error, directory, parts[-1], LINK)) from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise ReadRefused("is not a regular file")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def open_directory_at(name: str, directory: int) -> int:
    """A descriptor of the directory `name` inside the open `directory`, not through a link."""
    try:
        return os.open(name, _DIRECTORY, dir_fd=directory)
    except OSError as error:
        raise ReadRefused(_why(error, directory, name, LINK)) from None


@contextmanager
def open_directory_beneath(
    path: str, within: str | os.PathLike[str] | None = None
) -> Iterator[int]:
    """A descriptor of the directory at `path`, reached without following any link."""
    start, parts = split_beneath(path, within)
    with _directory(start, parts) as directory:
        yield directory


def _openat2(start: str, parts: list[str], flags: int) -> int | None:
    """A descriptor of `start/parts...` opened by openat2 with no link and no step out; None
    when that failed for any reason (the walk then finds the reason, or succeeds)."""
    global _openat2_works
    if not _openat2_works or not parts:
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        directory = os.open(start, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        how = _OpenHow(flags & ~os.O_NOFOLLOW, 0, _RESOLVE)  # NO_SYMLINKS covers the last too
        name = os.fsencode(os.path.join(*parts))
        result = int(libc.syscall(_SYS_OPENAT2, directory, name, ctypes.byref(how),
                                  ctypes.sizeof(how)))  # fmt: skip
        if result < 0:
            if ctypes.get_errno() in (errno.ENOSYS, errno.EPERM, errno.EINVAL, errno.E2BIG):
                _openat2_works = False  # an old kernel or a seccomp filter: walk from now on
            return None
        return result
    finally:
        os.close(directory)


@contextmanager
def _directory(start: str, parts: list[str]) -> Iterator[int]:
    directory = _openat2(start, parts, _DIRECTORY)
    if directory is not None:
        try:
            yield directory
        finally:
            os.close(directory)
        return
    try:
        directory = os.open(start, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as error:
        raise ReadRefused(f"cannot read: {error.strerror}") from None
    try:
        for index, part in enumerate(parts):
            try:
                inner = os.open(part, _DIRECTORY, dir_fd=directory)
            except OSError as error:
                under = os.path.join(*parts[: index + 1])
                link = f"lies under a symbolic link ({under}); tmcheck does not follow links"
                raise ReadRefused(_why(error, directory, part, link)) from None
            os.close(directory)
            directory = inner
        yield directory
    finally:
        os.close(directory)


def _why(error: OSError, directory: int, name: str, link: str) -> str:
    """What to say when opening `name` failed: a link is named as one, by what it is now."""
    if error.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
        try:
            if stat.S_ISLNK(os.lstat(name, dir_fd=directory).st_mode):
                return link
        except OSError:
            pass
        if error.errno == errno.ENOTDIR:
            return "no such file or directory"
    if error.errno == errno.ENOENT:
        return "no such file or directory"
    return f"cannot read: {error.strerror}"


def read_bounded(
    path: str,
    limit: int,
    setting: str = "max_file_bytes",
    *,
    within: str | os.PathLike[str] | None = None,
) -> bytes:
    """Read a regular file, reached without following any link (and inside `within` when
    given), without reading past `limit` (the `setting` that says so is named when the file is
    larger)."""
    too_large = f"is larger than {limit} bytes ({setting}); not read"
    descriptor = open_beneath(path, within)
    try:
        if os.fstat(descriptor).st_size > limit:
            raise ReadRefused(too_large)
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
            raise ReadRefused(too_large)
        return data
    except OSError as error:
        raise ReadRefused(f"cannot read: {error.strerror}") from None
    finally:
        os.close(descriptor)
