"""Writing files a pull request could have planted links for: never through a link.

An output path (the report, the SARIF file) may already exist in the workspace as a symlink
that a pull request committed, pointing at a runner file or a git hook. The link itself is
replaced, its target is never opened, and no directory on the way may be a link.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tmcheck.errors import UsageError


def check_writable(workspace: Path, relative: str) -> Path:
    """The path `write_inside` would write, or UsageError saying why it will not (outside the
    workspace, a link or a file on the way, a directory planted at the path itself)."""
    target = Path(os.path.normpath(workspace / relative))
    try:
        inside = target.relative_to(workspace)
    except ValueError:
        raise UsageError(f"{relative}: output files must stay inside the workspace") from None
    if not inside.parts:
        raise UsageError(f"{relative}: not a file name")
    directory = workspace
    for part in inside.parts[:-1]:
        directory = directory / part
        try:
            info = os.lstat(directory)
        except FileNotFoundError:
            break  # created when written
        if not stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{relative}: {part} is not a plain directory (a link?)")
    else:
        try:
            info = os.lstat(target)
        except FileNotFoundError:
            return target
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{relative} is a directory in the repository")
    return target


def write_inside(workspace: Path, relative: str, text: str) -> Path:
    """Write `text` to `relative` under `workspace`, replacing whatever entry is there.

    What is created gets the workspace's owner: the action's container runs as root, and a
    later step (or the next job of a self-hosted runner) must be able to remove it."""
    target = check_writable(workspace, relative)
    owner = _owner(workspace)
    directory = workspace
    for part in target.relative_to(workspace).parts[:-1]:
        directory = directory / part
        try:
            info = os.lstat(directory)
        except FileNotFoundError:
            directory.mkdir()
            _chown(directory, owner)
            continue
        if not stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{relative}: {part} is not a plain directory (a link?)")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        pass
    else:
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{relative} is a directory in the repository")
        os.unlink(target)  # a planted link goes; what it pointed at is untouched
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(target, flags, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        if owner is not None:
            os.fchown(stream.fileno(), *owner)
        stream.write(text)
    return target


def _owner(workspace: Path) -> tuple[int, int] | None:
    """The workspace's owner when it is not us and we may give files away (root)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    info = os.stat(workspace)
    return None if info.st_uid == 0 else (info.st_uid, info.st_gid)


def _chown(path: Path, owner: tuple[int, int] | None) -> None:
    if owner is not None:
        os.lchown(path, *owner)
