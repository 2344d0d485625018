"""The SLA clock of each open threat: when it started, when it falls due, whether it is overdue.

The clock starts at the threat's `identified:` date when the file gives one, else when git
history first records the threat at its current level (see `history`), else it is unknown and
says why. Due is the start plus the SLA of the threat's level (`treatment:`); an open threat is
overdue the day after that.
"""

from __future__ import annotations

import dataclasses
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
    repository: Git | GitError | None = None,
) -> tuple[FileResult, ...]:
    """`files` with a clock on every open threat that has a level; history is read, when
    needed, from `repository` (the run's; by default the current directory's)."""
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
    clocked = []
    for file, wanted in zip(files, wanted_by_file, strict=True):
        if not wanted:
            clocked.append(file)
            continue
        undated = [t for t in wanted if identified_date(t) is None]
        starts: dict[str, Start | str] = history.starts(file, undated) if undated else {}
        threats = []
        for threat in file.threats:
            if threat.open and threat.risk_level is not None:
                identified = identified_date(threat)
                if identified is not None:
                    clock = make_clock(threat, settings, identified, "identified")
                else:
                    start = starts.get(threat_key(threat), "no git history")
                    if isinstance(start, Start):
                        clock = make_clock(threat, settings, start.date, "git", start.commit)
                    else:
                        clock = SlaClock(None, None, None, unknown=start)
                threat = dataclasses.replace(threat, clock=clock)
            threats.append(threat)
        clocked.append(dataclasses.replace(file, threats=tuple(threats)))
    return tuple(clocked)


def make_clock(
    threat: Threat,
    settings: Settings,
    start: datetime.date,
    source: str,
    commit: str | None = None,
) -> SlaClock:
    assert threat.risk_level is not None
    due = settings.treatment[threat.risk_level].sla.due(start)
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
