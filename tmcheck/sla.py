"""The SLA clock of each open threat: when it started, when it falls due, whether it is overdue.

The clock starts at the threat's `identified:` date when the file gives one, else when git
history first records the threat at its current level (see `history`), else it is unknown and
says why. Due is the start plus the SLA of the threat's level (`treatment:`); an open threat is
overdue the day after that.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tmcheck.config import Settings
from tmcheck.model import SlaClock, Threat
from tmcheck.results import FileResult
from tmcheck.wording import plural

if TYPE_CHECKING:
    from tmcheck.file_checker import FileChecker
    from tmcheck.git import Git, GitError


def start_clocks(
    files: Sequence[FileResult],
    checker: FileChecker,
    repository: Git | GitError,
) -> tuple[FileResult, ...]:
    """`files` with a clock on every open threat that has a level; history is read, when
    needed, from `repository` (the run's, or why it has none)."""
    from tmcheck.history import History, Start, threat_key

    settings = checker.settings
    wanted_by_file = [
        [t for t in file.threats if t.open and t.risk_level is not None] for file in files
    ]
    undated_files = [
        file.path
        for file, wanted in zip(files, wanted_by_file, strict=True)
        if any(identified_date(t) is None for t in wanted)
    ]
    history = History(checker, repository)
    if undated_files:
        history.read(undated_files)
    unknown: dict[str, SlaClock] = {}  # one clock per reason: thousands of threats share it
    made: dict[tuple[str, datetime.date, str, str | None], SlaClock] = {}
    for file, wanted in zip(files, wanted_by_file, strict=True):
        if not wanted:
            continue
        undated = [t for t in wanted if identified_date(t) is None]
        starts: dict[str, Start | str] = history.starts(file, undated) if undated else {}
        for threat in wanted:
            assert threat.risk_level is not None
            identified = identified_date(threat)
            key: tuple[str, datetime.date, str, str | None]
            if identified is not None:
                key = (threat.risk_level, identified, "identified", None)
            else:
                start = starts.get(threat_key(threat), "no git history")
                if not isinstance(start, Start):
                    clock = unknown.setdefault(start, SlaClock(None, None, None, unknown=start))
                    _set_clock(threat, clock)
                    continue
                key = (threat.risk_level, start.date, "git", start.commit)
            if key not in made:
                made[key] = make_clock(key[0], settings, key[1], key[2], key[3])
            _set_clock(threat, made[key])
    return tuple(files)


def _set_clock(threat: Threat, clock: SlaClock) -> None:
    # The threats were made by this run's file checks and nothing holds them yet: setting the
    # clock in place spares a copy of each of thousands of threats.
    object.__setattr__(threat, "clock", clock)


def make_clock(
    level: str,
    settings: Settings,
    start: datetime.date,
    source: str,
    commit: str | None = None,
) -> SlaClock:
    due = settings.treatment[level].sla.due(start)
    overdue = due is not None and settings.today > due
    return SlaClock(start, source, due, overdue, commit)


def identified_date(threat: Threat) -> datetime.date | None:
    """The `identified:` date as written (YYYY-MM-DD), or None."""
    value = threat.entry.identified
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def describe_due(clock: SlaClock | None, today: datetime.date) -> str:
    """The Due cell: `in 3 days`, `due today`, `overdue 16 days`, `unknown: shallow clone`."""
    if clock is None:
        return ""
    if clock.due is None:
        if clock.start is None:
            return f"unknown: {clock.unknown}" if clock.unknown else "unknown"
        return "no SLA"
    days = (clock.due - today).days
    if days > 0:
        return f"in {plural(days, 'day')}"
    if days == 0:
        return "due today"
    return f"overdue {plural(-days, 'day')}"
