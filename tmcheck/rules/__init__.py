"""The rules: one module each, registered here by id.

Besides the rules, a run reports problems with the files themselves (and with its base
revision) under the ids in `FILE_CHECKS`; their levels can be changed in `.tmcheck.yaml` like a
rule's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import ModuleType

from tmcheck.findings import Finding
from tmcheck.rules import (
    acceptance_expired,
    acceptance_incomplete,
    blocking_threat,
    duplicate_element,
    duplicate_id,
    missing_owner,
    risk_level_mismatch,
    risk_score_mismatch,
    stale_threat_model,
    stride_coverage,
    undefined_element,
    unknown_category,
    unknown_component,
    unknown_rating,
    unknown_status,
    unrated_threat,
    unresolved_reference,
)
from tmcheck.rules.context import RuleContext

_MODULES: tuple[ModuleType, ...] = (
    blocking_threat,
    risk_score_mismatch,
    risk_level_mismatch,
    duplicate_id,
    unresolved_reference,
    unknown_category,
    unknown_rating,
    unknown_status,
    missing_owner,
    unrated_threat,
    acceptance_incomplete,
    acceptance_expired,
    undefined_element,
    duplicate_element,
    stride_coverage,
    unknown_component,
    stale_threat_model,
)
RULES: Mapping[str, ModuleType] = {module.ID: module for module in _MODULES}

# Problems with a file as a whole: (default level, what it means).
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
    "internal-error": ("error", "tmcheck failed on this file: a bug, please report it"),
    "base-unreadable": ("warning", "the --base revision, or a file at it, cannot be read"),
    "gate-without-base": ("warning", "gate: new without --base: it falls back to gate: all"),
    "stale-output": ("warning", "a committed risks.json older in git history than its Threagile"
                     " model: run Threagile again"),
    "status-not-set": ("note", "Threat Composer threats with no status whose linked mitigations"
                       " are all resolved: they count as open"),
}  # fmt: skip

DEFAULT_LEVELS: Mapping[str, str] = {
    **{rule_id: module.LEVEL for rule_id, module in RULES.items()},
    **{check_id: level for check_id, (level, _) in FILE_CHECKS.items()},
}


def iter_rule_findings(context: RuleContext) -> Iterator[Finding]:
    for module in RULES.values():
        yield from module.check(context)


def apply_levels(findings: list[Finding], overrides: Mapping[str, str]) -> list[Finding]:
    """Findings with configured levels; those whose rule is `off` are dropped."""
    adjusted = []
    for finding in findings:
        level = overrides.get(finding.rule, finding.level)
        if level != "off":
            adjusted.append(finding if level == finding.level else finding._replace(level=level))
    return adjusted
