"""Problems with a file as a whole (or with the run's base), beside the rules: their ids,
default levels and meaning, in one place; `file_finding` makes one at its level."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from tmcheck.findings import INTERNAL_ERROR, Finding


class FileCheck(NamedTuple):
    level: str  # the default level
    meaning: str
    # When a finding of this check is only worth knowing: then it is a note, whatever the level.
    note_when: str | None = None

    @property
    def description(self) -> str:
        """What the check means, and when it is only a note."""
        return self.meaning + (f"; a note when {self.note_when}" if self.note_when else "")


FILE_CHECKS: Mapping[str, FileCheck] = {
    "read-error": FileCheck(
        "error", "the file cannot be read: missing, a link, not a file, too large"),
    "parse-error": FileCheck(
        "error", "not valid UTF-8, YAML, JSON or front matter, or past a safety limit"),
    "unknown-format": FileCheck(
        "error", "a file named on the command line is in no format tmcheck reads"),
    "schema": FileCheck(
        "error", "the file breaks its format's JSON Schema",
        note_when="a Threat Composer file is newer than its published schema"),
    "markdown-table": FileCheck(
        "error", "a Markdown threat table: a row with the wrong number of cells or no ID",
        note_when="a named Markdown file has no threat table"),
    "no-threat-models": FileCheck(
        "warning", "the run found no threat model: it names the root and the include globs"),
    "too-many-files": FileCheck(
        "error", "more files than max_files: the rest were not checked"),
    "run-budget": FileCheck(
        "error", "the run read as many bytes, values or threats as a run may: the rest were"
        " not read"),
    INTERNAL_ERROR: FileCheck(
        "error", "tmcheck failed on a file or in a rule: a bug, please report it (its level"
        " cannot be changed)"),
    "base-unreadable": FileCheck(
        "warning", "the --base revision, or a file at it, cannot be read"),
    "gate-without-base": FileCheck(
        "warning", "gate: new without --base: it falls back to gate: all"),
    "stale-output": FileCheck(
        "warning", "a committed risks.json older in git history than its Threagile model: run"
        " Threagile again"),
    "status-not-set": FileCheck(
        "note", "Threat Composer threats with no status whose linked mitigations are all"
        " resolved: they count as open"),
    "placeholder-ratings": FileCheck(
        "note", "an OTM file whose threats are all rated 100 x 100 (StartLeft's conversion of a"
        " .tm7): critical because of the conversion"),
}  # fmt: skip


def file_finding(
    path: str,
    check: str,
    message: str,
    line: int = 1,
    column: int = 1,
    *,
    note: bool = False,
) -> Finding:
    """A finding of the file check `check` at its default level, or a note (`note=True`) where
    FILE_CHECKS says when the check is only a note. `.tmcheck.yaml` may change the level later,
    as a rule's."""
    declared = FILE_CHECKS[check]
    if note and declared.note_when is None:
        raise ValueError(f"file check {check} declares no note (FILE_CHECKS: note_when)")
    level = "note" if note else declared.level
    return Finding(path, line, column, check, level, message)
