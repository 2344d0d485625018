"""When git history first records each threat at its current level: one pass for the whole run.

One `git log --raw` of the repository (newest first, at most `history_commits` commits) says,
for every checked file, which commits changed it and which blob each left, following renames
back through history. Versions of a file are then read newest first, and only while one of its
threats still has no start; a commit that holds exactly the working-tree content is not read
again. A threat's clock starts at the first commit of the last unbroken stretch in which it was
open at its current level or higher: raising a level restarts the clock at the commit that
raised it, lowering keeps the start, and a threat that was closed and reopened starts again
when it reopened. When that stretch reaches back to the oldest commit read and history goes
further (a shallow clone, or more commits than the cap), the start is unknown, never guessed.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tmcheck import git
from tmcheck.discover import Candidate
from tmcheck.model import RISK_RANK, Threat
from tmcheck.results import FileResult

if TYPE_CHECKING:
    from tmcheck.file_checker import FileChecker

SHALLOW = "shallow clone: check out with fetch-depth: 0"
MAX_LOG_BYTES = 64 * 1024 * 1024
_REGULAR_MODES = ("100644", "100755")

States = dict[str, tuple[int, bool]]  # threat key -> (level rank, open)


@dataclass(frozen=True, slots=True)
class Start:
    """Where a threat's clock starts: a commit (None: not committed yet) and its author date."""

    date: datetime.date
    commit: str | None


@dataclass(slots=True)
class _FileLog:
    """The commits that changed one file, newest first: (commit, date, blob or None)."""

    commits: list[tuple[str, datetime.date, str | None]] = field(default_factory=list)
    added: bool = False  # the oldest commit listed created the file: its history is complete


@dataclass(frozen=True, slots=True)
class _Entry:
    status: str
    path: str
    old_path: str | None
    blob: str | None  # None: deleted, or not a regular file


def threat_key(threat: Threat) -> str:
    """How a threat is recognised across versions: its id, else its title."""
    return f"id:{threat.id}" if threat.id else f"title:{' '.join(threat.entry.title.split())}"


class History:
    """The git history of the run's files, read once."""

    def __init__(self, checker: FileChecker, repository: git.Git | git.GitError) -> None:
        from tmcheck.file_checker import FileChecker

        # Old versions are read with a run budget of their own: the history of hostile files
        # costs at most what one run of them may, and never the run's own budget.
        self._checker = FileChecker(checker.settings)
        self._settings = checker.settings
        self._given = repository
        self._repository: git.Git | None = None
        self._failure: str | None = None
        self._shallow = False
        self._truncated = False
        self._logs: dict[str, _FileLog] = {}
        self._parents: dict[str, bool] = {}

    def read(self, paths: Sequence[str]) -> None:
        """Read the log for `paths` (as the run shows them): once, before any `starts`."""
        cap = self._settings.history_commits
        if cap <= 0:
            self._failure = "git history not read (history_commits: 0)"
            return
        try:
            # The repository the run was pointed at, never one found from a file's or the
            # config's location.
            given = self._given
            if isinstance(given, git.GitError):
                raise given
            self._repository = given
            shallow = given.run("rev-parse", "--is-shallow-repository")
            self._shallow = shallow.decode().strip() == "true"
            output = given.run(
                "log", "-M", "--no-abbrev", "--raw", "-z", "--no-ext-diff", "--no-textconv",
                "--format=%x00%H %at", f"-n{cap}", "HEAD", "--",
                limit=MAX_LOG_BYTES,
            )  # fmt: skip
        except git.GitError as error:
            self._repository = None
            self._failure = f"no git history ({error})"
            return
        records = _parse_log(output.decode("utf-8", "surrogateescape"))
        self._truncated = len(records) >= cap
        tracking: dict[str, str] = {}  # path at the commit being read -> path now
        for path in paths:
            relative = self._repository.relative(path)
            if relative is not None:
                tracking[relative] = relative
                self._logs[relative] = _FileLog()
        for sha, date, entries in records:
            if not tracking:
                break
            for entry in entries:
                now = tracking.get(entry.path)
                if now is None:
                    continue
                file_log = self._logs[now]
                file_log.commits.append((sha, date, entry.blob))
                if entry.status == "R" and entry.old_path is not None:
                    del tracking[entry.path]
                    tracking[entry.old_path] = now  # older versions have the old name
                elif entry.status == "A":
                    del tracking[entry.path]
                    file_log.added = True

    def starts(self, file: FileResult, wanted: Sequence[Threat]) -> dict[str, Start | str]:
        """For each of `wanted` (open threats of `file`), its clock's start or why it is unknown."""
        if self._repository is None:
            return {threat_key(t): self._failure or "no git history" for t in wanted}
        relative = self._repository.relative(file.path)
        if relative is None:
            return {threat_key(t): "the file is outside the git repository" for t in wanted}
        file_log = self._logs.get(relative, _FileLog())
        if not file_log.commits and self._truncated:
            reason = (
                f"its history is longer than the {self._settings.history_commits} commits read"
                " (history_commits)"
            )
            return {threat_key(t): reason for t in wanted}
        current_blob = _blob_id(file.path)
        newer: tuple[datetime.date, str | None] = (self._settings.today, None)  # working tree
        # Walk from the working tree back: a threat's start is the version after the newest
        # one where it was missing, closed or lower.
        pending = {threat_key(t): _rank(t) for t in wanted}
        found: dict[str, Start | str] = {}
        for sha, date, blob in file_log.commits:
            if blob is not None and blob == current_blob and newer[1] is None:
                states = _states_of(file.threats)  # committed as it is: nothing to read
            elif self._checker.budget.spent:
                reason = "its history is larger than a run may read"
                return {**found, **dict.fromkeys(pending, reason)}
            else:
                states = self._states(file.path, blob)
            for key, rank in list(pending.items()):
                state = states.get(key)
                if state is None or not state[1] or state[0] < rank:
                    found[key] = Start(*newer)
                    del pending[key]
            if not pending:
                return found
            newer = (date, sha)
        for key in pending:  # at their level in the oldest version read
            found[key] = self._oldest_start(newer, file_log.added)
        return found

    def _oldest_start(self, oldest: tuple[datetime.date, str | None], added: bool) -> Start | str:
        """The start of a threat already at its level in the oldest version read: that commit,
        unless history goes further back than what was read."""
        date, commit = oldest
        if commit is not None:
            if self._shallow and not self._has_parents(commit):
                return SHALLOW  # the oldest commit here is where the clone was cut
            if self._truncated and not added:
                return (
                    f"its history is longer than the {self._settings.history_commits} commits"
                    " read (history_commits)"
                )
        return Start(date, commit)

    def _has_parents(self, commit: str) -> bool:
        """Whether `commit` shows its parents: a shallow clone hides those of its oldest
        commits, so a file "added" there may be much older."""
        if commit not in self._parents and self._repository is not None:
            try:
                listed = self._repository.run("rev-list", "--parents", "-n1", commit)
                self._parents[commit] = len(listed.split()) > 1
            except git.GitError:
                self._parents[commit] = False
        return self._parents.get(commit, False)

    def _states(self, path: str, blob: str | None) -> States:
        """Level rank and openness of each threat in one version of the file."""
        if blob is None or self._repository is None:
            return {}
        from tmcheck.file_checker import read_limit

        try:
            raw = self._repository.run("cat-file", "blob", blob, limit=read_limit(self._settings))
            result = self._checker.check_content(
                raw, Candidate(path, explicit=False), validate=False
            )
        except Exception:  # a version that cannot be read is a version without threats
            return {}
        return _states_of(result.threats)


def _parse_log(text: str) -> list[tuple[str, datetime.date, list[_Entry]]]:
    """Records of `--format=%x00%H %at --raw -z`: an empty token, `sha epoch`, then for each
    changed file a `:modes blobs status` token and its path (two for a rename or a copy).
    Paths are consumed by position, so no file name can pass for a commit or an entry."""
    tokens = text.split("\0")
    records: list[tuple[str, datetime.date, list[_Entry]]] = []
    index = 0
    while index < len(tokens):
        if tokens[index] != "" or index + 1 >= len(tokens) or not tokens[index + 1]:
            index += 1
            continue
        sha, _, epoch = tokens[index + 1].partition(" ")
        index += 2
        entries: list[_Entry] = []
        while index < len(tokens) and tokens[index].lstrip("\n").startswith(":"):
            fields = tokens[index].lstrip("\n")[1:].split(" ")
            status = fields[4][:1] if len(fields) > 4 else "M"
            paths = tokens[index + 1 : index + (3 if status in ("R", "C") else 2)]
            index += 1 + len(paths)
            if not paths:
                break
            regular = len(fields) > 3 and fields[1] in _REGULAR_MODES and status != "D"
            blob = fields[3] if regular else None
            if status == "C":  # a copy leaves its source in place: the new path starts here
                entries.append(_Entry("A", paths[-1], None, blob))
            else:
                old = paths[0] if len(paths) == 2 else None
                entries.append(_Entry(status, paths[-1], old, blob))
        if epoch.isdigit():
            date = datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date()
            records.append((sha, date, entries))
    return records


def _states_of(threats: Sequence[Threat]) -> States:
    states: States = {}
    for threat in threats:
        states.setdefault(threat_key(threat), (_rank(threat), threat.open))  # the first of an id
    return states


def _blob_id(path: str) -> str | None:
    """The id git gives the file's current content, to skip reading a commit that has it."""
    try:
        with open(path, "rb") as stream:
            content = stream.read()
    except OSError:
        return None
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()


def _rank(threat: Threat) -> int:
    return RISK_RANK.get(threat.risk_level or "", -1)
