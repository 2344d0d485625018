"""The checked threat models as they were at a base revision, and what changed since.

Only files that git reports as changed since the base are read again (a file that git does
not report but that is not in the base tree, an ignored one, is new) (`git show`-style, through
`Git.read_at`, then the same parser, loaders and normalization as the head, with the head's
settings, so that the diff is about the threat models and not the configuration); the others
are the same at both ends. Files deleted since the base that the run would have checked are read
at the base too, and a renamed file's base version is read under its old name. Whatever cannot
be read is one `base-unreadable` warning, never a failure: the whole base, or one file.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tmcheck import git
from tmcheck.diff import Comparison, changed_elements, diff_threats
from tmcheck.discover import Candidate
from tmcheck.file_checker import FileChecker, join_tool_files, read_limit
from tmcheck.file_checks import file_finding
from tmcheck.findings import Finding, internal_error
from tmcheck.model import Element, Threat
from tmcheck.results import FileResult
from tmcheck.selection import FileSelection, relative_to_root

if TYPE_CHECKING:
    from tmcheck.config import Settings

RULE = "base-unreadable"
_NOT_LOADED = frozenset({"read-error", "parse-error", "internal-error"})


@dataclass(frozen=True, slots=True)
class Baseline:
    comparison: Comparison
    uncompared: frozenset[str]  # head paths whose base version could not be read
    findings: tuple[Finding, ...]


def compare_with_base(
    ref: str,
    files: Sequence[FileResult],
    paths: Sequence[str],
    checker: FileChecker,
    repository: git.Git | git.GitError | None = None,
) -> Baseline:
    """Compare the checked `files` with their versions at revision `ref`, read as `checker`
    reads the head.

    `repository` is the one the run was pointed at, or why there is none; by default, the
    current directory's. Never the one around the config file: a pull request can plant one."""
    settings = checker.settings
    if repository is None:
        try:
            repository = git.Git.find(Path.cwd())
        except git.GitRefused:
            raise  # git's ownership check: the user decides, not tmcheck
        except git.GitError as error:
            repository = error
    if isinstance(repository, git.GitError):
        return _unavailable(ref, str(repository), settings)
    try:
        commit = repository.resolve_commit(ref)
    except git.GitError:
        return _unavailable(
            ref,
            f"no commit {ref!r} in {repository.top} (a shallow clone may not have it: fetch it,"
            " or check out with fetch-depth: 0)",
            settings,
        )
    try:
        changed = repository.changes(commit)
        at_base = repository.files_at(commit)
    except git.GitError as error:
        return _unavailable(ref, str(error), settings)

    reader = _BaseReader(repository, commit, checker)
    by_path = {change.path: change for change in changed}
    base_files: list[FileResult] = []  # the run's files as they were at the base
    renamed: dict[str, str] = {}
    uncompared: set[str] = set()
    for file in files:
        relative = repository.relative(file.path)
        change = by_path.get(relative) if relative else None
        if any(finding.rule in _NOT_LOADED for finding in file.findings):
            uncompared.add(file.path)  # broken now: its own error says so; a diff would mislead
        elif relative is None:
            reader.fail(file.path, "the file is outside the git repository")
            uncompared.add(file.path)
        elif change is None and relative in at_base:
            base_files.append(file)  # unchanged since the base
        elif change is not None and change.status != "A":
            old = change.old_path or relative
            display = file.path if old == relative else _display_path(repository, old)
            base = reader.read(old, display, report_as=file.path)
            if base is None:
                uncompared.add(file.path)
            else:
                base_files.append(base)
                if display != file.path:
                    renamed[display] = file.path

    checked = {repository.relative(file.path) for file in files}
    selection = FileSelection.of(settings)
    for change in changed:
        if change.status == "D":
            gone = change.path
        elif change.status == "R" and change.old_path and change.path not in checked:
            gone = change.old_path  # renamed away from what this run checks: gone from it
        else:
            continue
        display = _display_path(repository, gone)
        if _in_scope(display, paths, selection):
            base = reader.read(gone, display, report_as=display)
            if base is not None:
                base_files.append(dataclasses.replace(base, elements=()))

    # A Threagile risks.json takes its statuses from the model as it was at the base too.
    base_files = list(join_tool_files(base_files, settings))
    base_threats: list[Threat] = [t for file in base_files for t in file.threats]
    base_elements: list[Element] = [e for file in base_files for e in file.elements]

    compared = [t for file in files if file.path not in uncompared for t in file.threats]
    changes = diff_threats(base_threats, compared, renamed)
    elements = changed_elements(
        base_elements, (e for file in files if file.path not in uncompared for e in file.elements)
    )
    return Baseline(
        Comparison(ref, commit, tuple(changes), elements),
        frozenset(uncompared),
        tuple(reader.findings),
    )


def _unavailable(ref: str, reason: str, settings: Settings) -> Baseline:
    fallback = "; gate: new falls back to all" if settings.gate == "new" else ""
    message = f"cannot compare with base {ref!r}: {reason}; no changes are reported{fallback}"
    finding = file_finding(".", RULE, message)
    return Baseline(Comparison(ref, None), frozenset(), (finding,))


class _BaseReader:
    """Reads files at the base commit; records a warning for each one it cannot read."""

    def __init__(self, repository: git.Git, commit: str, checker: FileChecker) -> None:
        self.repository, self.commit, self.checker = repository, commit, checker
        self.settings = checker.settings
        self.findings: list[Finding] = []

    def read(self, relative: str, display: str, *, report_as: str) -> FileResult | None:
        """`relative` (to the top level) at the base, its threats under the path `display`."""
        try:
            raw = self.repository.read_at(self.commit, relative, read_limit(self.settings))
        except git.GitError as error:
            self.fail(report_as, str(error))
            return None
        if raw is None:
            return FileResult(display, None, True)
        candidate = Candidate(display, explicit=False)
        try:
            result = self.checker.check_content(raw, candidate, validate=False)
        except Exception as error:  # a bug: say so, as on the head
            self.findings.append(internal_error(report_as, error))
            return None
        broken = next((f for f in result.findings if f.rule in _NOT_LOADED), None)
        if broken is not None:
            self.fail(report_as, f"line {broken.line}: {broken.message}")
            return None
        return result

    def fail(self, path: str, reason: str) -> None:
        gate = " and block as under gate: all" if self.settings.gate == "new" else ""
        self.findings.append(
            file_finding(
                path,
                RULE,
                f"cannot compare with base {self.commit[:12]}: {reason};"
                f" its threats are not compared{gate}",
            )
        )


def _display_path(repository: git.Git, relative: str) -> str:
    """A path from git, shown the way a directory walk shows it: relative to where we are."""
    return os.path.relpath(repository.top / relative)


def _in_scope(display: str, paths: Sequence[str], selection: FileSelection) -> bool:
    """Would this run have checked the file at `display`, had it still been there?"""
    if relative_to_root(display, selection.root) is None or not selection.selects(display):
        return False
    absolute = os.path.abspath(display)
    roots = [os.path.abspath(path) for path in paths] or [str(selection.root)]
    return any(absolute == root or absolute.startswith(root + os.sep) for root in roots)
