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


def write_inside(workspace: Path, relative: str, text: str) -> Path:
    """Write `text` to `relative` under `workspace`, replacing whatever entry is there."""
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
            directory.mkdir()
            continue
        if not stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{relative}: {part} is not a plain directory (a link?)")
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        pass
    else:
        if stat.S_ISDIR(info.st_mode):
            raise UsageError(f"{relative}: is a directory")
        os.unlink(target)  # a planted link goes; what it pointed at is untouched
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(target, flags, 0o644)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)
    return target
