"""Glob patterns for include/exclude: `**` spans directories, `{a,b}` alternatives, linear time.

Each path segment is matched with `fnmatch` (whose patterns cannot backtrack exponentially since
Python 3.9) and `**` by a set of reachable pattern positions, so a hostile pattern or file name
costs time proportional to its length, not exponential in its stars.
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
    states = _closure(pattern, {0})
    for part in parts:
        following: set[int] = set()
        for index in states:
            if index == len(pattern):
                continue
            if pattern[index] == "**":
                following.add(index)
            elif fnmatchcase(part, pattern[index]):
                following.add(index + 1)
        if not following:
            return False
        states = _closure(pattern, following)
    return len(pattern) in states


def _closure(pattern: Sequence[str], states: set[int]) -> set[int]:
    closed = set(states)
    for index in sorted(states):
        while index < len(pattern) and pattern[index] == "**":
            index += 1
            closed.add(index)
    return closed
