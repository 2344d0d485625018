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
from tmcheck.findings import INTERNAL_ERROR, LEVEL_ORDER, Finding, internal_error
from tmcheck.rules import (
    acceptance_expired,
    acceptance_incomplete,
    acceptance_unauthorized,
    blocking_threat,
    duplicate_element,
    duplicate_id,
    missing_owner,
    missing_ticket,
    risk_level_mismatch,
    risk_score_mismatch,
    sla_overdue,
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
from tmcheck.rules.context import Problem, RuleContext

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
    acceptance_unauthorized,
    sla_overdue,
    missing_ticket,
    undefined_element,
    duplicate_element,
    stride_coverage,
    unknown_component,
    stale_threat_model,
)
RULES: Mapping[str, ModuleType] = {module.ID: module for module in _MODULES}

DEFAULT_LEVELS: Mapping[str, str] = {
    **{rule_id: module.LEVEL for rule_id, module in RULES.items()},
    **{check_id: check.level for check_id, check in FILE_CHECKS.items()},
}


def iter_rule_findings(context: RuleContext) -> Iterator[Finding]:
    """Every rule's findings, stamped with its id and default level."""
    for rule_id, module in RULES.items():
        yield from run_rule(rule_id, module, context)


def run_rule(rule_id: str, module: ModuleType, context: RuleContext) -> list[Finding]:
    """One rule's findings; if the rule fails, those it found before, and the failure."""
    findings: list[Finding] = []
    try:
        for problem in module.check(context):
            findings.append(rule_finding(rule_id, problem))
    except Exception as error:  # a bug in one rule; the other rules still run
        findings.append(internal_error(".", error, f"rule {rule_id} failed"))
    return findings


def rule_finding(rule_id: str, problem: Problem) -> Finding:
    """The finding of rule `rule_id` for `problem`, at the rule's level (or the milder level
    the rule gave the problem)."""
    return Finding(
        problem.path, problem.line, problem.column, rule_id,
        problem.level or RULES[rule_id].LEVEL, problem.message, problem.threat_id,
        problem.threat_title,
    )  # fmt: skip


def apply_levels(findings: list[Finding], overrides: Mapping[str, str]) -> list[Finding]:
    """Findings with configured levels; those whose rule is `off` are dropped."""
    adjusted = []
    for finding in findings:
        level = _configured_level(finding, overrides)
        if level != "off":
            adjusted.append(finding if level == finding.level else finding._replace(level=level))
    return adjusted


def _configured_level(finding: Finding, overrides: Mapping[str, str]) -> str:
    """The level `.tmcheck.yaml` gives `finding`. A finding milder than its rule's default (a
    milder case the rule or file check declares, such as the note for a Markdown file without
    a threat table) may be made milder still or off, never more severe. An internal error
    keeps its level: a bug must never pass as clean."""
    if finding.rule == INTERNAL_ERROR:
        return finding.level
    level = overrides.get(finding.rule, finding.level)
    default = DEFAULT_LEVELS.get(finding.rule, finding.level)
    if level != "off" and LEVEL_ORDER[finding.level] > LEVEL_ORDER[default]:  # a milder case
        return max(level, finding.level, key=LEVEL_ORDER.__getitem__)  # the milder of the two
    return level
