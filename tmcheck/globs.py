"""Glob patterns for include/exclude: `**` spans directories, `{a,b}` alternatives, linear time.

Each path segment is matched with `fnmatch` (whose patterns cannot backtrack exponentially since
Python 3.9) and `**` by a walk that only ever returns to the last `**`, so a hostile pattern or
file name costs at most the product of their lengths, never exponential in their stars.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from fnmatch import fnmatchcase

MAX_ALTERNATIVES = 64
_BRACES = re.compile(r"\{([^{}]*)\}")


class GlobSet:
    """A set of patterns relative to one root; a pattern without `/` matches at any depth."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self._patterns: list[tuple[str, ...]] = []
        for pattern in patterns:
            for expanded in _expand_braces(pattern):
                expanded = expanded.strip()
                while expanded.startswith("./"):
                    expanded = expanded[2:]
                if "/" not in expanded.rstrip("/"):
                    expanded = "**/" + expanded
                parts = tuple(part for part in expanded.strip("/").split("/") if part)
                self._patterns.append(_collapse(parts))

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def matches(self, relative_path: str) -> bool:
        parts = [part for part in relative_path.split("/") if part and part != "."]
        return any(_match(pattern, parts) for pattern in self._patterns)

    def matches_directory(self, relative_dir: str) -> bool:
        """True when every file below `relative_dir` is matched (a pattern ending in `/**`)."""
        parts = [part for part in relative_dir.split("/") if part and part != "."]
        return any(
            pattern[-1] == "**" and _match(pattern[:-1], parts)
            for pattern in self._patterns
            if pattern
        )


def _expand_braces(pattern: str) -> list[str]:
    results = [pattern]
    while any(_BRACES.search(item) for item in results):
        expanded: list[str] = []
        for item in results:
            match = _BRACES.search(item)
            if match is None:
                expanded.append(item)
                continue
            for choice in match.group(1).split(","):
                expanded.append(item[: match.start()] + choice + item[match.end() :])
        if len(expanded) > MAX_ALTERNATIVES:
            break
        results = expanded
    return results


def _collapse(parts: Sequence[str]) -> tuple[str, ...]:
    collapsed: list[str] = []
    for part in parts:
        if part == "**" and collapsed and collapsed[-1] == "**":
            continue
        collapsed.append(part)
    return tuple(collapsed)


def _match(pattern: Sequence[str], parts: Sequence[str]) -> bool:
    """Segments against a pattern where `**` stands for any number of segments: the classic
    wildcard walk that goes back only to the last `**`, so at most len(parts) x len(pattern)
    segment comparisons (and one for most paths: runs check thousands)."""
    index, at = 0, 0
    star, resume = -1, 0  # the last `**` seen, and the part it would next swallow
    while at < len(parts):
        if index < len(pattern) and pattern[index] == "**":
            star, resume = index, at
            index += 1
        elif index < len(pattern) and fnmatchcase(parts[at], pattern[index]):
            index += 1
            at += 1
        elif star >= 0:
            index, resume = star + 1, resume + 1
            at = resume
        else:
            return False
    while index < len(pattern) and pattern[index] == "**":
        index += 1
    return index == len(pattern)
