"""Which files the configuration selects: `include` and `exclude`, relative to the root.

Every place that asks "would a run check this file?" (the walk, the action's changed files, the
files deleted since a base) asks a `FileSelection`, so they cannot disagree.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from tmcheck.globs import GlobSet

if TYPE_CHECKING:
    from tmcheck.config import Settings


def relative_to_root(path: str, root: Path) -> str | None:
    """`path` relative to `root`, with `/`, as globs see it; None when it lies outside.

    Not resolved: a path is judged by how it is written below the root, and the confined reads
    refuses symlinks on the way anyway."""
    try:
        return Path(os.path.abspath(path)).relative_to(root).as_posix()
    except ValueError:
        return None


class FileSelection:
    """The include and exclude globs of a run, compiled once."""

    def __init__(self, root: Path, include: tuple[str, ...], exclude: tuple[str, ...]) -> None:
        self.root = root
        self.included = GlobSet(include)
        self.excluded = GlobSet(exclude)

    @classmethod
    def of(cls, settings: Settings) -> FileSelection:
        return cls(settings.root, settings.include, settings.exclude)

    def key(self, path: str) -> str:
        """What the globs match: `path` relative to the root, or as given when outside it."""
        relative = relative_to_root(path, self.root)
        return relative if relative is not None else path

    def selects(self, path: str) -> bool:
        """A file a walk would check: included and not excluded."""
        return self.selects_relative(self.key(path))

    def selects_relative(self, relative: str) -> bool:
        """`selects` for a path already relative to the root (a name git or GitHub gave)."""
        return self.included.matches(relative) and not self.excluded.matches(relative)

    def excludes(self, path: str) -> bool:
        return self.excluded.matches(self.key(path))

    def prunes(self, directory: str) -> bool:
        """A directory whose every file is excluded: a walk need not enter it."""
        return self.excluded.matches_directory(self.key(directory))
