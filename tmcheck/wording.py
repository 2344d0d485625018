"""Small pieces of wording every report shares: counted nouns, shortened text."""

from __future__ import annotations

ELLIPSIS = "\u2026"


def plural(number: int, noun: str) -> str:
    """`1 threat`, `2 threats`: nouns whose plural takes an `s`."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
