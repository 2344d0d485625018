"""Glob patterns for include/exclude: `**` spans directories, `{a,b}` alternatives, linear time.

A config may come from a pull request, so matching is bounded whatever the patterns. All the
patterns of a set run together as one automaton over path segments (bit-parallel, Shift-And): a
path costs one step per segment, whatever the number of patterns or of `**` in them. A literal
segment is found by one dictionary lookup; a wildcard segment (`*.yaml`) is tried (as
`fnmatchcase` would) only while a pattern waits for it, and once per path segment however many
patterns share it. The work of a set is counted, and a set that would exceed its budget
stops the run (`GlobBudgetError`, exit 2) instead of hanging it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from fnmatch import translate

from tmcheck.errors import ConfigError

MAX_ALTERNATIVES = 64
# Wildcard segments one set may try in a run (each try of a segment against the distinct
# wildcards that a waiting pattern needs): far beyond any real config (a few wildcards, tens of
# tries per path over a walk of 100,000 files), and a few seconds of work at most.
GLOB_BUDGET = 5_000_000
# Pattern segments of a set after brace expansion: the automaton's size, so each step's cost.
MAX_POSITIONS = 20_000
_BRACES = re.compile(r"\{([^{}]*)\}")
_WILDCARD = frozenset("*?[")


class GlobBudgetError(ConfigError):
    """The include/exclude patterns cost more than a run allows."""


class GlobSet:
    """A set of patterns relative to one root; a pattern without `/` matches at any depth."""

    def __init__(self, patterns: Iterable[str], budget: int = GLOB_BUDGET) -> None:
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
        self._budget = budget
        positions = sum(len(pattern) + 1 for pattern in self._patterns)
        if positions > MAX_POSITIONS:
            raise self._over(f"{positions} pattern segments after expanding braces;"
                             f" at most {MAX_POSITIONS}")  # fmt: skip
        self._compile()

    def _compile(self) -> None:
        """Lay the patterns side by side in one bit vector: pattern p at positions
        offset..offset+len(p); bit i set = "the pattern's first i - offset parts matched"."""
        self._start = self._final = self._stars = self._directory_ends = 0
        self._literal: dict[str, int] = {}  # segment -> positions that accept it
        self._wild: dict[str, int] = {}  # wildcard segment -> positions that try it
        offset = 0
        for pattern in self._patterns:
            self._start |= 1 << offset
            self._final |= 1 << (offset + len(pattern))
            if pattern and pattern[-1] == "**":  # "dir/**": every file below a match
                self._directory_ends |= 1 << (offset + len(pattern) - 1)
            for index, part in enumerate(pattern):
                bit = 1 << (offset + index)
                if part == "**":
                    self._stars |= bit
                elif _WILDCARD.isdisjoint(part):
                    self._literal[part] = self._literal.get(part, 0) | bit
                else:
                    self._wild[part] = self._wild.get(part, 0) | bit
            offset += len(pattern) + 1
        self._wild_any = 0
        for mask in self._wild.values():
            self._wild_any |= mask
        # compiled once: `fnmatchcase` would look each one up in its cache on every call
        self._matchers: list[tuple[Callable[[str], object], int]] = [
            (re.compile(translate(wildcard)).match, mask) for wildcard, mask in self._wild.items()
        ]
        self._initial = self._close(self._start)

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def matches(self, relative_path: str) -> bool:
        return self.accepts(self.advance(self.start(), relative_path))

    def matches_directory(self, relative_dir: str) -> bool:
        """True when every file below `relative_dir` is matched (a pattern ending in `/**`)."""
        return self.accepts_directory(self.advance(self.start(), relative_dir))

    # A walk carries the state down the tree: each name costs one step, not its whole path.

    def start(self) -> int:
        """The state before any segment."""
        return self._initial

    def advance(self, state: int, path: str) -> int:
        """The state after the segments of `path` (one name, or a relative path)."""
        for part in path.split("/"):
            if not state:
                return 0
            if part in ("", "."):
                continue
            accept = self._literal.get(part, 0)
            waiting = state & self._wild_any
            if waiting:
                self._budget -= len(self._matchers)
                if self._budget < 0:
                    raise self._over(f"{GLOB_BUDGET} wildcard tries in a run")
                for match, mask in self._matchers:
                    if waiting & mask and match(part):
                        accept |= mask
            state = self._close(((state & accept) << 1) | (state & self._stars))
        return state

    def accepts(self, state: int) -> bool:
        """A file at this state is matched."""
        return bool(state & self._final)

    def accepts_directory(self, state: int) -> bool:
        """Every file below a directory at this state is matched."""
        return bool(state & self._directory_ends)

    def _close(self, state: int) -> int:
        # `**` also matches no segment; patterns are collapsed, so one step reaches past it
        return state | ((state & self._stars) << 1)

    @staticmethod
    def _over(limit: str) -> GlobBudgetError:
        return GlobBudgetError(
            f"include/exclude/formats: the patterns cost more than a run allows ({limit});"
            " use fewer patterns, alternatives or wildcards"
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
        if len(expanded) > MAX_ALTERNATIVES:  # matching nothing would skip files unseen
            raise ConfigError(
                f"include/exclude/formats: the pattern {pattern!r} has more than"
                f" {MAX_ALTERNATIVES} alternatives once its braces are expanded; split it"
            )
        results = expanded
    return results


def _collapse(parts: Sequence[str]) -> tuple[str, ...]:
    collapsed: list[str] = []
    for part in parts:
        if part == "**" and collapsed and collapsed[-1] == "**":
            continue
        collapsed.append(part)
    return tuple(collapsed)
