"""The rules: one module each, registered here by id.

Besides the rules, a run reports problems with the files themselves under the ids in
`FILE_CHECKS`; their levels can be changed in `.tmcheck.yaml` like a rule's.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from types import ModuleType

from tmcheck.findings import Finding
from tmcheck.rules import (
    acceptance_expired,
    acceptance_incomplete,
    blocking_threat,
    duplicate_id,
    missing_owner,
    risk_score_mismatch,
    unknown_category,
    unknown_rating,
    unknown_status,
    unrated_threat,
    unresolved_reference,
)
from tmcheck.rules.context import RuleContext

_MODULES: tuple[ModuleType, ...] = (
    blocking_threat,
    risk_score_mismatch,
    duplicate_id,
    unresolved_reference,
    unknown_category,
    unknown_rating,
    unknown_status,
    missing_owner,
    unrated_threat,
    acceptance_incomplete,
    acceptance_expired,
)
RULES: Mapping[str, ModuleType] = {module.ID: module for module in _MODULES}

# Problems with a file as a whole: (default level, what it means).
FILE_CHECKS: Mapping[str, tuple[str, str]] = {
    "read-error": ("error", "the file cannot be read: missing, a link, not a file, too large"),
    "parse-error": ("error", "the file is not valid UTF-8 YAML or JSON, or breaks a safety limit"),
    "unknown-format": ("error", "a file named on the command line is in no format tmcheck reads"),
    "schema": ("error", "the file breaks its format's JSON Schema"),
    "too-many-files": ("error", "more files than max_files: the rest were not checked"),
    "internal-error": ("error", "tmcheck failed on this file: a bug, please report it"),
}  # fmt: skip

DEFAULT_LEVELS: Mapping[str, str] = {
    **{rule_id: module.LEVEL for rule_id, module in RULES.items()},
    **{check_id: level for check_id, (level, _) in FILE_CHECKS.items()},
}


def summaries() -> list[tuple[str, str, str]]:
    """(id, default level, one line on what it checks) for every rule and file check."""
    described = [
        (rule_id, module.LEVEL, (inspect.getdoc(module) or "").splitlines()[0].split(": ", 1)[-1])
        for rule_id, module in RULES.items()
    ]
    return described + [(check_id, level, text) for check_id, (level, text) in FILE_CHECKS.items()]


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
