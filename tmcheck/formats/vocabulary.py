"""The status and level words of each format, tried before the default tables.

A tool writes its own words (Threat Composer's `threatResolved`, a .tm7's `NeedsInvestigation`,
Threagile's `elevated`); its loader declares them as `STATUS_WORDS` and `LEVEL_WORDS`, so that a
word means what its tool means by it and no other format learns it by accident. The raw word
stays on the threat entry; only the normalized status and level come from these tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from tmcheck.formats.detect import ALL_LOADERS as LOADERS
from tmcheck.scoring import word_key


@cache
def status_words(format_name: str) -> Mapping[str, str]:
    """The status words of `format_name` (word -> normalized status), in `word_key` form."""
    table: Mapping[str, str] = getattr(LOADERS.get(format_name), "STATUS_WORDS", {})
    return {word_key(word): status for word, status in table.items()}


@cache
def level_words(format_name: str) -> Mapping[str, str | None]:
    """The level words of `format_name` (word -> level, None for "not rated yet")."""
    table: Mapping[str, str | None] = getattr(LOADERS.get(format_name), "LEVEL_WORDS", {})
    return {word_key(word): level for word, level in table.items()}


def severity_name(format_name: str) -> str:
    """What the format calls the level word a threat carries: `severity`, or `priority`
    (Threat Composer, the Threat Modeling Tool); messages say "priority High"."""
    name: str = getattr(LOADERS.get(format_name), "SEVERITY_NAME", "severity")
    return name
