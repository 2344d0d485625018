""" "Did you mean ...?": the closest of the allowed names to a misspelled one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

# difflib's ratio is quadratic in the word's length: a hostile key of a megabyte gets no
# suggestion rather than seconds of comparisons.
_MAX_LENGTH = 64
_CUTOFF = 0.75


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The allowed name `word` most likely misspells, or None when none is close."""
    if len(word) > _MAX_LENGTH:
        return None
    names = [choice for choice in choices if len(choice) <= _MAX_LENGTH]
    lowered = {name.lower(): name for name in names}
    if word.lower() in lowered:  # only the case differs
        return lowered[word.lower()]
    matches = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=_CUTOFF)
    return lowered[matches[0]] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean 'x'?` to append to a message, or nothing."""
    match = closest(word, choices)
    return f"; did you mean {match!r}?" if match is not None else ""
