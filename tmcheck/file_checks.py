"""Problems with a file as a whole (or with the run's base), beside the rules: their ids,
default levels and meaning, in one place; `file_finding` makes one at its default level."""

from __future__ import annotations

from collections.abc import Mapping

from tmcheck.findings import INTERNAL_ERROR, Finding

# id: (default level, what it means)
FILE_CHECKS: Mapping[str, tuple[str, str]] = {
    "read-error": ("error", "the file cannot be read: missing, a link, not a file, too large"),
    "parse-error": ("error", "not valid UTF-8, YAML, JSON or front matter, or past a safety limit"),
    "unknown-format": ("error", "a file named on the command line is in no format tmcheck reads"),
    "schema": ("error", "the file breaks its format's JSON Schema"),
    "markdown-table": ("error", "a Markdown threat table: a row with the wrong number of cells or"
                       " no ID; a note when a named Markdown file has no threat table"),
    "no-threat-models": ("warning", "the run found no threat model: it names the root and the"
                         " include globs"),
    "too-many-files": ("error", "more files than max_files: the rest were not checked"),
    "run-budget": ("error", "the run read as many bytes, values or threats as a run may:"
                   " the rest were not read"),
    INTERNAL_ERROR: ("error", "tmcheck failed on a file or in a rule: a bug, please report it"
                     " (its level cannot be changed)"),
    "base-unreadable": ("warning", "the --base revision, or a file at it, cannot be read"),
    "gate-without-base": ("warning", "gate: new without --base: it falls back to gate: all"),
    "stale-output": ("warning", "a committed risks.json older in git history than its Threagile"
                     " model: run Threagile again"),
    "status-not-set": ("note", "Threat Composer threats with no status whose linked mitigations"
                       " are all resolved: they count as open"),
    "placeholder-ratings": ("note", "an OTM file whose threats are all rated 100 x 100 (StartLeft's"
                            " conversion of a .tm7): critical because of the conversion"),
}  # fmt: skip


def file_finding(path: str, check: str, message: str, line: int = 1, column: int = 1) -> Finding:
    """A finding of the file check `check`, at its default level (`.tmcheck.yaml` may change
    it later, as a rule's)."""
    return Finding(path, line, column, check, FILE_CHECKS[check][0], message)
