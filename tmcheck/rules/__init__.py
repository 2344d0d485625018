"""The rules: one module each, registered here by id, and the runner that applies them.

A rule module has an `ID`, a default `LEVEL`, a docstring that is its documentation (with
Passes and Fails examples), and `check(context)`, which yields `Problem`s: where and what. The
runner makes them findings with the rule's id and level, each rule on its own: a rule that fails
(a bug) is one internal-error finding naming it, and the other rules still run.

Besides the rules, a run reports problems with the files themselves (and with its base
revision) under the ids in `file_checks.FILE_CHECKS`; all levels but internal-error's can be
changed in `.tmcheck.yaml`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from types import ModuleType

from tmcheck.file_checks import FILE_CHECKS
from tmcheck.findings import INTERNAL_ERROR, Finding, internal_error
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

DEFAULT_LEVELS: Mapping[str, str] = {
    **{rule_id: module.LEVEL for rule_id, module in RULES.items()},
    **{check_id: level for check_id, (level, _) in FILE_CHECKS.items()},
}


def iter_rule_findings(context: RuleContext) -> Iterator[Finding]:
    """Every rule's findings, stamped with its id and default level."""
    for rule_id, module in RULES.items():
        yield from run_rule(rule_id, module, context)


def run_rule(rule_id: str, module: ModuleType, context: RuleContext) -> list[Finding]:
    """One rule's findings; if the rule fails, those it found before, and the failure."""
    level: str = module.LEVEL
    findings: list[Finding] = []
    try:
        for problem in module.check(context):
            findings.append(
                Finding(
                    problem.path, problem.line, problem.column, rule_id,
                    problem.level or level, problem.message, problem.threat_id,
                    problem.threat_title,
                )
            )  # fmt: skip
    except Exception as error:  # a bug in one rule; the other rules still run
        findings.append(internal_error(".", error, f"rule {rule_id} failed"))
    return findings


def apply_levels(findings: list[Finding], overrides: Mapping[str, str]) -> list[Finding]:
    """Findings with configured levels; those whose rule is `off` are dropped. An internal
    error keeps its level: a bug must never pass as clean."""
    adjusted = []
    for finding in findings:
        level = finding.level
        if finding.rule != INTERNAL_ERROR:
            level = overrides.get(finding.rule, level)
        if level != "off":
            adjusted.append(finding if level == finding.level else finding._replace(level=level))
    return adjusted
